import { Command, CommanderError, Option } from "commander";
import { FORCEABLE_FORMATS, type Format } from "../formats/types.js";
import { GitError } from "../git/local.js";
import { POLICY_FILE } from "../shared/names.js";
import { analyzeCommand } from "./analyze-command.js";
import { auditCommand } from "./audit-command.js";
import type { RawAuditOptions } from "./audit-options.js";
import { diffCommand } from "./diff-command.js";
import { forTerminal, processIo, UsageError, type CliIo } from "./io.js";
import { exitCodeForVerdict, failOn, outputFormat } from "./output.js";
import {
  evaluateSnapshot,
  fetchSnapshot,
  readSnapshotFile,
  renderEvaluation,
} from "./evaluate-command.js";
import { rulesCommand } from "./rules-command.js";
import { validateConfigCommand } from "./validate-config.js";
import { VERSION } from "./version.js";

/**
 * Runs the CLI; resolves to the exit code: 0 analyzed, 1 risk ≥ --fail-on (or, for `evaluate`, a
 * failing verdict; for `audit`, a merge record refused or missing), 2 bad usage or input.
 */
export async function main(argv: readonly string[], givenIo: CliIo = processIo): Promise<number> {
  const io = forTerminal(givenIo);
  let exitCode = 0;
  const program = new Command("changegate")
    .description("Semantic diff and risk gate for infrastructure configuration changes.")
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: () => undefined })
    .showHelpAfterError(false)
    .addHelpText(
      "after",
      [
        "",
        "Exit codes: 0 analyzed (whatever the risk), 1 risk at or above --fail-on",
        "(evaluate: also a failing verdict; audit: a merge record refused or missing),",
        "2 bad usage or unreadable input (one line on stderr).",
      ].join("\n"),
    );

  program
    .command("diff")
    .description(
      "Analyze one file pair. A missing path is an error; /dev/null on a side means added / deleted; " +
        "an empty side means every setting of the other side was removed / added. A binary side, or " +
        "nothing but empty files, exits 2.",
    )
    .argument("<before>", "the file before the change (or /dev/null)")
    .argument("<after>", "the file after the change (or /dev/null)")
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
        exitCode = await diffCommand(
          beforePath,
          afterPath,
          { ...options, format, ...(threshold ? { threshold } : {}) },
          io,
        );
      },
    );

  program
    .command("analyze")
    .description(
      "Analyze the infrastructure changes a pull request from HEAD into BASE would make (merge base of " +
        "BASE and HEAD → HEAD), as committed: the work tree is not read, so commit what you want analysed. " +
        `The policy is the App's: ${POLICY_FILE} (or .yaml) as committed at BASE, else the defaults; stderr ` +
        "names it. A policy with _extends cannot be followed offline (exit 2): pass the merged policy with --config.",
    )
    .option("--repo <dir>", "the git repository", ".")
    .requiredOption("--base <ref>", "the base ref (e.g. main); its policy file applies")
    .option("--head <ref>", "the head ref; its committed files are analysed", "HEAD")
    .option("--config <file>", `policy file (default: ${POLICY_FILE} at BASE)`)
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
        exitCode = await analyzeCommand(
          { ...options, format, ...(threshold ? { threshold } : {}) },
          io,
        );
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
    .option(
      "--at <iso>",
      "judge change windows and freezes at this instant (default: the snapshot's evaluatedAt, else now)",
    )
    .addHelpText(
      "after",
      "\nExits 1 when the verdict is failure (the check would block the merge).",
    )
    .action(
      async (options: {
        snapshot?: string;
        pr?: string;
        apiUrl?: string;
        format: string;
        failOn?: string;
        at?: string;
      }) => {
        const format = outputFormat(options.format, ["json", "markdown"]) as "json" | "markdown";
        const threshold = failOn(options.failOn);
        if (Boolean(options.snapshot) === Boolean(options.pr))
          throw new UsageError("give exactly one of --snapshot FILE or --pr OWNER/REPO#N");
        const snapshot = options.snapshot
          ? await readSnapshotFile(options.snapshot)
          : await fetchSnapshot(options.pr!, options.apiUrl);
        const evaluation = evaluateSnapshot(snapshot, options.at);
        io.out(renderEvaluation(evaluation, format));
        exitCode = exitCodeForVerdict(evaluation, threshold);
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
    .command("audit")
    .description(
      "Audit evidence: every merged pull request in the range that changed infrastructure, with its " +
        "risk, verdict, approvers and the commits they approved, plans, overrides and bypasses, from " +
        "the merge record the App wrote, verified (docs/audit.md). Warnings on stderr.",
    )
    .option(
      "--repo <owner/repo>",
      "a repository (repeatable; token from GITHUB_TOKEN)",
      collect,
      [],
    )
    .option("--all", "every repository of every installation of the App (APP_ID, PRIVATE_KEY)")
    .option("--since <date>", "merged at or after: YYYY-MM-DD (UTC) or an ISO 8601 instant")
    .option("--until <date>", "merged at or before (a date includes that whole UTC day)")
    .option("--format <format>", "output: csv or json", "csv")
    .option("--output <file>", "write here (whole or not at all) instead of stdout")
    .option("--app <slug>", "the App whose check runs and bot are trusted (default changegate)")
    .option("--api-url <url>", "GitHub API URL (GitHub Enterprise, or a local emulator)")
    .addHelpText(
      "after",
      "\nExits 0 when every row's record was trusted, 1 when a record was refused or missing.",
    )
    .action(async (options: RawAuditOptions & { apiUrl?: string }) => {
      const { apiUrl, ...raw } = options;
      exitCode = await auditCommand(raw, io, { apiUrl });
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
      "Check a policy file; prints every problem as `FILE:LINE: key: message`, then how many, and exits 2 when there is one.",
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
      io.err(`changegate: ${oneLine(error.message)}\n`);
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

/** Commander's collector for a repeatable option. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Commander's message in one line: its "(Did you mean …?)" hint follows on the same line. */
function oneLine(message: string): string {
  return message
    .replace(/^error: /, "")
    .trim()
    .replace(/\s*\n\s*\(Did you mean/g, " (did you mean")
    .replace(/\s*\n\s*/g, " ");
}
