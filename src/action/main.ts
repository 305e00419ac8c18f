/**
 * The GitHub Action's edge (action.yml runs the bundle of this file): the runner's environment
 * in, the same evaluation as the App's out (`runGate`: snapshot → evaluate → render → publish),
 * then the job's outputs, summary, annotations, SARIF and exit code. Where the App has webhooks,
 * Redis and recovery sweeps, the Action has one event per run (docs/action.md).
 */
import { createHmac } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import type { Evaluation } from "../gates/verdict.js";
import { analysisSarif } from "../render/sarif.js";
import { atLeast, maxSeverity, type Severity } from "../rules/severity.js";
import { describeError, type GitHubClient, type PullLocator } from "../github/client.js";
import type { Work } from "../github/events.js";
import { openPullsWithHead } from "../github/pull-state.js";
import { limitRequests } from "../github/request-timeout.js";
import { acceptCommand, runGate, type GateDeps, type RunOutcome } from "../github/run-gate.js";
import type { GateRequest } from "../github/triggers.js";
import { ActionInputError, readInputs, type ActionInputs } from "./inputs.js";
import { planFor } from "./plan.js";
import { annotationCommands, RunnerFiles, summaryMarkdown, workflowCommand } from "./runner.js";

/** A GitHub request gets this long per attempt; a whole run is bounded by the job's own timeout. */
const REQUEST_TIMEOUT_MS = 30_000;
const REQUEST_DEADLINE_MS = 5 * 60_000;

/** What the sticky comment's default state key is derived with (not a secret: docs/security.md). */
const DEFAULT_STATE_KEY_LABEL = "changegate: action state key v1";

export interface ActionIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
}

const processIo: ActionIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

interface Evaluated {
  readonly number: number;
  readonly outcome: RunOutcome;
}

/** Runs the Action once; returns the exit code (1: the gate failed, or the Action could not run). */
export async function runAction(env: NodeJS.ProcessEnv, io: ActionIo = processIo): Promise<number> {
  let inputs: ActionInputs;
  let event: RunnerEvent;
  try {
    // The event first: outside a runner, "not a workflow step" says more than a missing input.
    event = readEvent(env);
    inputs = readInputs(env);
  } catch (error) {
    if (!(error instanceof ActionInputError)) throw error;
    io.stdout(workflowCommand("error", `Changegate: ${error.message}`));
    return 1;
  }
  const files = new RunnerFiles(env);
  const isOwn = (sender: { login?: string; type?: string } | null | undefined): boolean =>
    sender?.type === "Bot" && sender.login === inputs.botLogin;
  const plan = planFor(event.name, event.payload, isOwn);
  if (plan.kind === "relay") {
    io.stdout(workflowCommand("notice", `Changegate: ${plan.message}`));
    files.setOutputs({ risk: "", conclusion: "", "sarif-file": "" });
    return 0;
  }
  if (plan.kind === "refuse") {
    io.stdout(workflowCommand("error", plan.message));
    return 1;
  }
  const client = actionClient(env, inputs.token);
  const deps = await gateDeps(client, inputs, event, io);
  const evaluated: Evaluated[] = [];
  let failures = 0;
  for (const work of plan.work) {
    try {
      evaluated.push(...(await perform(client, work, deps)));
    } catch (error) {
      // Only the look-up of a head's pull requests can fail here (runGate fails closed itself).
      failures++;
      io.stdout(workflowCommand("error", `Changegate: ${describeError(error)}`));
    }
  }
  if (plan.work.length === 0)
    io.stdout(
      workflowCommand("notice", `Changegate: this ${event.name} event asks for no evaluation`),
    );
  return report(evaluated, inputs, files, io) || (failures > 0 ? 1 : 0);
}

interface RunnerEvent {
  readonly name: string;
  readonly payload: Parameters<typeof planFor>[1] & {
    repository?: { id?: number; name: string; owner: { login: string } };
  };
}

