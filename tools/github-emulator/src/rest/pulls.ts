/** Pull requests: the pull request, its files, commits, reviews and review comments. */
import { structuredPatch } from "diff";
import { diffTrees, mergeBase } from "../state/git.js";
import { HttpError, nextId, now, requirePull, requireRepo } from "../state/store.js";
import { mergeableState, pullChanges, pullCommits } from "../state/queries.js";
import { filePatch } from "../state/patch.js";
import type { PullRequest, Repository, Review, ReviewComment } from "../state/types.js";
import type { Shapes } from "./shapes/index.js";
import { reviewComment, type DiffPlace } from "./shapes/pulls.js";
import {
  bodyOf,
  created,
  num,
  ok,
  paginate,
  str,
  type HandlerTable,
  type RestContext,
} from "./context.js";

function target(ctx: RestContext): { repo: Repository; pr: PullRequest } {
  const repo = requireRepo(ctx.state, str(ctx, "owner"), str(ctx, "repo"));
  return { repo, pr: requirePull(repo, num(ctx, "pull_number")) };
}

/** The full `pull-request` representation with its computed counts. */
export function pullShape(
  shapes: Shapes,
  repo: Repository,
  pr: PullRequest,
): Record<string, unknown> {
  let additions = 0;
  let deletions = 0;
  const changes = pullChanges(repo, pr);
  for (const change of changes) {
    const patch = filePatch(change.before ?? "", change.after ?? "");
    additions += patch.additions;
    deletions += patch.deletions;
  }
  return shapes.pull(repo, pr, {
    commits: pullCommits(repo, pr).length,
    additions,
    deletions,
    changedFiles: changes.length,
    mergeableState: mergeableState(repo, pr),
  });
}

/** A comment as the create-review and create-review-comment bodies give it. */
interface CommentInput {
  path: string;
  body: string;
  line?: number;
  side?: string;
  start_line?: number;
  start_side?: string;
  position?: number;
}

/**
 * GitHub's answers when a review comment's place is not in the diff (`validation_failed_simple`):
 * a path the pull request does not change, and a `line` outside every hunk (the texts GitHub gives
 * create-review today; the REST docs do not list them).
 */
const UNRESOLVED = {
  Path: "Path could not be resolved",
  Line: "Pull request review thread line must be part of the diff and Pull request review thread diff hunk can't be blank",
} as const;

function unresolved(what: keyof typeof UNRESOLVED): HttpError {
  return new HttpError(422, "Unprocessable Entity", [UNRESOLVED[what]]);
}

/**
 * The place of `line` on `side` of `path` in the diff of the pull request at `commitId` (merge base
 * → that commit, three lines of context, as "Files changed" shows it), or undefined when the line is
 * not in a hunk: GitHub comments only on lines of the diff.
 */
export function diffPlace(
  repo: Repository,
  pr: PullRequest,
  commitId: string,
  path: string,
  line: number,
  side: "LEFT" | "RIGHT",
): DiffPlace | undefined | "no-file" {
  const head = repo.commits.get(commitId);
  const base = repo.commits.get(mergeBase(repo, pr.base.sha, commitId) ?? pr.base.sha);
  if (!head || !base) return "no-file";
  const change = diffTrees(base.tree, head.tree).find((c) => c.filename === path);
  if (!change) return "no-file";
  const patch = structuredPatch(
    "a",
    "b",
    change.before ?? "",
    change.after ?? "",
    undefined,
    undefined,
    {
      context: 3,
    },
  );
  let position = 0;
  for (const hunk of patch.hunks) {
    const header = `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`;
    const seen = [header];
    if (position > 0) position++; // a later hunk's header counts as a position
    let oldLine = hunk.oldStart;
    let newLine = hunk.newStart;
    for (const text of hunk.lines) {
      seen.push(text);
      position++;
      const kind = text[0];
      const here =
        side === "RIGHT"
          ? kind !== "-" && kind !== "\\"
            ? newLine
            : -1
          : kind !== "+" && kind !== "\\"
            ? oldLine
            : -1;
      if (here === line) return { position, diffHunk: seen.join("\n") };
      if (kind === " " || kind === "-") oldLine++;
      if (kind === " " || kind === "+") newLine++;
    }
  }
  return undefined;
}

/** Checks one comment against the diff; its line, side and range. */
function placed(
  repo: Repository,
  pr: PullRequest,
  commitId: string,
  input: CommentInput,
): { line: number; side: "LEFT" | "RIGHT"; startLine: number | null } {
  if (input.line === undefined)
    throw new HttpError(422, "Unprocessable Entity", [
      "emulator: comments by `position` are not implemented; give `line`",
    ]);
  const side = input.side === "LEFT" ? "LEFT" : "RIGHT";
  for (const line of [input.start_line, input.line]) {
    if (line === undefined) continue;
    const place = diffPlace(repo, pr, commitId, input.path, line, side);
    if (place === "no-file") throw unresolved("Path");
    if (!place) throw unresolved("Line");
  }
  if (input.start_line !== undefined && input.start_line >= input.line)
    throw new HttpError(422, "Unprocessable Entity", [
      "Pull request review thread start line must precede the end line.",
    ]);
  return { line: input.line, side, startLine: input.start_line ?? null };
}

