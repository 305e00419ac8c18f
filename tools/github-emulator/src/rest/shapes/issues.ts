/** Issues, issue comments, reactions, labels and issue events. */
import { authorAssociation, findUser } from "../../state/store.js";
import type {
  Issue,
  IssueComment,
  IssueEvent,
  PullRequest,
  Repository,
} from "../../state/types.js";
import { nodeId, repoApi, repoHtml, type Json } from "./common.js";
import type { Shapes } from "./index.js";

export function label(s: Shapes, repo: Repository, name: string): Json {
  const label = repo.labels.get(name.toLowerCase());
  return {
    id: label?.id ?? 0,
    node_id: nodeId("Label", label?.id ?? 0),
    url: `${repoApi(s, repo)}/labels/${encodeURIComponent(name)}`,
    name: label?.name ?? name,
    color: label?.color ?? "ededed",
    default: false,
    description: label?.description ?? null,
  };
}

function reactionRollup(url: string, reactions: IssueComment["reactions"]): Json {
  const counts: Json = { url, total_count: reactions.length };
  for (const key of ["+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket"])
    counts[key] = reactions.filter((r) => r.content === key).length;
  return counts;
}

export function issue(s: Shapes, repo: Repository, issue: Issue | PullRequest): Json {
  const api = `${repoApi(s, repo)}/issues/${issue.number}`;
  const comments = [...repo.comments.values()].filter((c) => c.issueNumber === issue.number).length;
  const result: Json = {
    id: issue.id,
    node_id: nodeId(issue.kind === "pull" ? "PullRequest" : "Issue", issue.id),
    url: api,
    repository_url: repoApi(s, repo),
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: `${repoHtml(s, repo)}/${issue.kind === "pull" ? "pull" : "issues"}/${issue.number}`,
    number: issue.number,
    state: issue.state,
    state_reason: issue.state === "closed" ? "completed" : null,
    title: issue.title,
    body: issue.body,
    user: s.user(issue.user),
    labels: issue.labels.map((name) => s.label(repo, name)),
    assignee: issue.assignees[0] ? s.user(issue.assignees[0]) : null,
    assignees: issue.assignees.map((login) => s.user(login)),
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments,
    closed_at: issue.closedAt,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    author_association: authorAssociation(s.state, repo, issue.user),
    reactions: reactionRollup(`${api}/reactions`, []),
    timeline_url: `${api}/timeline`,
    performed_via_github_app: null,
  };
  if (issue.kind === "pull") {
    result.draft = issue.draft;
    result.pull_request = {
      url: `${repoApi(s, repo)}/pulls/${issue.number}`,
      html_url: `${repoHtml(s, repo)}/pull/${issue.number}`,
      diff_url: `${repoHtml(s, repo)}/pull/${issue.number}.diff`,
      patch_url: `${repoHtml(s, repo)}/pull/${issue.number}.patch`,
      merged_at: issue.mergedAt,
    };
  }
  return result;
}

export function issueComment(s: Shapes, repo: Repository, comment: IssueComment): Json {
  const url = `${repoApi(s, repo)}/issues/comments/${comment.id}`;
  const issue = repo.issues.get(comment.issueNumber);
  const kind = issue?.kind === "pull" ? "pull" : "issues";
  const user = findUser(s.state, comment.user);
  return {
    id: comment.id,
    node_id: nodeId("IssueComment", comment.id),
    url,
    html_url: `${repoHtml(s, repo)}/${kind}/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${repoApi(s, repo)}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: s.user(comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: authorAssociation(s.state, repo, comment.user),
    performed_via_github_app:
      user?.type === "Bot" && user.login === s.state.app.botLogin ? s.integration() : null,
    reactions: reactionRollup(`${url}/reactions`, comment.reactions),
  };
}

export function reaction(s: Shapes, reaction: IssueComment["reactions"][number]): Json {
  return {
    id: reaction.id,
    node_id: nodeId("Reaction", reaction.id),
    user: s.user(reaction.user),
    content: reaction.content,
    created_at: reaction.createdAt,
  };
}

export function issueEvent(s: Shapes, repo: Repository, event: IssueEvent): Json {
  return {
    id: event.id,
    node_id: nodeId(event.event === "labeled" ? "LabeledEvent" : "IssueEvent", event.id),
    url: `${repoApi(s, repo)}/issues/events/${event.id}`,
    actor: s.user(event.actor),
    event: event.event,
    commit_id: event.commitId,
    commit_url: event.commitId ? `${repoApi(s, repo)}/commits/${event.commitId}` : null,
    created_at: event.createdAt,
    performed_via_github_app: null,
    ...(event.label ? { label: { ...event.label } } : {}),
  };
}