function readEvent(env: NodeJS.ProcessEnv): RunnerEvent {
  const name = env.GITHUB_EVENT_NAME ?? "";
  const path = env.GITHUB_EVENT_PATH;
  if (!name || !path)
    throw new ActionInputError(
      "GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set: run Changegate as a step of a GitHub Actions workflow (docs/action.md), or use the CLI",
    );
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ActionInputError(`${path}: cannot read the event payload (${describeError(error)})`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    throw new ActionInputError(`${path}: the event payload is not JSON (${describeError(error)})`);
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload))
    throw new ActionInputError(`${path}: the event payload is not a JSON object`);
  return { name, payload: payload as RunnerEvent["payload"] };
}

/** @octokit/rest with the retry and throttling Probot gives the App, bounded like the App's requests. */
function actionClient(env: NodeJS.ProcessEnv, token: string): GitHubClient {
  const ActionOctokit = Octokit.plugin(retry, throttling);
  const octokit = new ActionOctokit({
    auth: token,
    baseUrl: (env.GITHUB_API_URL || "https://api.github.com").replace(/\/$/, ""),
    userAgent: `changegate-action/${version()}`,
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    throttle: {
      // GitHub asks for a second between writes (the plugin's default); a test against a local
      // emulator turns that off (docs/action.md, "What it reads from the runner").
      enabled: env.CHANGEGATE_ACTION_THROTTLE !== "off",
      // A primary limit is waited out once; secondary limits are the request limiter's (request-timeout.ts).
      onRateLimit: (_after: number, _options: object, _octokit: object, retryCount: number) =>
        retryCount < 1,
      onSecondaryRateLimit: () => false,
    },
  });
  limitRequests(octokit, { timeoutMs: REQUEST_TIMEOUT_MS, deadlineMs: REQUEST_DEADLINE_MS });
  // GraphQL at the runner's GITHUB_GRAPHQL_URL (on GitHub Enterprise Server `https://HOST/api/graphql`,
  // https://docs.github.com/en/actions/reference/workflows-and-actions/variables#default-environment-variables);
  // Octokit's own choice from the REST base is the same URL on github.com and GHES.
  const graphqlUrl = env.GITHUB_GRAPHQL_URL?.replace(/\/$/, "");
  if (!graphqlUrl?.endsWith("/graphql")) return octokit;
  return {
    request: octokit.request,
    paginate: octokit.paginate,
    graphql: octokit.graphql.defaults({ baseUrl: graphqlUrl.slice(0, -"/graphql".length) }),
  };
}

/**
 * Who the Action writes as: the token's bot (`bot-login`) and its App's id, so that the sticky
 * comment and the check run are trusted only as its own (GET /apps/{slug} is public:
 * https://docs.github.com/en/rest/apps/apps#get-an-app). Unknown, the evaluation fails closed.
 */
async function gateDeps(
  client: GitHubClient,
  inputs: ActionInputs,
  event: RunnerEvent,
  io: ActionIo,
): Promise<GateDeps> {
  const repository = event.payload.repository;
  const stateKey =
    inputs.stateKey ??
    createHmac("sha256", DEFAULT_STATE_KEY_LABEL)
      .update(String(repository?.id ?? `${repository?.owner.login}/${repository?.name}`))
      .digest("hex");
  const log: GateDeps["log"] = {
    info: (fields, message) => io.stdout(logLine(message, fields)),
    error: (fields, message) => io.stderr(logLine(message, fields)),
  };
  const common = {
    stateKey,
    log,
    comment: inputs.comment,
    // The default name means the App's lookup (both spellings, the owner's .github repository).
    policyPath: inputs.config,
  };
  const slug = inputs.botLogin.replace(/\[bot\]$/, "");
  const identitySource = `GET /apps/${slug}`;
  if (slug === inputs.botLogin)
    return {
      ...common,
      identitySource,
      identityError: new Error(
        `bot-login ${inputs.botLogin} is not a GitHub App's bot: only an App's token (GITHUB_TOKEN is one) can write check runs`,
      ),
    };
  try {
    const { data } = await client.request("GET /apps/{app_slug}", { app_slug: slug });
    if (!data?.id) throw new Error(`GET /apps/${slug} answered without the App's id`);
    return { ...common, botLogin: inputs.botLogin, appId: Number(data.id) };
  } catch (error) {
    return { ...common, identitySource, identityError: error };
  }
}

