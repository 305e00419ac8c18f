import { DEFAULT_POLICY, parsePolicy, type Policy } from "../config/policy.js";
import { engineSettings } from "../config/settings.js";
import { isInfraFile } from "../engine/select.js";
import type {
  LabelEvent,
  Permission,
  PullSnapshot,
  RevisionFile,
  SnapshotCommit,
  SnapshotFile,
  SnapshotReview,
} from "../gates/snapshot.js";
import { decodeState, isStickyComment, type CommentState } from "../render/comment-state.js";
import { sharedSnapshotCache, SnapshotCache, withContentCache } from "./cache.js";
import { fullName, orNotFound, statusOf, type GitHubClient, type PullLocator } from "./client.js";
import { fileText } from "./contents.js";
import { loadSnapshotGraphql } from "./graphql/loader.js";
import { loadPolicyText } from "./policy-source.js";

/** GitHub lists at most 3,000 files of a pull request (REST "List pull requests files"). */
export const MAX_FILES = 3000;

/** Where GitHub looks for CODEOWNERS, in its order. */
export const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"] as const;

export interface StickyComment {
  readonly id: number;
  readonly body: string;
}

/** A snapshot plus what the publisher needs to write idempotently. */
export interface LoadedPull {
  readonly snapshot: PullSnapshot;
  readonly sticky: StickyComment | null;
  readonly state: CommentState;
}

export type ChangedFile = {
  filename: string;
  status: string;
  previous_filename?: string;
  sha?: string;
};

export interface LoadOptions {
  /** `graphql` (default): batched reads, REST where GraphQL cannot answer; `rest`: REST only. */
  readonly via?: "graphql" | "rest";
  /** Files at commits and merge bases; default the process-wide cache, null: this load only. */
  readonly cache?: SnapshotCache | null;
  /** Told when the GraphQL loader failed and the REST loader answered instead. */
  readonly onFallback?: (error: unknown) => void;
}

/**
 * Loads everything one evaluation needs, eagerly and once: the PR, its files at the merge base
 * and the head, reviews with each reviewer's permission, commits, revisions at reviewed commits,
 * teams, CODEOWNERS and the policy from the base branch, label events, the sticky comment.
 * GraphQL batches it into two round trips (src/github/graphql/loader.ts); when GraphQL fails, the
 * REST loader below gives the same snapshot. Unchanged files come from the cache.
 */
export async function loadSnapshot(
  client: GitHubClient,
  locator: PullLocator,
  botLogin?: string,
  options: LoadOptions = {},
): Promise<LoadedPull> {
  const cache =
    options.cache === undefined ? sharedSnapshotCache() : (options.cache ?? new SnapshotCache());
  const cached = withContentCache(client, cache);
  if ((options.via ?? "graphql") === "graphql") {
    try {
      return await loadSnapshotGraphql(cached, locator, botLogin, cache);
    } catch (error) {
      options.onFallback?.(error);
    }
  }
  return loadSnapshotRest(cached, locator, botLogin);
}

