/** The sticky comment, replies and the follow-up issue: every write but the check run's. */
import { BODY_LIMIT, clip } from "../render/check-run.js";
import type { GitHubClient, PullLocator } from "./client.js";
import type { StickyComment } from "./snapshot/index.js";

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

/**
 * Opens an issue unless the App already opened one whose body starts with `marker` (an earlier
 * evaluation may have opened it, then failed before recording its number): never twice.
 */
export async function openIssueOnce(
  client: GitHubClient,
  locator: PullLocator,
  issue: { title: string; body: string; assignee?: string },
  once: { marker: string; creator: string },
): Promise<number> {
  const mine = await client.paginate("GET /repos/{owner}/{repo}/issues", {
    owner: locator.owner,
    repo: locator.repo,
    creator: once.creator,
    state: "all",
    per_page: 100,
  });
  const found = mine.find(
    (candidate) =>
      !candidate.pull_request &&
      candidate.user?.login === once.creator &&
      (candidate.body ?? "").startsWith(once.marker),
  );
  if (found) return found.number;
  return openIssue(client, locator, issue);
}

async function openIssue(
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
    body: clip(body, BODY_LIMIT),
  });
}
