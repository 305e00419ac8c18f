import type { CheckRunOutput } from "../render/check-run.js";
import { CHECK_NAME } from "../shared/names.js";
import type { GitHubClient, PullLocator } from "./client.js";
import type { StickyComment } from "./snapshot-loader.js";

/** Edits the sticky comment in place (not at all when unchanged), or creates it once. */
export async function upsertComment(
  client: GitHubClient,
  locator: PullLocator,
  existing: StickyComment | null,
  body: string,
): Promise<StickyComment> {
  const { owner, repo, number } = locator;
  if (existing) {
    if (existing.body.trim() === body.trim()) return existing;
    await client.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
      owner,
      repo,
      comment_id: existing.id,
      body,
    });
    return { id: existing.id, body };
  }
  const created = await client.request(
    "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    { owner, repo, issue_number: number, body },
  );
  return { id: Number(created.data.id), body };
}

export async function openIssue(
  client: GitHubClient,
  locator: PullLocator,
  issue: { title: string; body: string; assignee?: string },
): Promise<number> {
  const created = await client.request("POST /repos/{owner}/{repo}/issues", {
    owner: locator.owner,
    repo: locator.repo,
    title: issue.title,
    body: issue.body,
    ...(issue.assignee ? { assignees: [issue.assignee] } : {}),
  });
  return created.data.number;
}

export async function reply(
  client: GitHubClient,
  locator: PullLocator,
  body: string,
): Promise<void> {
  await client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    owner: locator.owner,
    repo: locator.repo,
    issue_number: locator.number,
    body,
  });
}

/**
 * Creates a completed, failing check run in one request: the last resort of the fail-closed path
 * when the head's run cannot be found or updated.
 */
export async function failCheck(
  client: GitHubClient,
  locator: PullLocator,
  headSha: string,
  output: CheckRunOutput,
): Promise<number> {
  const created = await client.request("POST /repos/{owner}/{repo}/check-runs", {
    owner: locator.owner,
    repo: locator.repo,
    name: CHECK_NAME,
    head_sha: headSha,
    status: "completed",
    conclusion: "failure",
    completed_at: new Date().toISOString(),
    output: { title: output.title, summary: output.summary },
  });
  return Number(created.data.id);
}

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
