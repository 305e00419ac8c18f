import type { Octokit } from "@octokit/rest";

/**
 * The slice of Octokit the App and the CLI use: ProbotOctokit (in the App) and @octokit/rest
 * (in `changegate snapshot`) both provide it, so one loader serves both. `graphql` batches the
 * snapshot's reads (snapshot/graphql/); REST remains the fallback.
 */
export type GitHubClient = Pick<Octokit, "request" | "paginate" | "graphql">;

export interface PullLocator {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
}

export const fullName = (locator: PullLocator): string => `${locator.owner}/${locator.repo}`;

/** HTTP status of an Octokit error, if any. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown })?.status;
  return typeof status === "number" ? status : undefined;
}

/**
 * Runs a request; a 404 (file, branch or team not there) becomes `undefined`, and so does any
 * other status in `also` (a 403 where the token may not read something the caller treats as unknown).
 */
export async function orNotFound<T>(
  request: () => Promise<T>,
  also: readonly number[] = [],
): Promise<T | undefined> {
  try {
    return await request();
  } catch (error) {
    const status = statusOf(error);
    if (status === 404 || (status !== undefined && also.includes(status))) return undefined;
    throw error;
  }
}

/** Tokens, JWTs and private keys that an error message could carry. */
const SECRET =
  /(gh[pousr]_[A-Za-z0-9_]{20,}|v1\.[0-9a-f]{40}|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*|-----BEGIN [A-Z ]+-----[\s\S]*?(-----END [A-Z ]+-----|$)|\b(bearer|token)\s+[A-Za-z0-9._-]{16,})/gi;

/**
 * A one-line reason without secrets: HTTP status and message, never headers or tokens. A status
 * without a response is a transport failure (timeout, connection reset), not GitHub's answer.
 */
export function describeError(error: unknown): string {
  const status = (error as { status?: unknown })?.status;
  const answered = (error as { response?: unknown })?.response !== undefined;
  const message = error instanceof Error ? error.message : String(error);
  const clean = message.replace(SECRET, "[redacted]");
  const prefix = typeof status === "number" && answered ? `GitHub API answered ${status}: ` : "";
  return `${prefix}${clean.split("\n")[0]!.slice(0, 300)}`;
}
