/** Issues, issue comments, labels, issue events and comment reactions. */
import { HttpError, nextId, now, requireIssue, requireRepo } from "../state/store.js";
import type { Issue, IssueComment, IssueBase, Repository, EmulatorState } from "../state/types.js";
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

/** GitHub rejects comment and issue bodies longer than this. */
export const MAX_BODY = 65536;

function repoOf(ctx: RestContext): Repository {
  return requireRepo(ctx.state, str(ctx, "owner"), str(ctx, "repo"));
}

function checkBody(body: string | null | undefined, resource: string): void {
  if (body && body.length > MAX_BODY) {
    throw new HttpError(422, "Validation Failed", [
      {
        resource,
        code: "custom",
        field: "body",
        message: `body is too long (maximum is ${MAX_BODY} characters)`,
      },
    ]);
  }
}

/** Records a change of a comment's body by `editor` at its `updatedAt` (GraphQL's edit history). */
export function recordEdit(comment: IssueComment, editor: string): void {
  (comment.edits ??= []).push({ editor, editedAt: comment.updatedAt });
}

function commentOf(ctx: RestContext, repo: Repository): IssueComment {
  const comment = repo.comments.get(num(ctx, "comment_id"));
  if (!comment) throw new HttpError(404, "Not Found");
  return comment;
}

const LABEL_COLORS = [
  "d73a4a",
  "0075ca",
  "a2eeef",
  "7057ff",
  "008672",
  "e4e669",
  "d876e3",
  "cfd3d7",
];

/** Adds a label to an issue or pull request (creating the repository label), recording the event. */
export function applyLabel(
  state: EmulatorState,
  repo: Repository,
  issue: IssueBase,
  name: string,
  actor: string,
): boolean {
  const key = name.toLowerCase();
  if (!repo.labels.has(key)) {
    repo.labels.set(key, {
      id: nextId(state, "label"),
      name,
      color: LABEL_COLORS[repo.labels.size % LABEL_COLORS.length] as string,
      description: null,
    });
  }
  if (issue.labels.some((l) => l.toLowerCase() === key)) return false;
  const label = repo.labels.get(key)!;
  issue.labels.push(label.name);
  issue.updatedAt = now(state);
  repo.issueEvents.push({
    id: nextId(state, "event"),
    issueNumber: issue.number,
    event: "labeled",
    actor,
    label: { name: label.name, color: label.color },
    commitId: null,
    createdAt: issue.updatedAt,
  });
  return true;
}

/** Removes a label; false when the issue did not have it. */
export function dropLabel(
  state: EmulatorState,
  repo: Repository,
  issue: IssueBase,
  name: string,
  actor: string,
): boolean {
  const index = issue.labels.findIndex((l) => l.toLowerCase() === name.toLowerCase());
  if (index === -1) return false;
  const [removed] = issue.labels.splice(index, 1);
  const label = repo.labels.get(name.toLowerCase());
  issue.updatedAt = now(state);
  repo.issueEvents.push({
    id: nextId(state, "event"),
    issueNumber: issue.number,
    event: "unlabeled",
    actor,
    label: { name: removed as string, color: label?.color ?? "ededed" },
    commitId: null,
    createdAt: issue.updatedAt,
  });
  return true;
}

