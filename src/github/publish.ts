import {
  CHECK_NAME,
  type Annotation,
  type CheckRunOutput,
  inProgressOutput,
} from "../render/check-run.js";
import type { GitHubClient, PullLocator } from "./client.js";
import type { StickyComment } from "./snapshot-loader.js";

/** GitHub accepts at most 50 annotations per check-run request (Checks API, "Update a check run"). */
const ANNOTATIONS_PER_REQUEST = 50;

/** Marks the head's Changegate check as in progress (reusing the head's run if there is one). */
export async function startCheck(
  client: GitHubClient,
  locator: PullLocator,
  headSha: string,
): Promise<number> {
  const { owner, repo } = locator;
  const existing = await client.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
    owner,
    repo,
    ref: headSha,
    check_name: CHECK_NAME,
    filter: "latest",
    per_page: 1,
  });
  const run = existing.data.check_runs[0];
  if (run) {
    if (run.status !== "in_progress") {
      // A fresh started_at: recovery re-evaluates runs left in progress since long ago.
      await client.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
        owner,
        repo,
        check_run_id: run.id,
        status: "in_progress",
        started_at: new Date().toISOString(),
        output: inProgressOutput(),
      });
    }
    return Number(run.id);
  }
  const created = await client.request("POST /repos/{owner}/{repo}/check-runs", {
    owner,
    repo,
    name: CHECK_NAME,
    head_sha: headSha,
    status: "in_progress",
    started_at: new Date().toISOString(),
    output: inProgressOutput(),
  });
  return Number(created.data.id);
}

/** Completes the check run; annotations beyond the first 50 go in follow-up updates (GitHub appends them). */
export async function completeCheck(
  client: GitHubClient,
  locator: PullLocator,
  checkRunId: number,
  output: CheckRunOutput,
): Promise<void> {
  const { owner, repo } = locator;
  const batches = chunk(output.annotations, ANNOTATIONS_PER_REQUEST);
  const base = {
    title: output.title,
    summary: output.summary,
    ...(output.text ? { text: output.text } : {}),
  };
  await client.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
    owner,
    repo,
    check_run_id: checkRunId,
    status: "completed",
    conclusion: output.conclusion,
    completed_at: new Date().toISOString(),
    output: { ...base, annotations: (batches[0] ?? []) as Annotation[] },
  });
  for (const batch of batches.slice(1)) {
    await client.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      owner,
      repo,
      check_run_id: checkRunId,
      output: { ...base, annotations: batch as Annotation[] },
    });
  }
}

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

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
