import type { GitHubClient, PullLocator } from "./client.js";

/** What a result may be published for: the PR's head and whether it is still open (or merged). */
export interface PullState {
  readonly headSha: string;
  readonly open: boolean;
  readonly merged: boolean;
}

export async function currentPull(client: GitHubClient, locator: PullLocator): Promise<PullState> {
  const pull = await client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
    owner: locator.owner,
    repo: locator.repo,
    pull_number: locator.number,
  });
  return {
    headSha: pull.data.head.sha,
    open: pull.data.state === "open",
    merged: Boolean(pull.data.merged),
  };
}

/** Every open pull request of a repository, with its head: one request per 100. */
export async function openPulls(
  client: GitHubClient,
  { owner, repo }: Pick<PullLocator, "owner" | "repo">,
): Promise<{ number: number; head: { sha: string } }[]> {
  return client.paginate("GET /repos/{owner}/{repo}/pulls", {
    owner,
    repo,
    state: "open",
    per_page: 100,
  });
}

/**
 * The open pull requests whose head is `headSha`, by number: several pull requests can share a
 * head (the same branch into two bases, or two branches at one commit), and so share its check.
 * Every open pull request is listed (a filter by head branch would miss another branch at the
 * same commit).
 */
export async function openPullsWithHead(
  client: GitHubClient,
  repository: Pick<PullLocator, "owner" | "repo">,
  headSha: string,
): Promise<number[]> {
  return (await openPulls(client, repository))
    .filter((pull) => pull.head.sha === headSha)
    .map((pull) => pull.number)
    .sort((a, b) => a - b);
}

/**
 * The pull requests in `state` last updated at or after `since` (epoch ms), most recently updated
 * first: listed by `updated` descending, page by page, up to the first one updated before
 * `since` (none after it is newer). For recovery's recently active PRs and the audit's merges (a
 * merge updates its pull request). `onPage` is told how many have been listed so far.
 */
export async function pullsUpdatedSince<T extends { readonly updated_at: string }>(
  client: GitHubClient,
  repository: Pick<PullLocator, "owner" | "repo">,
  state: "open" | "closed",
  since: number,
  { perPage = 100, onPage }: { perPage?: number; onPage?: (listed: number) => void } = {},
): Promise<T[]> {
  const recent: T[] = [];
  for (let page = 1; ; page++) {
    const { data } = await client.request("GET /repos/{owner}/{repo}/pulls", {
      owner: repository.owner,
      repo: repository.repo,
      state,
      sort: "updated",
      direction: "desc",
      per_page: perPage,
      page,
    });
    const pulls = data as unknown as T[];
    const older = pulls.findIndex((pull) => Date.parse(pull.updated_at) < since);
    recent.push(...(older < 0 ? pulls : pulls.slice(0, older)));
    onPage?.(recent.length);
    if (older >= 0 || pulls.length < perPage) return recent;
  }
}
