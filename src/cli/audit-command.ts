/**
 * `changegate audit`: the merged pull requests that changed infrastructure, with the merge record
 * the App wrote for each, verified (docs/audit.md). Reads GitHub (github/audit*.ts), judges each
 * pull request (render/audit.ts, pure), writes CSV or JSON whole.
 */
import { createPrivateKey, type KeyObject } from "node:crypto";
import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import { Octokit } from "@octokit/rest";
import {
  appBySlug,
  mergedPulls,
  recordComments,
  trustedCheckRun,
  type TrustedApp,
} from "../github/audit.js";
import { appJwt, authenticatedApp, installedRepositories } from "../github/audit-app.js";
import { describeError, type GitHubClient } from "../github/client.js";
import { limitRequests } from "../github/request-timeout.js";
import { auditPull, type AuditRow } from "../render/audit.js";
import { auditCsv, auditJson } from "../render/audit-output.js";
import { checkAuditOptions, type AuditOptions, type RawAuditOptions } from "./audit-options.js";
import { printable, readRequired, UsageError, type CliIo } from "./io.js";
import { progressOn } from "./progress.js";

const DEFAULT_APP = "changegate";
/** Per request, as `evaluate --pr`: GitHub ends a REST request it cannot process in 10 s. */
const REQUEST_TIMEOUT_MS = 30_000;
const CALL_DEADLINE_MS = 5 * 60_000;

export interface AuditDeps {
  readonly env?: NodeJS.ProcessEnv;
  readonly apiUrl?: string | undefined;
  /** Pull requests per page (default 100, GitHub's most; tests page with fewer). */
  readonly perPage?: number;
}

interface Target {
  readonly repository: string;
  readonly client: GitHubClient;
}

/** What is audited: the trusted App, the repositories, and a line per installation not read. */
interface Audited {
  readonly app: TrustedApp;
  readonly targets: readonly Target[];
  readonly unread: readonly string[];
}

/**
 * Runs the audit; resolves to the exit code (docs/audit.md): 0 every row trusted, 1 a row refused
 * or missing, or an installation that could not be read.
 */
export async function auditCommand(
  raw: RawAuditOptions,
  io: CliIo,
  deps: AuditDeps = {},
): Promise<number> {
  const options = checkAuditOptions(raw);
  const env = deps.env ?? process.env;
  const { app, targets, unread } = await onGitHub(deps.apiUrl, () =>
    options.all ? asTheApp(options, env, deps.apiUrl) : withToken(options, env, deps.apiUrl),
  );
  for (const line of unread) io.err(`changegate audit: ${printable(line)}\n`);
  const progress = progressOn(io);
  const rows: AuditRow[] = [];
  let leftOut = 0;
  let merged = 0;
  for (const [index, target] of targets.entries()) {
    const where = `${target.repository} (${index + 1}/${targets.length})`;
    const pulls = await onGitHub(deps.apiUrl, () =>
      mergedPulls(target.client, target.repository, options, {
        ...(deps.perPage !== undefined ? { perPage: deps.perPage } : {}),
        onPage: (listed) =>
          progress.step(`${where}: listing closed pull requests`, "listed")(listed, listed),
      }),
    );
    merged += pulls.length;
    const step = progress.step(`${where}:`, "pull requests");
    for (const [done, pull] of pulls.entries()) {
      step(done, pulls.length);
      const outcome = await onGitHub(deps.apiUrl, async () => {
        const [checkRun, { mergedBy, comments }] = await Promise.all([
          trustedCheckRun(target.client, target.repository, pull.headSha, app),
          recordComments(target.client, target.repository, pull.number),
        ]);
        return auditPull({ pull: { ...pull, mergedBy }, appSlug: app.slug, checkRun, comments });
      });
      if (outcome.kind === "no-infrastructure") {
        leftOut++;
        continue;
      }
      rows.push(outcome.row);
      if (outcome.row.warnings.length) progress.clear();
      for (const warning of outcome.row.warnings)
        // A reason may quote a comment's text: its control characters are shown, not run.
        io.err(`changegate audit: ${target.repository}#${pull.number}: ${printable(warning)}\n`);
    }
    step(pulls.length, pulls.length);
  }
  progress.clear();
  const text = options.format === "csv" ? auditCsv(rows) : auditJson(rows);
  // A terminal shows a carriage return as `\u000d` (io.ts `printable`): line feeds alone there.
  if (options.output === undefined) io.out(io.outIsTTY ? text.replace(/\r\n/g, "\n") : text);
  else await writeWhole(options.output, text);
  io.err(`changegate audit: ${summary(rows, merged, leftOut, targets.length)}\n`);
  const untrusted = rows.some((row) => row.record === "refused" || row.record === "missing");
  return untrusted || unread.length > 0 ? 1 : 0;
}

