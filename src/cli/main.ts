import { Command, CommanderError, Option } from "commander";
import { analyze } from "../engine/analyze.js";
import { engineSettings } from "../config/settings.js";
import { FORCEABLE_FORMATS, type Format } from "../formats/types.js";
import { CONTEXT_BOUNDS, localContext } from "../git/context.js";
import { GitError, localChange } from "../git/local.js";
import { POLICY_FILE } from "../shared/names.js";
import { processIo, readSide, UsageError, type CliIo } from "./io.js";
import { exitCodeFor, failOn, outputFormat, renderAnalysis } from "./output.js";
import { loadPolicyFile } from "./policy-file.js";
import {
  evaluateSnapshot,
  fetchSnapshot,
  readSnapshotFile,
  renderEvaluation,
} from "./evaluate-command.js";
import { rulesCommand } from "./rules-command.js";
import { validateConfigCommand } from "./validate-config.js";
import { VERSION } from "./version.js";

/** Runs the CLI; resolves to the exit code (0 analyzed, 1 risk ≥ --fail-on, 2 bad usage or input). */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let exitCode = 0;
  const program = new Command("changegate")
    .description("Semantic diff and risk gate for infrastructure configuration changes.")
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: () => undefined })
    .showHelpAfterError(false);

  program
    .command("diff")
    .description(
      "Analyze one file pair. /dev/null (or a missing path) on a side means added / deleted.",
    )
    .argument("<before>", "the file before the change")
    .argument("<after>", "the file after the change")
    .addOption(new Option("--as <format>", "force the format").choices([...FORCEABLE_FORMATS]))
    .option("--format <format>", "output: json or markdown", "json")
    .option("--config <file>", `policy file (${POLICY_FILE})`)
    .option("--fail-on <level>", "exit 1 when the risk is at or above this level")
    .action(
      async (
        beforePath: string,
        afterPath: string,
        options: { as?: Format; format: string; config?: string; failOn?: string },
      ) => {
        const format = outputFormat(options.format, ["json", "markdown"]);
        const threshold = failOn(options.failOn);
        const policy = await loadPolicyFile(options.config);
        const [before, after] = await Promise.all([readSide(beforePath), readSide(afterPath)]);
        if (before === null && after === null)
          throw new UsageError(`neither ${beforePath} nor ${afterPath} exists`);
        const path = after !== null ? afterPath : beforePath;
        const analysis = analyze(
          [{ path, before, after, ...(options.as ? { format: options.as } : {}) }],
          engineSettings(policy),
        );
        io.out(renderAnalysis(analysis, format));
        exitCode = exitCodeFor(analysis, threshold);
      },
    );

  program
    .command("analyze")
    .description(
      "Analyze the infrastructure changes between two git refs (merge base of BASE and HEAD → HEAD).",
    )
    .option("--repo <dir>", "the git repository", ".")
    .requiredOption("--base <ref>", "the base ref (e.g. main)")
    .requiredOption("--head <ref>", "the head ref (e.g. HEAD)")
    .option("--config <file>", "policy file (default: the defaults)")
    .option("--format <format>", "output: json, markdown or sarif", "json")
    .option("--fail-on <level>", "exit 1 when the risk is at or above this level")
    .action(
      async (options: {
        repo: string;
        base: string;
        head: string;
        config?: string;
        format: string;
        failOn?: string;
      }) => {
        const format = outputFormat(options.format, ["json", "markdown", "sarif"]);
        const threshold = failOn(options.failOn);
        const policy = await loadPolicyFile(options.config);
        const settings = engineSettings(policy);
        const selection = { ...policy.files, formatOverride: settings.formatOverride };
        const inputs = await localChange(options.repo, options.base, options.head, selection);
        const context = await localContext(options.repo, options.head, inputs, selection);
        if (context.skipped > 0)
          io.err(
            `changegate: context bounded to ${CONTEXT_BOUNDS.maxFiles} files and ${CONTEXT_BOUNDS.maxBytes / 1024 / 1024} MB: ${context.skipped} more ${context.skipped === 1 ? "file" : "files"} beside the changes ${context.skipped === 1 ? "was" : "were"} not read, so cross-file rules did not see ${context.skipped === 1 ? "it" : "them"}\n`,
          );
        const analysis = analyze(inputs, settings, context.files);
        io.out(renderAnalysis(analysis, format));
        exitCode = exitCodeFor(analysis, threshold);
      },
    );

  program
    .command("evaluate")
    .description(
      "Run the whole gate (engine, gates, render) on a saved snapshot, or on a live PR, and print the verdict.",
    )
    .option("--snapshot <file>", "a snapshot JSON file (see docs/snapshot.md)")
    .option("--pr <ref>", "a live pull request, OWNER/REPO#N (token from GITHUB_TOKEN)")
    .option("--api-url <url>", "GitHub API URL (GitHub Enterprise, or a local emulator)")
    .option("--format <format>", "output: json or markdown", "json")
    .option("--fail-on <level>", "exit 1 when the risk is at or above this level")
    .action(
      async (options: {
        snapshot?: string;
        pr?: string;
        apiUrl?: string;
        format: string;
        failOn?: string;
      }) => {
        const format = outputFormat(options.format, ["json", "markdown"]) as "json" | "markdown";
        const threshold = failOn(options.failOn);
        if (Boolean(options.snapshot) === Boolean(options.pr))
          throw new UsageError("give exactly one of --snapshot FILE or --pr OWNER/REPO#N");
        const snapshot = options.snapshot
          ? await readSnapshotFile(options.snapshot)
          : await fetchSnapshot(options.pr!, options.apiUrl);
        const evaluation = evaluateSnapshot(snapshot);
        io.out(renderEvaluation(evaluation, format));
        exitCode = exitCodeFor(evaluation.analysis, threshold);
      },
    );

  program
    .command("snapshot")
    .description(
      "Print a live pull request's snapshot (the App's loader; token from GITHUB_TOKEN).",
    )
    .argument("<ref>", "OWNER/REPO#N")
    .option("--api-url <url>", "GitHub API URL (GitHub Enterprise, or a local emulator)")
    .action(async (ref: string, options: { apiUrl?: string }) => {
      io.out(JSON.stringify(await fetchSnapshot(ref, options.apiUrl), null, 2) + "\n");
    });

  program
    .command("rules")
    .description("List every rule: id, family, severity, title and parameters.")
    .option("--format <format>", "output: json or markdown", "markdown")
    .action((options: { format: string }) => {
      io.out(rulesCommand(outputFormat(options.format, ["json", "markdown"])));
    });

  program
    .command("validate-config")
    .description(
      "Check a policy file; prints every problem as `path: message` and exits 2 when there is one.",
    )
    .argument("<file>", "the policy file")
    .action(async (file: string) => {
      exitCode = await validateConfigCommand(file, io);
    });

  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      io.err(`changegate: ${error.message.replace(/^error: /, "")}\n`);
      return 2;
    }
    if (error instanceof UsageError || error instanceof GitError) {
      io.err(`changegate: ${error.message}\n`);
      return 2;
    }
    io.err(`changegate: internal error: ${(error as Error).message ?? String(error)}\n`);
    return 2;
  }
}
