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
