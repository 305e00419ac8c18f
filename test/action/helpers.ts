/**
 * Runs the committed bundle (`action/index.mjs`, what action.yml's `runs.main` names) the way the
 * Actions runner does: a child `node` process with the runner's environment and nothing else
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/variables#default-environment-variables),
 * the event payload in the file `GITHUB_EVENT_PATH` names, and the inputs as `INPUT_<NAME>` with
 * action.yml's defaults (https://docs.github.com/en/actions/reference/workflows-and-actions/metadata-syntax#inputs).
 * The bundle must be current: run `npm run bundle` first (test/action/bundle.test.ts fails when
 * it is stale).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { Emulator } from "@changegate/github-emulator";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BUNDLE = join(ROOT, "action/index.mjs");

/** A run may take this long before the child is killed (the emulator answers in milliseconds). */
const RUN_TIMEOUT_MS = 30_000;

export interface ActionRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The step outputs the run wrote to `$GITHUB_OUTPUT`. */
  readonly outputs: Readonly<Record<string, string>>;
  /** What the run wrote to `$GITHUB_STEP_SUMMARY` ("" when nothing). */
  readonly summary: string;
  /** The run's working directory and `RUNNER_TEMP` (removed after the run). */
  readonly runnerTemp: string;
  /** The files that outputs name (`sarif-file`), by output name, read before the folder is removed. */
  readonly files: Readonly<Record<string, string>>;
}

export interface RunOptions {
  /** `owner/name` */
  readonly repo: string;
  /** `GITHUB_EVENT_NAME` */
  readonly event: string;
  readonly payload: Record<string, unknown>;
  /** Inputs by their action.yml name (`fail-on`), over action.yml's defaults. */
  readonly inputs?: Readonly<Record<string, string>>;
  /** Extra variables, over the runner's; `undefined` removes one. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Kill the child after this long (default RUN_TIMEOUT_MS). */
  readonly timeoutMs?: number;
  /** Replaces the whole environment (PATH and HOME are still given): a run outside a runner. */
  readonly bareEnv?: boolean;
  /**
   * Keep the second between writes GitHub asks for (the production default). Off by default
   * here (`CHANGEGATE_ACTION_THROTTLE=off`): the emulator needs no spacing, and a run would wait
   * a second per write.
   */
  readonly throttle?: boolean;
}

interface ActionYml {
  readonly inputs: Record<string, { readonly default?: string }>;
}

/**
 * action.yml's inputs and the value the runner passes for each when the workflow gives none:
 * the default, with `${{ github.token }}` evaluated to the workflow's token.
 */
export function actionDefaults(token: string): Record<string, string> {
  const yml = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as ActionYml;
  return Object.fromEntries(
    Object.entries(yml.inputs).map(([name, spec]) => [
      name,
      (spec.default ?? "").replace(/\$\{\{\s*github\.token\s*\}\}/g, token),
    ]),
  );
}