function summary(
  rows: readonly AuditRow[],
  merged: number,
  leftOut: number,
  repositories: number,
): string {
  const count = (status: AuditRow["record"]): number =>
    rows.filter((row) => row.record === status).length;
  const records = (["verified", "check-run-only", "refused", "missing"] as const)
    .map((status) => `${count(status)} ${status}`)
    .join(", ");
  return `${merged} merged pull request${merged === 1 ? "" : "s"} in ${repositories} repositor${repositories === 1 ? "y" : "ies"}: ${rows.length} listed (${records}), ${leftOut} left out (no infrastructure change)`;
}

/** `--repo`: GITHUB_TOKEN reads; the trusted App is `--app`'s (GET /apps/{slug}). */
async function withToken(
  options: AuditOptions,
  env: NodeJS.ProcessEnv,
  apiUrl: string | undefined,
): Promise<Audited> {
  const token = env.GITHUB_TOKEN ?? env.GH_TOKEN;
  if (!token) throw new UsageError("set GITHUB_TOKEN to a token that can read the repositories");
  const client = gitHubClient(token, apiUrl);
  const slug = options.app ?? DEFAULT_APP;
  const app = await appBySlug(client, slug);
  if (!app) throw new UsageError(`--app ${slug}: GitHub knows no App by that slug`);
  return {
    app,
    targets: options.repositories.map((repository) => ({ repository, client })),
    unread: [],
  };
}

/** `--all`: the App's credentials, as the App server reads them (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH). */
async function asTheApp(
  options: AuditOptions,
  env: NodeJS.ProcessEnv,
  apiUrl: string | undefined,
): Promise<Audited> {
  const appId = env.APP_ID?.trim();
  if (!appId)
    throw new UsageError(
      "--all needs the App's credentials: set APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH)",
    );
  if (!/^[1-9]\d*$/.test(appId))
    throw new UsageError(`APP_ID is not a number: "${appId.slice(0, 12)}"`);
  const key = await privateKey(env);
  // A fresh JWT for each use: one lasts minutes, an audit of many repositories longer.
  const appClient = (): GitHubClient => gitHubClient(appJwt(appId, key), apiUrl);
  const app = await authenticatedApp(appClient());
  if (options.app !== undefined && options.app.toLowerCase() !== app.slug.toLowerCase())
    throw new UsageError(`--app ${options.app}: the credentials are the App ${app.slug}'s`);
  const { repositories, unreadable } = await installedRepositories(appClient, (token) =>
    gitHubClient(token, apiUrl),
  );
  return {
    app,
    targets: repositories,
    unread: unreadable.map((one) => `${one.installation}: not audited: ${one.reason}`),
  };
}

async function privateKey(env: NodeJS.ProcessEnv): Promise<KeyObject> {
  let name = "PRIVATE_KEY";
  let text = env.PRIVATE_KEY;
  if (!text && env.PRIVATE_KEY_PATH) {
    name = `PRIVATE_KEY_PATH (${env.PRIVATE_KEY_PATH})`;
    text = await readRequired(env.PRIVATE_KEY_PATH, "PRIVATE_KEY_PATH");
  }
  if (!text)
    throw new UsageError("--all needs the App's private key: set PRIVATE_KEY or PRIVATE_KEY_PATH");
  // As the App server takes it: quotes from a .env file, base64 of a PEM, `\n` escapes.
  let pem = text.trim().replace(/^(["'])([\s\S]*)\1$/, "$2");
  if (Buffer.from(pem, "base64").toString("base64") === pem)
    pem = Buffer.from(pem, "base64").toString();
  pem = pem.replace(/\\n/g, "\n");
  try {
    return createPrivateKey(pem);
  } catch {
    throw new UsageError(`${name} is not a PEM private key`);
  }
}

/** `auth`: a token, or a function that gives the current one (installation tokens expire). */
function gitHubClient(
  auth: string | (() => Promise<string>),
  apiUrl: string | undefined,
): GitHubClient {
  const octokit = new Octokit({
    ...(typeof auth === "string" ? { auth } : {}),
    ...(apiUrl ? { baseUrl: apiUrl.replace(/\/$/, "") } : {}),
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    },
  });
  if (typeof auth !== "string")
    octokit.hook.before("request", async (options) => {
      options.headers.authorization = `token ${await auth()}`;
    });
  return limitRequests(octokit, { timeoutMs: REQUEST_TIMEOUT_MS, deadlineMs: CALL_DEADLINE_MS });
}

/** A GitHub failure is one line (secrets redacted), exit 2. */
async function onGitHub<T>(apiUrl: string | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const host = new URL(apiUrl ?? "https://api.github.com").host;
    throw new UsageError(`cannot read ${host}: ${describeError(error)}`);
  }
}

/** The output file, whole or not at all: written beside it, then renamed over it. */
async function writeWhole(path: string, text: string): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, text, { flag: "wx" });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot write ${path}: ${code === "ENOENT" ? "no such folder" : (code ?? (error as Error).message)}`,
    );
  }
}