/** The REST loader: about 15 sequential requests plus one per file side, reviewer and team. */
export async function loadSnapshotRest(
  client: GitHubClient,
  locator: PullLocator,
  botLogin?: string,
): Promise<LoadedPull> {
  const { owner, repo, number } = locator;
  const permissions = new PermissionCache(client, owner, repo);

  // 1. The pull request and its merge base.
  const pull = (
    await client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
      owner,
      repo,
      pull_number: number,
    })
  ).data;
  const compare = await client.request("GET /repos/{owner}/{repo}/compare/{basehead}", {
    owner,
    repo,
    basehead: `${pull.base.sha}...${pull.head.sha}`,
    per_page: 1,
  });
  const mergeBase = compare.data.merge_base_commit.sha;

  // 2. The base branch's policy (a PR cannot weaken its own gate).
  const policyText = await loadPolicyText(client, owner, repo, pull.base.sha);
  const policy = policyFor(policyText);
  const settings = engineSettings(policy);
  const selection = { ...policy.files, formatOverride: settings.formatOverride };

  // 3. Changed files; contents of the infrastructure ones at the merge base and at the head.
  const changed = (await client.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
    owner,
    repo,
    pull_number: number,
    per_page: 100,
  })) as ChangedFile[];
  const files: SnapshotFile[] = [];
  const otherFiles: string[] = [];
  for (const file of changed.slice(0, MAX_FILES)) {
    const status =
      file.status === "added" ? "added" : file.status === "removed" ? "removed" : "modified";
    const after =
      status === "removed"
        ? null
        : await maybeText(client, owner, repo, file.filename, pull.head.sha, selection);
    if (after === undefined) {
      otherFiles.push(file.filename);
      continue;
    }
    const beforePath = file.previous_filename ?? file.filename;
    const before =
      status === "added" ? null : await fileText(client, owner, repo, beforePath, mergeBase);
    if (!isInfraFile(file.filename, after ?? before, selection)) {
      otherFiles.push(file.filename);
      continue;
    }
    files.push({
      path: file.filename,
      status,
      before,
      after,
      ...(file.previous_filename ? { previousPath: file.previous_filename } : {}),
    });
  }

  // 4. Reviews, each reviewer's permission, the PR's commits.
  const rawReviews = await client.paginate(
    "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    { owner, repo, pull_number: number, per_page: 100 },
  );
  const reviews: SnapshotReview[] = [];
  for (const review of rawReviews) {
    if (!review.user || !review.commit_id) continue;
    const bot = review.user.type === "Bot" || review.user.login.endsWith("[bot]");
    reviews.push({
      user: review.user.login,
      state: review.state as SnapshotReview["state"],
      commitSha: review.commit_id,
      permission: bot ? "none" : await permissions.of(review.user.login),
      bot,
      ...(review.submitted_at ? { submittedAt: review.submitted_at } : {}),
    });
  }
  const commits = (
    await client.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/commits", {
      owner,
      repo,
      pull_number: number,
      per_page: 100,
    })
  ).map((commit): SnapshotCommit => ({
    sha: commit.sha,
    author: commit.author?.login ?? null,
    committer: commit.committer?.login ?? null,
    coAuthors: coAuthorLogins(commit.commit.message),
  }));

  // 5. The infrastructure files as each approver saw them (for semantic staleness).
  const revisions: Record<string, RevisionFile[]> = {};
  if (policy.approvals.invalidateOn === "infra-change") {
    const reviewed = new Set(
      reviews
        .filter((review) => review.state === "APPROVED" && review.commitSha !== pull.head.sha)
        .map((review) => review.commitSha),
    );
    for (const sha of reviewed) {
      revisions[sha] = await revisionFiles(
        client,
        owner,
        repo,
        pull.base.sha,
        sha,
        files,
        selection,
      );
    }
  }

  // 6. Teams named by requirements or CODEOWNERS; CODEOWNERS from the base branch.
  const codeowners = await firstText(client, owner, repo, CODEOWNERS_PATHS, pull.base.sha);
  const teams = await teamMembers(client, teamNames(policy, codeowners));

  // 7. Who applied the emergency label (only if it is on the PR).
  const labels = pull.labels.map((label) => label.name);
  const labelEvents = labels.includes(policy.emergency.label)
    ? await labelHistory(client, locator, policy.emergency.label, permissions)
    : [];

  // 8. The sticky comment and its state (checklist ticks).
  const sticky = await findSticky(client, locator, botLogin);
  const state = decodeState(sticky?.body);

  // 9. Whether the base branch requires the Changegate check.
  const requiredChecks = await requiredChecksOf(client, owner, repo, pull.base.ref);

  const snapshot: PullSnapshot = {
    repository: fullName(locator),
    pull: {
      number,
      title: pull.title,
      author: pull.user.login,
      draft: Boolean(pull.draft),
      body: pull.body ?? "",
      labels,
      baseRef: pull.base.ref,
      baseSha: pull.base.sha,
      headSha: pull.head.sha,
      state: pull.state === "closed" ? "closed" : "open",
      merged: Boolean(pull.merged),
      mergeCommitSha: pull.merge_commit_sha ?? null,
      mergedBy: pull.merged_by?.login ?? null,
    },
    policy: policyText,
    files,
    otherFiles,
    reviews,
    revisions,
    commits,
    teams,
    codeowners,
    labelEvents,
    checklist: state.ticks,
    requiredChecks,
  };
  return { snapshot, sticky, state };
}

