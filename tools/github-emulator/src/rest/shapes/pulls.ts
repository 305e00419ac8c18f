/** Pull requests and their reviews. */
import { authorAssociation } from "../../state/store.js";
import type { PullRequest, Repository, Review, ReviewComment } from "../../state/types.js";
import { nodeId, repoApi, repoHtml, type Json } from "./common.js";
import type { Shapes } from "./index.js";

function branchRef(s: Shapes, repo: Repository, ref: string, sha: string): Json {
  return {
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: s.user(repo.owner),
    repo: s.repository(repo),
  };
}

export function pull(
  s: Shapes,
  repo: Repository,
  pr: PullRequest,
  stats: {
    commits: number;
    additions: number;
    deletions: number;
    changedFiles: number;
    mergeableState: string;
  },
): Json {
  const api = `${repoApi(s, repo)}/pulls/${pr.number}`;
  const issueApi = `${repoApi(s, repo)}/issues/${pr.number}`;
  const html = `${repoHtml(s, repo)}/pull/${pr.number}`;
  const comments = [...repo.comments.values()].filter((c) => c.issueNumber === pr.number).length;
  return {
    url: api,
    id: pr.id,
    node_id: nodeId("PullRequest", pr.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issueApi,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${repoApi(s, repo)}/pulls/comments{/number}`,
    comments_url: `${issueApi}/comments`,
    statuses_url: `${repoApi(s, repo)}/statuses/${pr.head.sha}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: s.user(pr.user),
    body: pr.body,
    labels: pr.labels.map((name) => s.label(repo, name)),
    milestone: null,
    active_lock_reason: null,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt,
    merged_at: pr.mergedAt,
    merge_commit_sha: pr.mergeCommitSha,
    assignee: pr.assignees[0] ? s.user(pr.assignees[0]) : null,
    assignees: pr.assignees.map((login) => s.user(login)),
    requested_reviewers: [],
    requested_teams: [],
    head: branchRef(s, repo, pr.head.ref, pr.head.sha),
    base: branchRef(s, repo, pr.base.ref, pr.base.sha),
    _links: {
      self: { href: api },
      html: { href: html },
      issue: { href: issueApi },
      comments: { href: `${issueApi}/comments` },
      review_comments: { href: `${api}/comments` },
      review_comment: { href: `${repoApi(s, repo)}/pulls/comments{/number}` },
      commits: { href: `${api}/commits` },
      statuses: { href: `${repoApi(s, repo)}/statuses/${pr.head.sha}` },
    },
    author_association: authorAssociation(s.state, repo, pr.user),
    auto_merge: null,
    draft: pr.draft,
    merged: pr.merged,
    mergeable: pr.state === "open" ? true : null,
    rebaseable: pr.state === "open" ? true : null,
    mergeable_state: stats.mergeableState,
    merged_by: pr.mergedBy ? s.user(pr.mergedBy) : null,
    comments,
    review_comments: [...(repo.reviewComments?.values() ?? [])].filter(
      (c) => c.pullNumber === pr.number,
    ).length,
    maintainer_can_modify: false,
    commits: stats.commits,
    additions: stats.additions,
    deletions: stats.deletions,
    changed_files: stats.changedFiles,
  };
}

export function pullMinimal(s: Shapes, repo: Repository, pr: PullRequest): Json {
  const repoRef = { id: repo.id, url: repoApi(s, repo), name: repo.name };
  return {
    id: pr.id,
    number: pr.number,
    url: `${repoApi(s, repo)}/pulls/${pr.number}`,
    head: { ref: pr.head.ref, sha: pr.head.sha, repo: repoRef },
    base: { ref: pr.base.ref, sha: pr.base.sha, repo: repoRef },
  };
}

export function review(s: Shapes, repo: Repository, review: Review): Json {
  const pullApi = `${repoApi(s, repo)}/pulls/${review.pullNumber}`;
  const html = `${repoHtml(s, repo)}/pull/${review.pullNumber}#pullrequestreview-${review.id}`;
  return {
    id: review.id,
    node_id: nodeId("PullRequestReview", review.id),
    user: s.user(review.user),
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: pullApi,
    _links: { html: { href: html }, pull_request: { href: pullApi } },
    submitted_at: review.submittedAt,
    // GitHub answers null once the reviewed commit is garbage-collected (a force-push dropped it).
    commit_id: repo.commits.has(review.commitId) ? review.commitId : null,
    author_association: authorAssociation(s.state, repo, review.user),
  };
}

/** Where a review comment sits in its file's diff: GitHub's `position` and `diff_hunk`. */
export interface DiffPlace {
  position: number;
  diffHunk: string;
}

/**
 * A review comment: `pull-request-review-comment` (the pull's list, create, update) and
 * `review-comment` (a review's list) carry the same fields here; `place` is where the comment was
 * made (its commit's diff), so `position` and `original_position` agree.
 */
export function reviewComment(
  s: Shapes,
  repo: Repository,
  comment: ReviewComment,
  place: DiffPlace,
): Json {
  const pullApi = `${repoApi(s, repo)}/pulls/${comment.pullNumber}`;
  const api = `${repoApi(s, repo)}/pulls/comments/${comment.id}`;
  const html = `${repoHtml(s, repo)}/pull/${comment.pullNumber}#discussion_r${comment.id}`;
  return {
    url: api,
    pull_request_review_id: comment.reviewId,
    id: comment.id,
    node_id: nodeId("PullRequestReviewComment", comment.id),
    diff_hunk: place.diffHunk,
    path: comment.path,
    position: place.position,
    original_position: place.position,
    commit_id: comment.commitId,
    original_commit_id: comment.commitId,
    user: s.user(comment.user),
    body: comment.body,
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    html_url: html,
    pull_request_url: pullApi,
    author_association: authorAssociation(s.state, repo, comment.user),
    _links: { self: { href: api }, html: { href: html }, pull_request: { href: pullApi } },
    start_line: comment.startLine,
    original_start_line: comment.startLine,
    start_side: comment.startLine === null ? null : comment.side,
    line: comment.line,
    original_line: comment.line,
    side: comment.side,
    subject_type: "line",
  };
}
