/** A pull request and its connections: labels, files, commits, reviews, comments, timeline. */
import { nodeId } from "../rest/shapes/common.js";
import { filePatch } from "../state/patch.js";
import { pullChanges, pullCommits } from "../state/queries.js";
import { authorAssociation, roleOf } from "../state/store.js";
import type { IssueComment, IssueEvent, PullRequest, Repository, Review } from "../state/types.js";
import { actorNode } from "./actors.js";
import { connection, type ConnectionArgs, type Node } from "./connection.js";
import type { ResolveContext, Resolver } from "./context.js";
import { commitNode } from "./git-objects.js";
import { refNode } from "./refs.js";

type Order = { readonly field: string; readonly direction: "ASC" | "DESC" } | null | undefined;

const CHANGE_TYPES = {
  added: "ADDED",
  removed: "DELETED",
  modified: "MODIFIED",
  renamed: "RENAMED",
} as const;

/** The timeline item types the emulator's state can produce, by GitHub's item type name. */
const EVENT_ITEMS: Record<IssueEvent["event"], { itemType: string; typename: string }> = {
  labeled: { itemType: "LABELED_EVENT", typename: "LabeledEvent" },
  unlabeled: { itemType: "UNLABELED_EVENT", typename: "UnlabeledEvent" },
  closed: { itemType: "CLOSED_EVENT", typename: "ClosedEvent" },
  reopened: { itemType: "REOPENED_EVENT", typename: "ReopenedEvent" },
  merged: { itemType: "MERGED_EVENT", typename: "MergedEvent" },
  ready_for_review: { itemType: "READY_FOR_REVIEW_EVENT", typename: "ReadyForReviewEvent" },
  review_dismissed: { itemType: "REVIEW_DISMISSED_EVENT", typename: "ReviewDismissedEvent" },
};

function ordered<T>(
  items: T[],
  order: Order,
  keys: Record<string, (item: T) => string | number>,
): T[] {
  const key = order ? keys[order.field] : undefined;
  if (!key) return items;
  const sign = order!.direction === "DESC" ? -1 : 1;
  return [...items].sort((a, b) => (key(a) < key(b) ? -sign : key(a) > key(b) ? sign : 0));
}

export function pullRequestNode(ctx: ResolveContext, repo: Repository, pr: PullRequest): Node {
  const html = `${ctx.links.html}/${repo.fullName}/pull/${pr.number}`;
  let changes: ReturnType<typeof pullChanges> | undefined;
  const changed = () => (changes ??= pullChanges(repo, pr));

  const labels: Resolver<ConnectionArgs & { orderBy?: Order }> = (args, _c, info) => {
    const list = pr.labels.map((name) => ({ name, label: repo.labels.get(name.toLowerCase()) }));
    const sorted = ordered(list, args.orderBy ?? { field: "CREATED_AT", direction: "ASC" }, {
      CREATED_AT: (l) => l.label?.id ?? 0,
      NAME: (l) => l.name.toLowerCase(),
    });
    return connection(info, sorted, args, ({ name, label }) => ({
      __typename: "Label",
      id: nodeId("Label", label?.id ?? 0),
      name: label?.name ?? name,
      color: label?.color ?? "ededed",
      description: label?.description ?? null,
      isDefault: false,
      url: `${ctx.links.html}/${repo.fullName}/labels/${encodeURIComponent(name)}`,
    }));
  };

  const files: Resolver<ConnectionArgs> = (args, _c, info) =>
    connection(info, changed(), args, (change) => {
      const { additions, deletions } = filePatch(change.before ?? "", change.after ?? "");
      return {
        path: change.filename,
        changeType: CHANGE_TYPES[change.status],
        additions,
        deletions,
        viewerViewedState: "UNVIEWED",
      };
    });

  // Every commit: GraphQL pages past REST's 250 (which "Lists a maximum of 250 commits for a pull
  // request", https://docs.github.com/rest/pulls/pulls#list-commits-on-a-pull-request).
  const commits: Resolver<ConnectionArgs> = (args, _c, info) =>
    connection(info, pullCommits(repo, pr), args, (commit) => ({
      __typename: "PullRequestCommit",
      id: nodeId("PullRequestCommit", `${pr.id}:${commit.sha}`),
      commit: commitNode(ctx, repo, commit),
      url: `${html}/commits/${commit.sha}`,
    }));

  const reviews: Resolver<
    ConnectionArgs & { states?: readonly string[] | null; author?: string | null }
  > = (args, _c, info) => {
    const list = [...repo.reviews.values()]
      .filter((r) => r.pullNumber === pr.number)
      .filter((r) => !args.states || args.states.includes(r.state))
      .filter((r) => !args.author || r.user.toLowerCase() === args.author.toLowerCase())
      .sort((a, b) => a.id - b.id);
    return connection(info, list, args, (review) => reviewNode(ctx, repo, review, html));
  };

  const comments: Resolver<ConnectionArgs & { orderBy?: Order }> = (args, _c, info) => {
    const list = [...repo.comments.values()]
      .filter((c) => c.issueNumber === pr.number)
      .sort((a, b) => a.id - b.id);
    const sorted = ordered(list, args.orderBy, { UPDATED_AT: (c) => c.updatedAt });
    return connection(info, sorted, args, (comment) => commentNode(ctx, repo, comment, html));
  };

  const timelineItems: Resolver<
    ConnectionArgs & {
      itemTypes?: readonly string[] | null;
      since?: string | null;
      skip?: number | null;
    }
  > = (args, _c, info) => {
    const items: { at: string; itemType: string; node: () => Node }[] = [];
    for (const event of repo.issueEvents) {
      if (event.issueNumber !== pr.number) continue;
      const { itemType, typename } = EVENT_ITEMS[event.event];
      items.push({ at: event.createdAt, itemType, node: () => eventNode(ctx, event, typename) });
    }
    for (const comment of repo.comments.values())
      if (comment.issueNumber === pr.number)
        items.push({
          at: comment.createdAt,
          itemType: "ISSUE_COMMENT",
          node: () => commentNode(ctx, repo, comment, html),
        });
    for (const review of repo.reviews.values())
      if (review.pullNumber === pr.number)
        items.push({
          at: review.submittedAt,
          itemType: "PULL_REQUEST_REVIEW",
          node: () => reviewNode(ctx, repo, review, html),
        });
    const chosen = items
      .filter((item) => !args.itemTypes || args.itemTypes.includes(item.itemType))
      .filter((item) => !args.since || item.at >= args.since)
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
      .slice(args.skip ?? 0);
    return {
      ...connection(info, chosen, args, (item) => item.node()),
      filteredCount: chosen.length,
    };
  };

  const mergeCommit = pr.mergeCommitSha ? repo.commits.get(pr.mergeCommitSha) : undefined;
  return {
    __typename: "PullRequest",
    id: nodeId("PullRequest", pr.id),
    databaseId: pr.id,
    fullDatabaseId: String(pr.id),
    number: pr.number,
    title: pr.title,
    body: pr.body ?? "",
    bodyText: pr.body ?? "",
    url: html,
    resourcePath: `/${repo.fullName}/pull/${pr.number}`,
    permalink: html,
    state: pr.merged ? "MERGED" : pr.state === "open" ? "OPEN" : "CLOSED",
    closed: pr.state === "closed",
    merged: pr.merged,
    mergedAt: pr.mergedAt,
    closedAt: pr.closedAt,
    createdAt: pr.createdAt,
    updatedAt: pr.updatedAt,
    isDraft: pr.draft,
    locked: false,
    author: () => actorNode(ctx, pr.user),
    authorAssociation: authorAssociation(ctx.state, repo, pr.user),
    mergedBy: () => actorNode(ctx, pr.mergedBy),
    mergeCommit: () => (mergeCommit ? commitNode(ctx, repo, mergeCommit) : null),
    // The emulator computes no test merge commits.
    potentialMergeCommit: null,
    baseRefName: pr.base.ref,
    baseRefOid: pr.base.sha,
    headRefName: pr.head.ref,
    headRefOid: pr.head.sha,
    isCrossRepository: false,
    baseRef: () => refNode(ctx, repo, pr.base.ref),
    headRef: () => refNode(ctx, repo, pr.head.ref),
    changedFiles: () => changed().length,
    labels,
    files,
    commits,
    reviews,
    comments,
    timelineItems,
  };
}

