/**
 * Suggested fixes as GitHub suggestions: one review per head, updated rather than duplicated, at
 * most the policy's `suggestions.maxComments` comments (docs/output.md, "Suggested fixes"). Runs
 * after the check run is complete: a failure here is logged and never changes the verdict.
 */
import type { Evaluation } from "../gates/verdict.js";
import {
  commentMarker,
  reviewBody,
  suggestionsOf,
  type Suggestion,
} from "../render/suggestions.js";
import { describeError, statusOf, type GitHubClient, type PullLocator } from "./client.js";
import type { LoadedPull } from "./snapshot/index.js";

interface ReviewCommentItem {
  readonly id: number;
  readonly body: string;
  readonly path: string;
  readonly user: { readonly login: string } | null;
}

export async function publishSuggestions(
  client: GitHubClient,
  locator: PullLocator,
  loaded: LoadedPull,
  evaluation: Evaluation,
  // The log as run-gate.ts's GateDeps has it (not imported from there: run-gate.ts imports this file).
  deps: {
    readonly botLogin: string;
    readonly log: { error: (obj: object, msg?: string) => void };
  },
): Promise<void> {
  const head = loaded.snapshot.pull.headSha;
  try {
    await offer(client, locator, loaded, evaluation, deps.botLogin);
  } catch (error) {
    // A 403 is the usual one: an installation that has not accepted Pull requests: write (docs/install.md).
    const hint =
      statusOf(error) === 403 ? " (does the installation grant Pull requests: write?)" : "";
    deps.log.error(
      { pull: locator, headSha: head, reason: describeError(error) },
      `could not post the suggested fixes${hint}; the verdict stands`,
    );
  }
}

/** What to offer on this head, under the policy's cap; then the review or its updates. */
async function offer(
  client: GitHubClient,
  locator: PullLocator,
  loaded: LoadedPull,
  evaluation: Evaluation,
  botLogin: string,
): Promise<void> {
  const { snapshot } = loaded;
  if (evaluation.verdict.error || snapshot.pull.state === "closed") return;
  const max = evaluation.maxSuggestions ?? 0;
  if (max === 0) return;
  const head = snapshot.pull.headSha;
  // The engine's text hunks of each file (no second diff), with its text at the head.
  const after = new Map(snapshot.files.map((file) => [file.path, file.after]));
  const files = evaluation.analysis.files.map((file) => ({
    path: file.path,
    after: after.get(file.path) ?? null,
    hunks: file.hunks,
  }));
  const wanted = suggestionsOf(evaluation.analysis.findings, files, head);
  // Whether this head has the App's review: the snapshot's reviews told (no second read).
  const reviewed = loaded.ownReviewHeads.includes(head);
  if (wanted.length > 0) await publish(client, locator, head, wanted, { max, botLogin, reviewed });
}

/**
 * A new review with the first `max` suggestions when the App has none on this head; else its
 * comments compared with what is wanted: a changed one edited, a new one added singly, within `max`.
 */
async function publish(
  client: GitHubClient,
  locator: PullLocator,
  head: string,
  wanted: readonly Suggestion[],
  { max, botLogin, reviewed }: { max: number; botLogin: string; reviewed: boolean },
): Promise<void> {
  const where = { owner: locator.owner, repo: locator.repo, pull_number: locator.number };
  const ours = (login: string | undefined): boolean => login === botLogin;
  if (!reviewed) {
    const first = wanted.slice(0, max);
    await client.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
      ...where,
      commit_id: head,
      event: "COMMENT",
      body: reviewBody(head, first.length),
      comments: first.map((s) => ({ path: s.path, line: s.line, side: "RIGHT", body: s.body })),
    });
    return;
  }
  // The review's comments and the single ones added to this head since: every comment of ours
  // whose marker names this head (the pull's review comments hold both).
  const comments = (
    (await client.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/comments", {
      ...where,
      per_page: 100,
    })) as ReviewCommentItem[]
  ).filter((c) => ours(c.user?.login) && commentMarker(c.body)?.head === head);
  const posted = new Map(comments.map((c) => [`${c.path}\n${commentMarker(c.body)!.key}`, c]));
  let count = comments.length;
  for (const suggestion of wanted) {
    const existing = posted.get(`${suggestion.path}\n${suggestion.key}`);
    if (existing) {
      if (existing.body !== suggestion.body)
        await client.request("PATCH /repos/{owner}/{repo}/pulls/comments/{comment_id}", {
          owner: locator.owner,
          repo: locator.repo,
          comment_id: existing.id,
          body: suggestion.body,
        });
      continue;
    }
    if (count >= max) continue;
    await client.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/comments", {
      ...where,
      commit_id: head,
      path: suggestion.path,
      line: suggestion.line,
      side: "RIGHT",
      body: suggestion.body,
    });
    count++;
  }
}
