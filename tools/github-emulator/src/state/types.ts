/**
 * The emulator's state: plain data, no behaviour. REST handlers, the scenario
 * API and (later) a GraphQL resolver all read and write these objects.
 * Timestamps are ISO-8601 strings (`2024-01-01T00:00:00Z`).
 */

export type UserType = "User" | "Bot" | "Organization";
/** GitHub's repository roles, strongest first. */
export type Permission = "admin" | "maintain" | "write" | "triage" | "read";
export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED";
export type CheckStatus =
  "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
export type CheckConclusion =
  | "success"
  | "failure"
  | "neutral"
  | "cancelled"
  | "skipped"
  | "timed_out"
  | "action_required"
  | "stale";

export interface User {
  login: string;
  id: number;
  type: UserType;
  name: string | null;
  email: string | null;
}

export interface Installation {
  id: number;
  /** Login of the user or organization the App is installed on. */
  account: string;
  createdAt: string;
}

/** A git identity on a commit; `login` links it to a GitHub user. */
export interface GitPerson {
  name: string;
  email: string;
  date: string;
  login?: string;
}

/** A commit as a full snapshot of the tree (path -> file content). */
export interface Commit {
  sha: string;
  parents: string[];
  tree: Map<string, string>;
  author: GitPerson;
  committer: GitPerson;
  message: string;
}

export interface Label {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

/** What pull requests and issues share (they share one number space). */
export interface IssueBase {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  /** Author login. */
  user: string;
  labels: string[];
  assignees: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface Issue extends IssueBase {
  kind: "issue";
}

export interface PullRequest extends IssueBase {
  kind: "pull";
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  head: { ref: string; sha: string };
  /** `sha` is the base branch tip when the pull request was last synchronized. */
  base: { ref: string; sha: string };
}

export interface Review {
  id: number;
  pullNumber: number;
  user: string;
  state: ReviewState;
  commitId: string;
  submittedAt: string;
  body: string;
}

/** A comment on a line of a pull request's diff, made in a review (REST "Review comments"). */
export interface ReviewComment {
  id: number;
  pullNumber: number;
  /** The review it belongs to (a single comment gets a review of its own, as on GitHub). */
  reviewId: number;
  user: string;
  body: string;
  path: string;
  /** The line of the file on `side` (the last line of a range); `startLine` for a range. */
  line: number;
  startLine: number | null;
  side: "LEFT" | "RIGHT";
  commitId: string;
  createdAt: string;
  updatedAt: string;
}

export interface Reaction {
  id: number;
  user: string;
  content: string;
  createdAt: string;
}

export interface IssueComment {
  id: number;
  issueNumber: number;
  user: string;
  body: string;
  createdAt: string;
  updatedAt: string;
  reactions: Reaction[];
  /** Each change of the body (REST update or `editComment`), oldest first: GraphQL's `userContentEdits`. */
  edits?: CommentEdit[];
}

export interface CommentEdit {
  editor: string;
  editedAt: string;
}

export interface IssueEvent {
  id: number;
  issueNumber: number;
  event:
    | "labeled"
    | "unlabeled"
    | "closed"
    | "reopened"
    | "merged"
    | "ready_for_review"
    | "review_dismissed";
  actor: string;
  label?: { name: string; color: string };
  commitId: string | null;
  createdAt: string;
}

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRun {
  id: number;
  name: string;
  headSha: string;
  status: CheckStatus;
  conclusion: CheckConclusion | null;
  externalId: string | null;
  detailsUrl: string | null;
  startedAt: string | null;
  completedAt: string | null;
  output: {
    title: string | null;
    summary: string | null;
    text: string | null;
    annotations: CheckAnnotation[];
  };
  actions: Array<{ label: string; description: string; identifier: string }>;
  /** The App that created it. */
  appId: number;
}

export interface BranchProtection {
  strict: boolean;
  contexts: string[];
}

export interface Ruleset {
  id: number;
  name: string;
  enforcement: "active" | "evaluate" | "disabled";
  /** Branch patterns: `~DEFAULT_BRANCH`, `~ALL`, `refs/heads/main`, `release/*`. */
  include: string[];
  exclude: string[];
  requiredChecks: string[];
  strict: boolean;
}

export interface Repository {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  private: boolean;
  defaultBranch: string;
  createdAt: string;
  pushedAt: string;
  branches: Map<string, string>;
  commits: Map<string, Commit>;
  /** Issues and pull requests by number. */
  issues: Map<number, Issue | PullRequest>;
  nextNumber: number;
  comments: Map<number, IssueComment>;
  reviews: Map<number, Review>;
  /** Review comments by id (absent until the first one). */
  reviewComments?: Map<number, ReviewComment>;
  checkRuns: Map<number, CheckRun>;
  collaborators: Map<string, Permission>;
  labels: Map<string, Label>;
  issueEvents: IssueEvent[];
  protection: Map<string, BranchProtection>;
  rulesets: Ruleset[];
  /** Who moved which branch from what to what (REST "List repository activities"), oldest first. */
  activities?: Activity[];
}

/** One change of a branch: https://docs.github.com/en/rest/repos/repos#list-repository-activities */
export interface Activity {
  id: number;
  /** The branch name (shown as `refs/heads/<name>`). */
  branch: string;
  before: string;
  after: string;
  actor: string | null;
  timestamp: string;
  type: "push" | "force_push" | "branch_creation" | "pr_merge";
}

export interface Team {
  id: number;
  org: string;
  slug: string;
  name: string;
  members: Map<string, "member" | "maintainer">;
}

/** One webhook delivery as the deliveries API reports it. */
export interface Delivery {
  id: number;
  guid: string;
  event: string;
  action: string | null;
  installationId: number | null;
  repositoryId: number | null;
  deliveredAt: string;
  redelivery: boolean;
  /** Seconds. */
  duration: number;
  statusCode: number;
  status: string;
  url: string;
  requestHeaders: Record<string, string>;
  /** The exact JSON text that was signed and sent. */
  requestBody: string;
  responseHeaders: Record<string, string>;
  responseBody: string;
}

export interface AppInfo {
  id: number;
  slug: string;
  name: string;
  owner: string;
  /** Login of the App's bot user (`<slug>[bot]`). */
  botLogin: string;
}

export interface TokenInfo {
  installationId: number | null;
  /** The user the token acts as. */
  login: string;
  expiresAt: string;
  /**
   * A workflow's GITHUB_TOKEN (`emu.actionsToken(repo)`): the repository it is for
   * (`owner/name`, lowercase). It acts as `github-actions[bot]`, writes carry the
   * GitHub Actions App, and it cannot read organization teams.
   */
  actionsRepo?: string;
}

export interface EmulatorState {
  app: AppInfo;
  users: Map<string, User>;
  installations: Map<number, Installation>;
  repos: Map<string, Repository>;
  teams: Map<string, Team>;
  deliveries: Delivery[];
  tokens: Map<string, TokenInfo>;
  counters: Map<string, number>;
  /** Logical clock: seconds since `epoch`, advanced by every mutation. */
  clock: { epoch: number; seconds: number };
}