export function policyFor(text: string | null): Policy {
  const result = parsePolicy(text);
  return result.ok ? result.policy : DEFAULT_POLICY; // the gates report the invalid policy
}

/** The head text of a file that may be infrastructure, or undefined when it plainly is not. */
async function maybeText(
  client: GitHubClient,
  owner: string,
  repo: string,
  path: string,
  ref: string,
  selection: Parameters<typeof isInfraFile>[2],
): Promise<string | null | undefined> {
  // Decide by name first: a file that cannot be infrastructure costs no request.
  if (!isInfraFile(path, "", selection) && !couldBeInfra(path)) return undefined;
  return fileText(client, owner, repo, path, ref);
}

export function couldBeInfra(path: string): boolean {
  return (
    /\.(ya?ml|json|toml|cfg|conf)$/i.test(path) &&
    !/(^|\/)(package(-lock)?|tsconfig|composer)\.json$/.test(path)
  );
}

async function revisionFiles(
  client: GitHubClient,
  owner: string,
  repo: string,
  baseSha: string,
  sha: string,
  current: readonly SnapshotFile[],
  selection: Parameters<typeof isInfraFile>[2],
): Promise<RevisionFile[]> {
  const compare = await orNotFound(() =>
    client.request("GET /repos/{owner}/{repo}/compare/{basehead}", {
      owner,
      repo,
      basehead: `${baseSha}...${sha}`,
    }),
  );
  if (!compare) return [];
  const mergeBase = compare.data.merge_base_commit.sha;
  const paths = new Set(current.map((file) => file.path));
  for (const file of compare.data.files ?? []) {
    if (isInfraFile(file.filename, "", selection) || couldBeInfra(file.filename))
      paths.add(file.filename);
  }
  const out: RevisionFile[] = [];
  for (const path of paths) {
    const [content, base] = await Promise.all([
      fileText(client, owner, repo, path, sha),
      fileText(client, owner, repo, path, mergeBase),
    ]);
    if (content === null && base === null) continue;
    if (!isInfraFile(path, content ?? base, selection)) continue;
    out.push({ path, content, base });
  }
  return out;
}

async function firstText(
  client: GitHubClient,
  owner: string,
  repo: string,
  paths: readonly string[],
  ref: string,
): Promise<string | null> {
  for (const path of paths) {
    const text = await fileText(client, owner, repo, path, ref);
    if (text !== null) return text;
  }
  return null;
}

export function teamNames(policy: Policy, codeowners: string | null): string[] {
  const names = new Set<string>();
  for (const requirement of Object.values(policy.requirements))
    for (const team of requirement.teams) names.add(team);
  for (const match of (codeowners ?? "").matchAll(/@([\w.-]+\/[\w.-]+)/g)) names.add(match[1]!);
  return [...names];
}

export async function teamMembers(
  client: GitHubClient,
  names: readonly string[],
): Promise<Record<string, string[]>> {
  const teams: Record<string, string[]> = {};
  for (const name of names) {
    const [org, slug] = name.split("/") as [string, string];
    const members = await orNotFound(() =>
      client.paginate("GET /orgs/{org}/teams/{team_slug}/members", {
        org,
        team_slug: slug,
        per_page: 100,
      }),
    );
    if (members) teams[name] = members.map((member) => member.login);
  }
  return teams;
}

