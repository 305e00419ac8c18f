/** Pull request reads: the pull request, its files, commits and reviews. */
import { HttpError, requirePull, requireRepo } from "../state/store.js";
import { mergeableState, pullChanges, pullCommits } from "../state/queries.js";
import { filePatch } from "../state/patch.js";
import type { PullRequest, Repository } from "../state/types.js";
import type { Shapes } from "./shapes/index.js";
import { num, ok, paginate, str, type HandlerTable, type RestContext } from "./context.js";

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
};