export const issuesHandlers: HandlerTable = {
  /** Issues and pull requests of a repository (GitHub lists both), newest first by default. */
  "issues/list-for-repo": (ctx) => {
    const repo = repoOf(ctx);
    const state = (ctx.query.state as string | undefined) ?? "open";
    const creator = ctx.query.creator as string | undefined;
    const ascending = ctx.query.direction === "asc";
    const listed = [...repo.issues.values()]
      .filter((issue) => state === "all" || issue.state === state)
      .filter((issue) => !creator || issue.user.toLowerCase() === creator.toLowerCase())
      .sort((a, b) => (ascending ? a.number - b.number : b.number - a.number));
    const { items, headers } = paginate(ctx, listed);
    return ok(
      items.map((issue) => ctx.shapes.issue(repo, issue)),
      headers,
    );
  },

  "issues/get": (ctx) => {
    const repo = repoOf(ctx);
    return ok(ctx.shapes.issue(repo, requireIssue(repo, num(ctx, "issue_number"))));
  },

  "issues/create": (ctx) => {
    const repo = repoOf(ctx);
    const input = bodyOf<{
      title: string | number;
      body?: string | null;
      assignees?: string[];
      assignee?: string | null;
      labels?: Array<string | { name?: string }>;
    }>(ctx);
    checkBody(input.body, "Issue");
    const at = now(ctx.state);
    const issue: Issue = {
      kind: "issue",
      id: nextId(ctx.state, "issue"),
      number: repo.nextNumber++,
      title: String(input.title),
      body: input.body ?? null,
      state: "open",
      user: ctx.actor,
      labels: [],
      assignees: [...(input.assignees ?? []), ...(input.assignee ? [input.assignee] : [])],
      createdAt: at,
      updatedAt: at,
      closedAt: null,
    };
    repo.issues.set(issue.number, issue);
    for (const label of input.labels ?? []) {
      const name = typeof label === "string" ? label : label.name;
      if (name) applyLabel(ctx.state, repo, issue, name, ctx.actor);
    }
    return created(ctx.shapes.issue(repo, issue));
  },

  "issues/update": (ctx) => {
    const repo = repoOf(ctx);
    const issue = requireIssue(repo, num(ctx, "issue_number"));
    const input = bodyOf<{
      title?: string | number | null;
      body?: string | null;
      state?: "open" | "closed";
      assignees?: string[];
      labels?: Array<string | { name?: string }>;
    }>(ctx);
    checkBody(input.body, "Issue");
    if (input.title !== undefined && input.title !== null) issue.title = String(input.title);
    if (input.body !== undefined) issue.body = input.body;
    if (input.assignees) issue.assignees = [...input.assignees];
    if (input.state && input.state !== issue.state) {
      issue.state = input.state;
      issue.closedAt = input.state === "closed" ? now(ctx.state) : null;
    }
    if (input.labels) {
      const names = input.labels
        .map((l) => (typeof l === "string" ? l : (l.name ?? "")))
        .filter(Boolean);
      for (const old of [...issue.labels])
        if (!names.some((n) => n.toLowerCase() === old.toLowerCase()))
          dropLabel(ctx.state, repo, issue, old, ctx.actor);
      for (const name of names) applyLabel(ctx.state, repo, issue, name, ctx.actor);
    }
    issue.updatedAt = now(ctx.state);
    return ok(ctx.shapes.issue(repo, issue));
  },

  "issues/list-comments": (ctx) => {
    const repo = repoOf(ctx);
    const issue = requireIssue(repo, num(ctx, "issue_number"));
    const since = ctx.query.since as string | undefined;
    const comments = [...repo.comments.values()]
      .filter((c) => c.issueNumber === issue.number && (!since || c.updatedAt >= since))
      .sort((a, b) => a.id - b.id);
    const { items, headers } = paginate(ctx, comments);
    return ok(
      items.map((c) => ctx.shapes.issueComment(repo, c)),
      headers,
    );
  },

  "issues/create-comment": (ctx) => {
    const repo = repoOf(ctx);
    const issue = requireIssue(repo, num(ctx, "issue_number"));
    const { body } = bodyOf<{ body: string }>(ctx);
    checkBody(body, "IssueComment");
    const at = now(ctx.state);
    const comment: IssueComment = {
      id: nextId(ctx.state, "comment"),
      issueNumber: issue.number,
      user: ctx.actor,
      body,
      createdAt: at,
      updatedAt: at,
      reactions: [],
    };
    repo.comments.set(comment.id, comment);
    return created(ctx.shapes.issueComment(repo, comment));
  },

  "issues/get-comment": (ctx) => {
    const repo = repoOf(ctx);
    return ok(ctx.shapes.issueComment(repo, commentOf(ctx, repo)));
  },

  "issues/update-comment": (ctx) => {
    const repo = repoOf(ctx);
    const comment = commentOf(ctx, repo);
    const { body } = bodyOf<{ body: string }>(ctx);
    checkBody(body, "IssueComment");
    const changed = body !== comment.body;
    comment.body = body;
    comment.updatedAt = now(ctx.state);
    if (changed) recordEdit(comment, ctx.actor ?? "ghost");
    return ok(ctx.shapes.issueComment(repo, comment));
  },

  "issues/delete-comment": (ctx) => {
    const repo = repoOf(ctx);
    repo.comments.delete(commentOf(ctx, repo).id);
    return { status: 204 };
  },

  "issues/list-events": (ctx) => {
    const repo = repoOf(ctx);
    const issue = requireIssue(repo, num(ctx, "issue_number"));
    const { items, headers } = paginate(
      ctx,
      repo.issueEvents.filter((e) => e.issueNumber === issue.number),
    );
    return ok(
      items.map((e) => ctx.shapes.issueEvent(repo, e)),
      headers,
    );
  },

  "issues/list-labels-on-issue": (ctx) => {
    const repo = repoOf(ctx);
    const issue = requireIssue(repo, num(ctx, "issue_number"));
    const { items, headers } = paginate(ctx, issue.labels);
    return ok(
      items.map((name) => ctx.shapes.label(repo, name)),
      headers,
    );
  },

  "issues/add-labels": (ctx) => {
    const repo = repoOf(ctx);
    const issue = requireIssue(repo, num(ctx, "issue_number"));
    const input = bodyOf<{ labels?: Array<string | { name: string }> }>(ctx);
    for (const label of input.labels ?? [])
      applyLabel(ctx.state, repo, issue, typeof label === "string" ? label : label.name, ctx.actor);
    return ok(issue.labels.map((name) => ctx.shapes.label(repo, name)));
  },

  "issues/remove-label": (ctx) => {
    const repo = repoOf(ctx);
    const issue = requireIssue(repo, num(ctx, "issue_number"));
    if (!dropLabel(ctx.state, repo, issue, str(ctx, "name"), ctx.actor))
      throw new HttpError(404, "Label does not exist");
    return ok(issue.labels.map((name) => ctx.shapes.label(repo, name)));
  },

  "reactions/create-for-issue-comment": (ctx) => {
    const repo = repoOf(ctx);
    const comment = commentOf(ctx, repo);
    const { content } = bodyOf<{ content: string }>(ctx);
    const existing = comment.reactions.find((r) => r.user === ctx.actor && r.content === content);
    if (existing) return ok(ctx.shapes.reaction(existing));
    const reaction = {
      id: nextId(ctx.state, "reaction"),
      user: ctx.actor,
      content,
      createdAt: now(ctx.state),
    };
    comment.reactions.push(reaction);
    return created(ctx.shapes.reaction(reaction));
  },
};