function commentsOf(repo: Repository): Map<number, ReviewComment> {
  return (repo.reviewComments ??= new Map());
}

function commentShape(ctx: RestContext, repo: Repository, pr: PullRequest, c: ReviewComment) {
  const place = diffPlace(repo, pr, c.commitId, c.path, c.line, c.side);
  return reviewComment(
    ctx.shapes,
    repo,
    c,
    place && place !== "no-file" ? place : { position: 1, diffHunk: "" },
  );
}

/** The commit a review is on: the head unless `commit_id` names another commit of the repository. */
function reviewedCommit(repo: Repository, pr: PullRequest, commitId: string | undefined): string {
  if (commitId === undefined) return pr.head.sha;
  if (!repo.commits.has(commitId))
    throw new HttpError(422, "Unprocessable Entity", [`No commit found for SHA: ${commitId}`]);
  return commitId;
}

const REVIEW_STATES = {
  APPROVE: "APPROVED",
  REQUEST_CHANGES: "CHANGES_REQUESTED",
  COMMENT: "COMMENTED",
} as const;

export const pullsHandlers: HandlerTable = {
  "pulls/get": (ctx) => {
    const { repo, pr } = target(ctx);
    return ok(pullShape(ctx.shapes, repo, pr));
  },

  "pulls/list": (ctx) => {
    const repo = requireRepo(ctx.state, str(ctx, "owner"), str(ctx, "repo"));
    const state = (ctx.query.state as string | undefined) ?? "open";
    const head = ctx.query.head as string | undefined;
    const base = ctx.query.base as string | undefined;
    const pulls = [...repo.issues.values()]
      .filter((i): i is PullRequest => i.kind === "pull")
      .filter((pr) => state === "all" || pr.state === state)
      .filter(
        (pr) =>
          !head ||
          `${repo.owner}:${pr.head.ref}`.toLowerCase() === head.toLowerCase() ||
          (!head.includes(":") && pr.head.ref === head),
      )
      .filter((pr) => !base || pr.base.ref === base);
    // GitHub: `sort` is created (default), updated, popularity or long-running.
    const byUpdate = ctx.query.sort === "updated";
    const ascending = ctx.query.direction === "asc";
    const key = (pr: PullRequest): number => (byUpdate ? Date.parse(pr.updatedAt) : pr.number);
    pulls.sort((a, b) => (ascending ? key(a) - key(b) : key(b) - key(a)) || b.number - a.number);
    const { items, headers } = paginate(ctx, pulls);
    return ok(
      items.map((pr) =>
        ctx.shapes.pull(repo, pr, {
          commits: 0,
          additions: 0,
          deletions: 0,
          changedFiles: 0,
          mergeableState: "unknown",
        }),
      ),
      headers,
    );
  },

  "pulls/list-files": (ctx) => {
    const { repo, pr } = target(ctx);
    // "Responses include a maximum of 3000 files" (the pull request's `changed_files` counts all):
    // https://docs.github.com/rest/pulls/pulls#list-pull-requests-files
    const { items, headers } = paginate(ctx, pullChanges(repo, pr), { maxTotal: 3000 });
    return ok(
      items.map((change) => ctx.shapes.diffEntry(repo, change, pr.head.sha)),
      headers,
    );
  },

  "pulls/list-commits": (ctx) => {
    const { repo, pr } = target(ctx);
    // "Lists a maximum of 250 commits for a pull request" (its `commits` counts all):
    // https://docs.github.com/rest/pulls/pulls#list-commits-on-a-pull-request
    const { items, headers } = paginate(ctx, pullCommits(repo, pr), { maxTotal: 250 });
    return ok(
      items.map((commit) => ctx.shapes.commit(repo, commit)),
      headers,
    );
  },

  "pulls/list-reviews": (ctx) => {
    const { repo, pr } = target(ctx);
    const reviews = [...repo.reviews.values()]
      .filter((r) => r.pullNumber === pr.number)
      .sort((a, b) => a.id - b.id);
    const { items, headers } = paginate(ctx, reviews);
    return ok(
      items.map((review) => ctx.shapes.review(repo, review)),
      headers,
    );
  },

  "pulls/get-review": (ctx) => {
    const { repo, pr } = target(ctx);
    const review = repo.reviews.get(num(ctx, "review_id"));
    if (!review || review.pullNumber !== pr.number) throw new HttpError(404, "Not Found");
    return ok(ctx.shapes.review(repo, review));
  },

  /** https://docs.github.com/en/rest/pulls/reviews#create-a-review-for-a-pull-request */
  "pulls/create-review": (ctx) => {
    const { repo, pr } = target(ctx);
    const input = bodyOf<{
      commit_id?: string;
      body?: string;
      event?: keyof typeof REVIEW_STATES;
      comments?: CommentInput[];
    }>(ctx);
    if (!input.event)
      throw new HttpError(422, "Unprocessable Entity", [
        "emulator: pending reviews (no `event`) are not implemented",
      ]);
    if (input.event !== "APPROVE" && !input.body && !input.comments?.length)
      throw new HttpError(422, "Unprocessable Entity", [
        `Body is required when using ${input.event}`,
      ]);
    if (input.event !== "COMMENT" && ctx.actor.toLowerCase() === pr.user.toLowerCase())
      throw new HttpError(422, "Unprocessable Entity", [
        `Can not ${input.event === "APPROVE" ? "approve" : "request changes on"} your own pull request`,
      ]);
    const commitId = reviewedCommit(repo, pr, input.commit_id);
    // Every comment is checked before anything is written: GitHub refuses the whole review.
    const places = (input.comments ?? []).map((c) => placed(repo, pr, commitId, c));
    const at = now(ctx.state);
    const review: Review = {
      id: nextId(ctx.state, "review"),
      pullNumber: pr.number,
      user: ctx.actor,
      state: REVIEW_STATES[input.event],
      commitId,
      submittedAt: at,
      body: input.body ?? "",
    };
    repo.reviews.set(review.id, review);
    (input.comments ?? []).forEach((c, index) => {
      const id = nextId(ctx.state, "reviewComment");
      commentsOf(repo).set(id, {
        id,
        pullNumber: pr.number,
        reviewId: review.id,
        user: ctx.actor,
        body: c.body,
        path: c.path,
        ...places[index]!,
        commitId,
        createdAt: at,
        updatedAt: at,
      });
    });
    return ok(ctx.shapes.review(repo, review));
  },

  /** https://docs.github.com/en/rest/pulls/reviews#list-comments-for-a-pull-request-review */
  "pulls/list-comments-for-review": (ctx) => {
    const { repo, pr } = target(ctx);
    const review = repo.reviews.get(num(ctx, "review_id"));
    if (!review || review.pullNumber !== pr.number) throw new HttpError(404, "Not Found");
    const comments = [...commentsOf(repo).values()]
      .filter((c) => c.reviewId === review.id)
      .sort((a, b) => a.id - b.id);
    const { items, headers } = paginate(ctx, comments);
    return ok(
      items.map((c) => commentShape(ctx, repo, pr, c)),
      headers,
    );
  },

  /** https://docs.github.com/en/rest/pulls/comments#list-review-comments-on-a-pull-request */
  "pulls/list-review-comments": (ctx) => {
    const { repo, pr } = target(ctx);
    const comments = [...commentsOf(repo).values()]
      .filter((c) => c.pullNumber === pr.number)
      .sort((a, b) => a.id - b.id);
    if (ctx.query.direction === "desc") comments.reverse();
    const { items, headers } = paginate(ctx, comments);
    return ok(
      items.map((c) => commentShape(ctx, repo, pr, c)),
      headers,
    );
  },

  /** A single review comment: GitHub files it in a review of its own. */
  "pulls/create-review-comment": (ctx) => {
    const { repo, pr } = target(ctx);
    const input = bodyOf<CommentInput & { commit_id?: string; in_reply_to?: number }>(ctx);
    if (input.in_reply_to !== undefined)
      throw new HttpError(422, "Unprocessable Entity", ["emulator: replies are not implemented"]);
    const commitId = reviewedCommit(repo, pr, input.commit_id);
    const place = placed(repo, pr, commitId, input);
    const at = now(ctx.state);
    const review: Review = {
      id: nextId(ctx.state, "review"),
      pullNumber: pr.number,
      user: ctx.actor,
      state: "COMMENTED",
      commitId,
      submittedAt: at,
      body: "",
    };
    repo.reviews.set(review.id, review);
    const comment: ReviewComment = {
      id: nextId(ctx.state, "reviewComment"),
      pullNumber: pr.number,
      reviewId: review.id,
      user: ctx.actor,
      body: input.body,
      path: input.path,
      ...place,
      commitId,
      createdAt: at,
      updatedAt: at,
    };
    commentsOf(repo).set(comment.id, comment);
    return created(commentShape(ctx, repo, pr, comment));
  },

  /** https://docs.github.com/en/rest/pulls/comments#update-a-review-comment-for-a-pull-request */
  "pulls/update-review-comment": (ctx) => {
    const repo = requireRepo(ctx.state, str(ctx, "owner"), str(ctx, "repo"));
    const comment = commentsOf(repo).get(num(ctx, "comment_id"));
    if (!comment) throw new HttpError(404, "Not Found");
    comment.body = bodyOf<{ body: string }>(ctx).body;
    comment.updatedAt = now(ctx.state);
    return ok(commentShape(ctx, repo, requirePull(repo, comment.pullNumber), comment));
  },
};