async function perform(client: GitHubClient, work: Work, deps: GateDeps): Promise<Evaluated[]> {
  const gate = async (locator: PullLocator, request: GateRequest): Promise<Evaluated> => ({
    number: locator.number,
    outcome: await runGate(client, locator, request, deps),
  });
  switch (work.kind) {
    case "evaluate":
      return [await gate(work.locator, work.request)];
    case "command": {
      const request = await acceptCommand(client, work.locator, work.command, deps.log);
      return request ? [await gate(work.locator, request)] : [];
    }
    case "evaluate-head": {
      const numbers = await openPullsWithHead(client, work.repository, work.headSha);
      const out: Evaluated[] = [];
      for (const number of numbers)
        out.push(await gate({ ...work.repository, number }, work.request));
      return out;
    }
  }
}

/** Outputs, summary, annotations and SARIF; returns 1 when the job must fail. */
function report(
  evaluated: readonly Evaluated[],
  inputs: ActionInputs,
  files: RunnerFiles,
  io: ActionIo,
): number {
  const published = evaluated.flatMap(({ number, outcome }) =>
    outcome.kind === "published" ? [{ number, ...outcome }] : [],
  );
  for (const { number, outcome } of evaluated)
    if (outcome.kind === "skipped")
      io.stdout(workflowCommand("notice", `Changegate: #${number}: ${outcome.reason}`));
  for (const { output } of published) for (const line of annotationCommands(output.annotations)) io.stdout(line);
  if (published.length > 0)
    files.addSummary(
      summaryMarkdown(
        published.map(({ number, output }) => ({ heading: `Changegate #${number}`, output })),
      ),
    );
  const evaluations = published.flatMap(({ evaluation }) => (evaluation ? [evaluation] : []));
  const risk = highestRisk(evaluations);
  const failed = published.filter(({ output }) => output.conclusion === "failure");
  const sarifFile = inputs.sarif && evaluations.length > 0 ? writeSarif(inputs.sarif, evaluations) : "";
  files.setOutputs({
    risk: risk ?? "",
    conclusion: published.length === 0 ? "" : failed.length > 0 ? "failure" : "success",
    "sarif-file": sarifFile,
  });
  for (const { number, output } of failed)
    io.stdout(workflowCommand("error", `Changegate #${number}: ${output.title}`));
  const tooRisky =
    inputs.failOn !== undefined && evaluations.some((e) => atLeast(e.analysis.risk, inputs.failOn!));
  if (tooRisky && failed.length === 0)
    io.stdout(
      workflowCommand("error", `Changegate: the risk is ${risk}, at or above fail-on (${inputs.failOn})`),
    );
  return failed.length > 0 || tooRisky ? 1 : 0;
}

function highestRisk(evaluations: readonly Evaluation[]): Severity | undefined {
  if (evaluations.length === 0) return undefined;
  return maxSeverity(evaluations.map((evaluation) => evaluation.analysis.risk));
}

/** One SARIF log with a run per evaluated pull request, written whole (a temporary file, renamed). */
function writeSarif(path: string, evaluations: readonly Evaluation[]): string {
  const logs = evaluations.map(
    (evaluation) => analysisSarif(evaluation.analysis, version()) as { runs: unknown[] },
  );
  const merged = { ...logs[0]!, runs: logs.flatMap((log) => log.runs) };
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(merged, null, 2)}\n`);
  renameSync(temporary, path);
  return path;
}

function logLine(message: string | undefined, fields: object): string {
  const detail = Object.entries(fields)
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
  return `changegate: ${message ?? ""}${detail ? ` (${detail})` : ""}`;
}

/**
 * The package version: package.json sits one folder above the bundle (`action/index.mjs`) and
 * two above this source file.
 */
function version(): string {
  const require = createRequire(import.meta.url);
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of ["../package.json", "../../package.json"]) {
    try {
      const found = require(resolve(here, candidate)) as { name?: string; version?: string };
      if (found.name === "changegate" && found.version) return found.version;
    } catch {
      // Not there: the next candidate.
    }
  }
  return "0.0.0";
}

/** Run as the entry (the bundle, or `tsx src/action/main.ts`), not when imported by a test. */
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  runAction(process.env).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stdout.write(
        `${workflowCommand("error", `Changegate failed: ${describeError(error)}`)}\n`,
      );
      process.exitCode = 1;
    },
  );