function reviewNode(ctx: ResolveContext, repo: Repository, review: Review, html: string): Node {
  const role = roleOf(ctx.state, repo, review.user);
  const commit = repo.commits.get(review.commitId);
  return {
    __typename: "PullRequestReview",
    id: nodeId("PullRequestReview", review.id),
    databaseId: review.id,
    fullDatabaseId: String(review.id),
    url: `${html}#pullrequestreview-${review.id}`,
    author: () => actorNode(ctx, review.user),
    authorAssociation: authorAssociation(ctx.state, repo, review.user),
    authorCanPushToRepository: role === "admin" || role === "maintain" || role === "write",
    body: review.body,
    bodyText: review.body,
    state: review.state,
    submittedAt: review.submittedAt,
    createdAt: review.submittedAt,
    updatedAt: review.submittedAt,
    commit: () => (commit ? commitNode(ctx, repo, commit) : null),
  };
}

export function commentNode(
  ctx: ResolveContext,
  repo: Repository,
  comment: IssueComment,
  html: string,
): Node {
  const edits = comment.edits ?? [];
  const last = edits.at(-1);
  // Newest first; once edited, the history also holds the original, by its author (GitHub's
  // "edited" menu lists "<author> created" last).
  const history = edits.length
    ? [
        ...edits.map((edit, index) => ({ ...edit, index: index + 1 })).reverse(),
        { editor: comment.user, editedAt: comment.createdAt, index: 0 },
      ]
    : [];
  const userContentEdits: Resolver<ConnectionArgs> = (args, _c, info) =>
    connection(info, history, args, (edit) => ({
      __typename: "UserContentEdit",
      id: nodeId("UserContentEdit", `${comment.id}:${edit.index}`),
      createdAt: edit.editedAt,
      updatedAt: edit.editedAt,
      editedAt: edit.editedAt,
      deletedAt: null,
      deletedBy: null,
      diff: null,
      editor: () => actorNode(ctx, edit.editor),
    }));
  return {
    __typename: "IssueComment",
    id: nodeId("IssueComment", comment.id),
    databaseId: comment.id,
    fullDatabaseId: String(comment.id),
    url: `${html}#issuecomment-${comment.id}`,
    body: comment.body,
    bodyText: comment.body,
    author: () => actorNode(ctx, comment.user),
    authorAssociation: authorAssociation(ctx.state, repo, comment.user),
    createdAt: comment.createdAt,
    updatedAt: comment.updatedAt,
    lastEditedAt: last?.editedAt ?? null,
    editor: () => actorNode(ctx, last?.editor),
    userContentEdits,
    isMinimized: false,
  };
}

function eventNode(ctx: ResolveContext, event: IssueEvent, typename: string): Node {
  return {
    __typename: typename,
    id: nodeId(typename, event.id),
    actor: () => actorNode(ctx, event.actor),
    createdAt: event.createdAt,
    ...(event.label
      ? {
          label: {
            __typename: "Label",
            id: nodeId("Label", event.label.name),
            name: event.label.name,
            color: event.label.color,
          },
        }
      : {}),
  };
}
