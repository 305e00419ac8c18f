/**
 * The REST reads the GraphQL loader keeps: the changed files (only REST names a rename's previous
 * path), merge bases (GraphQL has no such field), and reviews beyond GraphQL's first page.
 * Comparisons of fixed commits are cached.
 */
import type { CachedComparison, SnapshotCache } from "../cache.js";
import { orNotFound, type GitHubClient, type PullLocator } from "../../client.js";
import type { ChangedFile } from "../shared.js";
import type { PullReview } from "./pull-query.js";

/** The first 100 changed files; `more` when GitHub's Link header names a next page. */
export async function changedFilesPage(
  client: GitHubClient,
  { owner, repo, number }: PullLocator,
): Promise<{ files: ChangedFile[]; more: boolean }> {
  const response = await client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
    owner,
    repo,
    pull_number: number,
    per_page: 100,
  });
  return {
    files: response.data as ChangedFile[],
    more: /rel="next"/.test(String(response.headers.link ?? "")),
  };
}

export async function restOfChangedFiles(
  client: GitHubClient,
  { owner, repo, number }: PullLocator,
): Promise<ChangedFile[]> {
  return (await client.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
    owner,
    repo,
    pull_number: number,
    per_page: 100,
    page: 2,
  })) as ChangedFile[];
}

/** The pull request's merge base, asked as the REST loader asks it (a 404 fails the load). */
export async function headMergeBase(
  client: GitHubClient,
  cache: SnapshotCache,
  { owner, repo }: PullLocator,
  base: string,
  head: string,
): Promise<string> {
  const name = `${owner}/${repo}`;
  const cached = cache.comparison(name, base, head);
  if (cached) return cached.mergeBase;
  const compare = await client.request("GET /repos/{owner}/{repo}/compare/{basehead}", {
    owner,
    repo,
    basehead: `${base}...${head}`,
    per_page: 1,
  });
  const mergeBase = compare.data.merge_base_commit.sha;
  cache.setComparison(name, base, head, { mergeBase, files: null });
  return mergeBase;
}

/** A reviewed commit's merge base and changed files; null when GitHub has no comparison. */
export async function revisionComparison(
  client: GitHubClient,
  cache: SnapshotCache,
  { owner, repo }: PullLocator,
  base: string,
  sha: string,
): Promise<CachedComparison | null> {
  const name = `${owner}/${repo}`;
  const cached = cache.comparison(name, base, sha);
  if (cached?.files) return cached;
  const compare = await orNotFound(() =>
    client.request("GET /repos/{owner}/{repo}/compare/{basehead}", {
      owner,
      repo,
      basehead: `${base}...${sha}`,
    }),
  );
  if (!compare) return null;
  const comparison: CachedComparison = {
    mergeBase: compare.data.merge_base_commit.sha,
    files: (compare.data.files ?? []).map((file) => file.filename),
  };
  cache.setComparison(name, base, sha, comparison);
  return comparison;
}

/** More than 100 reviews: REST lists them all. */
export async function restReviews(
  client: GitHubClient,
  { owner, repo, number }: PullLocator,
): Promise<PullReview[]> {
  const reviews = await client.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
    owner,
    repo,
    pull_number: number,
    per_page: 100,
  });
  return reviews.map((review) => ({
    author: review.user
      ? { login: review.user.login, type: review.user.type === "Bot" ? "Bot" : "User" }
      : null,
    state: review.state,
    submittedAt: review.submitted_at ?? null,
    commitOid: review.commit_id ?? null,
  }));
}