/** The runner's variable for input `name`: upper case, spaces as underscores, hyphens kept. */
export const inputVariable = (name: string): string =>
  `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;

/** The tip of `repo`'s default branch: GITHUB_SHA of the events the Action gates on. */
export function defaultBranchSha(emu: Emulator, repo: string): string {
  const state = [...emu.state.repos.values()].find(
    (candidate) => candidate.fullName.toLowerCase() === repo.toLowerCase(),
  );
  if (!state) throw new Error(`defaultBranchSha: no repository ${repo} in the emulator`);
  const sha = state.branches.get(state.defaultBranch);
  if (!sha) throw new Error(`defaultBranchSha: ${repo} has no ${state.defaultBranch} branch`);
  return sha;
}

/** `name<<DELIMITER` … `DELIMITER` blocks and `name=value` lines of `$GITHUB_OUTPUT`. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const end = lines.indexOf(delimiter, i + 1);
      if (end < 0) throw new Error(`GITHUB_OUTPUT: ${name} has no closing ${delimiter}`);
      outputs[name] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (line.includes("=")) {
      outputs[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
    } else if (line !== "") {
      throw new Error(`GITHUB_OUTPUT: line ${i + 1} is neither name=value nor name<<DELIMITER`);
    }
  }
  return outputs;
}

/**
 * Spawns `node action/index.mjs` with the runner's environment for `event` on `repo`, its token
 * `emu.actionsToken(repo)`, and `payload` as the event. Resolves when the child exits (killed
 * after RUN_TIMEOUT_MS, then `code` is null).
 */
export async function runBundledAction(emu: Emulator, options: RunOptions): Promise<ActionRun> {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run bundle`);
  const temp = mkdtempSync(join(tmpdir(), "changegate-action-"));
  try {
    const eventPath = join(temp, "event.json");
    const outputPath = join(temp, "output");
    const summaryPath = join(temp, "step_summary");
    writeFileSync(eventPath, JSON.stringify(options.payload));
    writeFileSync(outputPath, "");
    writeFileSync(summaryPath, "");
    const token = emu.actionsToken(options.repo);
    const sha = defaultBranchSha(emu, options.repo);
    const inputs = { ...actionDefaults(token), ...options.inputs };
    const runner: Record<string, string> = options.bareEnv
      ? {}
      : {
          GITHUB_ACTIONS: "true",
          CI: "true",
          GITHUB_EVENT_NAME: options.event,
          GITHUB_EVENT_PATH: eventPath,
          GITHUB_OUTPUT: outputPath,
          GITHUB_STEP_SUMMARY: summaryPath,
          GITHUB_REPOSITORY: options.repo,
          GITHUB_REPOSITORY_OWNER: options.repo.split("/")[0]!,
          GITHUB_TOKEN: token,
          GITHUB_API_URL: emu.url,
          GITHUB_GRAPHQL_URL: emu.graphqlUrl,
          GITHUB_SERVER_URL: emu.graphqlUrl.replace(/\/api\/graphql$/, ""),
          GITHUB_RUN_ID: "4242",
          GITHUB_RUN_ATTEMPT: "1",
          GITHUB_WORKFLOW: "Changegate",
          GITHUB_WORKFLOW_REF: `${options.repo}/.github/workflows/changegate.yml@refs/heads/main`,
          // pull_request_target, issue_comment, workflow_run, repository_dispatch: the tip of
          // the (default) base branch.
          GITHUB_SHA: sha,
          GITHUB_REF: "refs/heads/main",
          RUNNER_TEMP: temp,
          ...(options.throttle ? {} : { CHANGEGATE_ACTION_THROTTLE: "off" }),
          ...Object.fromEntries(
            Object.entries(inputs).map(([name, value]) => [inputVariable(name), value]),
          ),
        };
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? temp,
      ...runner,
    };
    for (const [name, value] of Object.entries(options.env ?? {}))
      if (value === undefined) delete env[name];
      else env[name] = value;
    const { code, stdout, stderr } = await spawnNode(
      [BUNDLE],
      env,
      temp,
      options.timeoutMs ?? RUN_TIMEOUT_MS,
    );
    const files: Record<string, string> = {};
    const outputs = parseOutputs(readFileSync(outputPath, "utf8"));
    for (const [name, value] of Object.entries(outputs)) {
      const path = resolve(temp, value);
      if (value && existsSync(path) && statSync(path).isFile()) files[name] = readFileSync(path, "utf8");
    }
    return {
      code,
      stdout,
      stderr,
      outputs,
      summary: readFileSync(summaryPath, "utf8"),
      runnerTemp: temp,
      files,
    };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

function spawnNode(
  args: readonly string[],
  env: Record<string, string>,
  cwd: string,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      stderr += `\n[runBundledAction: killed after ${timeoutMs} ms]`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The parts of a SARIF 2.1.0 log the tests read (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html). */
export interface SarifLog {
  readonly version: string;
  readonly $schema?: string;
  readonly runs: readonly {
    readonly tool: { readonly driver: { readonly name: string } };
    readonly results: readonly {
      readonly ruleId: string;
      readonly level?: string;
      readonly locations: readonly {
        readonly physicalLocation: {
          readonly artifactLocation: { readonly uri: string };
          readonly region: { readonly startLine: number };
        };
      }[];
    }[];
  }[];
}

/** Each result's rule id, file and start line. */
export const sarifFindings = (log: SarifLog): [string, string, number][] =>
  log.runs.flatMap((run) =>
    run.results.map((result): [string, string, number] => [
      result.ruleId,
      result.locations[0]!.physicalLocation.artifactLocation.uri,
      result.locations[0]!.physicalLocation.region.startLine,
    ]),
  );

/**
 * Check-run annotations as `sarifFindings` gives SARIF results: the rule id (the title without its
 * `severity: ` prefix), the file and the start line.
 */
export const annotationFindings = (
  annotations: readonly { readonly title?: string; readonly path: string; readonly start_line: number }[],
): [string, string, number][] =>
  annotations.map((a) => [(a.title ?? "").replace(/^\w+: /, ""), a.path, a.start_line]);

/**
 * The payload of the latest recorded delivery of `event`.`action`: what the runner puts in
 * GITHUB_EVENT_PATH for the workflow that event starts.
 */
export function deliveredPayload(
  emu: Emulator,
  event: string,
  action: string,
): Record<string, unknown> {
  const payload = emu.deliveries({ event, action }).at(-1)?.payload;
  if (!payload) throw new Error(`no ${event}.${action} delivery was recorded`);
  return payload as Record<string, unknown>;
}

/** The workflow commands of `stdout` named `name` (`::error file=…::message`). */
export function commands(stdout: string, name: "error" | "warning" | "notice"): string[] {
  return stdout.split("\n").filter((line) => line.startsWith(`::${name}`));
}
