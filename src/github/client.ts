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

/** Runs a request; a 404 (file, branch or team not there) becomes `undefined`. */
export async function orNotFound<T>(request: () => Promise<T>): Promise<T | undefined> {
  try {
    return await request();
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}
