import { Octokit } from "@octokit/rest";
import { parseJson } from "../formats/json.js";
import { at, toPlain } from "../formats/tree.js";
import { evaluate } from "../gates/evaluate.js";
import { checkSnapshot } from "../gates/snapshot-schema.js";
import type { PullSnapshot } from "../gates/snapshot.js";
import type { Evaluation } from "../gates/verdict.js";
import { describeError } from "../github/client.js";
import { GitHubTimeoutError, limitRequests, seconds } from "../github/request-timeout.js";
import { loadSnapshot } from "../github/snapshot/index.js";
import { analysisJson } from "../render/analysis-json.js";
import { analysisMarkdown } from "../render/analysis-markdown.js";
import { gateLines, howToPass, riskHeading } from "../render/verdict-markdown.js";
import { readRequired, UsageError } from "./io.js";

/** Reads and validates a snapshot file; problems name the file and the line. */
export async function readSnapshotFile(path: string): Promise<PullSnapshot> {
  const parsed = parseJson(await readRequired(path, "snapshot"));
  if (!parsed.ok) {
    const problem = parsed.problems[0]!;
    throw new UsageError(`${path}:${problem.line}: not valid JSON: ${problem.message}`);
  }
  const checked = checkSnapshot(toPlain(parsed.tree));
  if (checked.ok) return checked.snapshot;
  const line = at(parsed.tree, ...checked.path.split(".").filter(Boolean))?.line ?? 1;
  throw new UsageError(`${path}:${line}: ${checked.path}: ${checked.message}`);
}

/** `OWNER/REPO#N` */
export function parsePullRef(ref: string): { owner: string; repo: string; number: number } {
  const match = /^([\w.-]+)\/([\w.-]+)#(\d+)$/.exec(ref);
  // "." and ".." are no names on GitHub; in the API's path they would walk up it.
  if (!match || [match[1], match[2]].some((name) => name === "." || name === ".."))
    throw new UsageError(`expected OWNER/REPO#NUMBER, got "${ref}"`);
  return { owner: match[1]!, repo: match[2]!, number: Number(match[3]) };
}

/** Per request: GitHub itself ends a REST request it cannot process in 10 s ("Troubleshooting the REST API"). */
const CLI_REQUEST_TIMEOUT_MS = 30_000;
/** The whole load (the CLI's client does not retry; this bounds a slow answer that keeps coming). */
const CLI_DEADLINE_MS = 5 * 60_000;

/**
 * A live PR's snapshot through the App's own loader, on @octokit/rest, each request bounded by
 * `timeoutMs` with the App's limiter (src/github/request-timeout.ts).
 */
export async function fetchSnapshot(
  ref: string,
  apiUrl: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs: number = CLI_REQUEST_TIMEOUT_MS,
): Promise<PullSnapshot> {
  const locator = parsePullRef(ref);
  const token = env.GITHUB_TOKEN ?? env.GH_TOKEN;
  if (!token) throw new UsageError("set GITHUB_TOKEN to a token that can read the repository");
  const client = limitRequests(
    new Octokit({
      auth: token,
      ...(apiUrl ? { baseUrl: apiUrl.replace(/\/$/, "") } : {}),
      log: quietLog,
    }),
    { timeoutMs, deadlineMs: Math.max(timeoutMs, CLI_DEADLINE_MS) },
  );
  try {
    return (await loadSnapshot(client, locator)).snapshot;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const timedOut = timeoutOf(error);
    if (timedOut)
      throw new UsageError(
        `cannot reach ${hostOf(apiUrl)}: GitHub did not answer within ${seconds(timeoutMs)}${timedOut}`,
      );
    // The same one-line, redacted reason the App logs: a message may quote a token.
    if (unanswered(error))
      throw new UsageError(`cannot reach ${hostOf(apiUrl)}: ${describeError(error)}`);
    throw new UsageError(`cannot load ${ref}: ${describeError(error)}`);
  }
}

/**
 * A request GitHub never answered (DNS, refused connection, timeout): Octokit's RequestError then
 * has status 500 but no response, and its message is the network error's.
 */
function unanswered(error: unknown): boolean {
  const { name, response } = error as { name?: unknown; response?: unknown };
  return (name === "HttpError" || name === "TimeoutError") && response === undefined;
}

/**
 * For a request the limiter timed out (src/github/request-timeout.ts, possibly wrapped by Octokit
 * as a RequestError's cause): " (METHOD /path)", "" when it does not say which, else undefined.
 */
function timeoutOf(error: unknown): string | undefined {
  for (let cause = error, depth = 0; cause && depth < 4; depth++) {
    if (cause instanceof GitHubTimeoutError)
      return cause.request === undefined ? "" : ` (${cause.request})`;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

const hostOf = (apiUrl: string | undefined): string =>
  new URL(apiUrl ?? "https://api.github.com").host;

const quietLog = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** The verdict JSON (docs/output.md): the analysis plus `verdict`. */
export function evaluationJson(evaluation: Evaluation): object {
  const { verdict } = evaluation;
  return {
    ...analysisJson(evaluation.analysis),
    verdict: {
      conclusion: verdict.conclusion,
      title: verdict.title,
      gates: verdict.gates,
      approvals: verdict.approvals,
      checklist: verdict.checklist,
      emergency: verdict.emergency,
      requirement: verdict.requirement,
      testPlanLinks: verdict.testPlanLinks,
      policyChanged: verdict.policyChanged,
      checkRequired: verdict.checkRequired,
      draft: verdict.draft,
      // What checklist ticks and the emergency override are bound to (docs/snapshot.md).
      ...(verdict.changeSet !== undefined ? { changeSet: verdict.changeSet } : {}),
      // When the schedule gate lets the change in (docs/configuration.md, `windows`).
      ...(verdict.reopensAt !== undefined ? { reopensAt: verdict.reopensAt } : {}),
      ...(verdict.error ? { error: verdict.error } : {}),
    },
  };
}

export function renderEvaluation(evaluation: Evaluation, format: "json" | "markdown"): string {
  if (format === "json") return JSON.stringify(evaluationJson(evaluation), null, 2) + "\n";
  const { verdict } = evaluation;
  const gates = [
    "## Verdict",
    "",
    riskHeading(verdict),
    "",
    ...gateLines(verdict),
    "",
    ...howToPass(verdict),
    "",
  ].join("\n");
  return `${gates}\n${analysisMarkdown(evaluation.analysis)}`;
}

/**
 * Evaluates a snapshot at `at` (`--at`, an ISO instant), else at its own `evaluatedAt`, else now:
 * the `schedule` gate judges windows and freezes at that instant (docs/configuration.md).
 */
export function evaluateSnapshot(
  snapshot: PullSnapshot,
  at?: string,
  now: () => number = Date.now,
): Evaluation {
  const evaluatedAt =
    at !== undefined ? parseAt(at) : (snapshot.evaluatedAt ?? new Date(now()).toISOString());
  return evaluate({ ...snapshot, evaluatedAt });
}

/** `--at 2026-12-04T17:30:00Z` → the ISO instant in UTC; a usage error names what was given. */
export function parseAt(text: string): string {
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim());
  const instant = Date.parse(text);
  if (!withZone || Number.isNaN(instant))
    throw new UsageError(
      `--at: expected an ISO date and time with its offset, such as 2026-12-04T17:30:00Z or 2026-12-04T18:30:00+01:00, got "${text}"`,
    );
  return new Date(instant).toISOString();
}