export async function labelHistory(
  client: GitHubClient,
  locator: PullLocator,
  label: string,
  permissions: PermissionCache,
): Promise<LabelEvent[]> {
  const events = await client.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/events", {
    owner: locator.owner,
    repo: locator.repo,
    issue_number: locator.number,
    per_page: 100,
  });
  const out: LabelEvent[] = [];
  for (const event of events as {
    event: string;
    label?: { name: string };
    actor?: { login: string } | null;
    created_at?: string;
  }[]) {
    if (
      (event.event !== "labeled" && event.event !== "unlabeled") ||
      event.label?.name !== label ||
      !event.actor
    )
      continue;
    out.push({
      label,
      action: event.event,
      actor: event.actor.login,
      permission: await permissions.of(event.actor.login),
      ...(event.created_at ? { createdAt: event.created_at } : {}),
    });
  }
  return out;
}

export async function findSticky(
  client: GitHubClient,
  locator: PullLocator,
  botLogin?: string,
): Promise<StickyComment | null> {
  const comments = await client.paginate(
    "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
    {
      owner: locator.owner,
      repo: locator.repo,
      issue_number: locator.number,
      per_page: 100,
    },
  );
  // Found by the hidden marker; when the bot's login is known, only its own comments qualify
  // (anyone can paste the marker into a comment of their own).
  const sticky = comments.find(
    (comment) =>
      isStickyComment(comment.body) &&
      (!botLogin || comment.user?.login === botLogin || comment.user?.type === "Bot"),
  );
  return sticky ? { id: sticky.id, body: sticky.body ?? "" } : null;
}

/** Required status checks of a branch from branch protection and rulesets; null if unknowable. */
export async function requiredChecksOf(
  client: GitHubClient,
  owner: string,
  repo: string,
  branch: string,
): Promise<string[] | null> {
  const contexts = new Set<string>();
  let known = false;
  try {
    const data = (
      await client.request("GET /repos/{owner}/{repo}/branches/{branch}", { owner, repo, branch })
    ).data;
    known = true;
    for (const context of data.protection?.required_status_checks?.contexts ?? [])
      contexts.add(context);
    for (const check of data.protection?.required_status_checks?.checks ?? [])
      contexts.add(check.context);
  } catch (error) {
    if (statusOf(error) !== 404 && statusOf(error) !== 403) throw error;
  }
  try {
    const rules = (
      await client.request("GET /repos/{owner}/{repo}/rules/branches/{branch}", {
        owner,
        repo,
        branch,
        per_page: 100,
      })
    ).data;
    known = true;
    for (const rule of rules as {
      type: string;
      parameters?: { required_status_checks?: { context: string }[] };
    }[]) {
      if (rule.type === "required_status_checks")
        for (const check of rule.parameters?.required_status_checks ?? [])
          contexts.add(check.context);
    }
  } catch (error) {
    if (statusOf(error) !== 404 && statusOf(error) !== 403) throw error;
  }
  return known ? [...contexts] : null;
}

/** `Co-authored-by: Name <123+login@users.noreply.github.com>` trailers name GitHub logins. */
export function coAuthorLogins(message: string): string[] {
  const logins: string[] = [];
  for (const match of message.matchAll(
    /^Co-authored-by:.*<(?:\d+\+)?([\w-]+)@users\.noreply\.github\.com>/gim,
  ))
    logins.push(match[1]!);
  return logins;
}

/** Each user's permission on the repository, asked once per evaluation. */
export class PermissionCache {
  private readonly cache = new Map<string, Promise<Permission>>();

  constructor(
    private readonly client: GitHubClient,
    private readonly owner: string,
    private readonly repo: string,
  ) {}

  of(login: string): Promise<Permission> {
    let permission = this.cache.get(login);
    if (!permission) {
      permission = this.load(login);
      this.cache.set(login, permission);
    }
    return permission;
  }

  private async load(login: string): Promise<Permission> {
    const response = await orNotFound(() =>
      this.client.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
        owner: this.owner,
        repo: this.repo,
        username: login,
      }),
    );
    if (!response) return "none";
    // role_name distinguishes maintain and triage; `permission` folds them into write/read.
    const role = (response.data as { role_name?: string }).role_name;
    const permission = response.data.permission;
    if (role === "maintain" || role === "triage") return role;
    return (
      (["admin", "write", "read", "none"] as const).find((value) => value === permission) ?? "none"
    );
  }
}
