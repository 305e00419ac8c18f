/**
 * The REST reads both loaders make: the REST loader for everything, the GraphQL loader for what
 * GraphQL cannot answer (a team it withholds, more than 100 comments or label events, branch rules
 * the token may not read).
 */
import type { LabelEvent, Pusher, SnapshotCommit } from "../../gates/snapshot.js";
import { samePush } from "../../gates/snapshot.js";
import {
  describeError,
  orNotFound,
  statusOf,
  type GitHubClient,
  type PullLocator,
} from "../client.js";
import type { PermissionCache } from "../permissions.js";
import {
  coAuthorLogins,
  coAuthorTrailers,
  gitIdentity,
  isOwnSticky,
  WEB_FLOW,
  type StickyComment,
} from "./shared.js";

/**
 * The pull request's commits, with co-authors from trailers: the REST loader's (REST lists at most
 * 250, `MAX_REST_COMMITS`; the loader compares them with the pull request's count).
 */
export async function pullCommits(
  client: GitHubClient,
  { owner, repo, number }: PullLocator,
): Promise<SnapshotCommit[]> {
  const commits = await client.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/commits", {
    owner,
    repo,
    pull_number: number,
    per_page: 100,
  });
  return commits.map((commit) => {
    // REST ties only the author and the committer to accounts: a co-author's address other than
    // GitHub's noreply one stays unknown here (GraphQL's Commit.authors resolves verified emails).
    const trailers = coAuthorTrailers(commit.commit.message).filter(
      (trailer) => coAuthorLogins(`Co-authored-by: <${trailer.email}>`).length === 0,
    );
    const unlinked = [
      ...(commit.author ? [] : [gitIdentity(commit.commit.author)]),
      ...(commit.committer ? [] : [gitIdentity(commit.commit.committer)]),
      ...trailers.map(gitIdentity),
    ];
    return {
      sha: commit.sha,
      author: commit.author?.login ?? null,
      committer: commit.committer?.login ?? null,
      coAuthors: coAuthorLogins(commit.commit.message),
      unlinked: [...new Set(unlinked)],
      parents: commit.parents.map((parent) => parent.sha),
      viaWeb: commit.committer?.login === WEB_FLOW,
    };
  });
}

/**
 * Who moved a branch, from GitHub's own record (REST "List repository activities",
 * https://docs.github.com/en/rest/repos/repos#list-repository-activities): each push's actor and
 * the tip it left. The endpoint is enabled for GitHub Apps and documents only 200 and 422, so a
 * 403 or 404 means this installation cannot read the record: then null, only the pushes the App
 * was told of by webhook count, and `unreadable` is told why (operators see it in the log).
 */
export async function branchPushes(
  client: GitHubClient,
  { owner, repo }: Pick<PullLocator, "owner" | "repo">,
  branch: string,
  unreadable?: (reason: string) => void,
): Promise<BranchPush[] | null> {
  try {
    const activities = await client.paginate("GET /repos/{owner}/{repo}/activity", {
      owner,
      repo,
      ref: `refs/heads/${branch}`,
      per_page: 100,
    });
    // Newest first, as GitHub lists them.
    return activities.map((activity) => ({
      login: activity.actor?.login ?? null,
      headSha: activity.after,
      before: activity.before,
      at: activity.timestamp,
    }));
  } catch (error) {
    if (statusOf(error) !== 403 && statusOf(error) !== 404) throw error;
    unreadable?.(describeError(error));
    return null;
  }
}

/** One move of a branch in GitHub's record: who (null: unknown), the tip it left, when. */
export interface BranchPush {
  readonly login: string | null;
  readonly headSha: string;
  /** The tip it moved the branch from. */
  readonly before?: string;
  readonly at: string;
}

/**
 * Besides those recorded, the pushes that left one of the pull request's commits as the tip, and
 * every push since the pull request was opened (`openedAt`), whatever its tip: a rebase or force
 * push rewrites a pusher's commits away, not what they brought.
 */
export function pushersOf(
  pushes: readonly BranchPush[] | null,
  recorded: readonly Pusher[],
  commits: readonly SnapshotCommit[],
  openedAt: string | undefined,
): Pusher[] {
  const shas = new Set(commits.map((commit) => commit.sha));
  const opened = openedAt ? Date.parse(openedAt) : NaN;
  const out: Pusher[] = [...recorded];
  for (const { login, headSha, before, at } of pushes ?? []) {
    if (!login) continue;
    if (!shas.has(headSha) && !(Date.parse(at) >= opened)) continue;
    const push: Pusher = { login, headSha, ...(before ? { before } : {}) };
    // A recorded push never hides one of GitHub's (a hand-made record may name the same tip).
    if (!out.some((other) => samePush(other, push))) out.push(push);
  }
  return out;
}

/**
 * The branch's tip when a label was applied at `at`, from its push record (newest first): the
 * latest push before it; null when a push has the same second (either may be first) or none is
 * earlier; undefined when there is no record or no time to compare.
 */
export function headAt(
  pushes: readonly BranchPush[] | null,
  at: string | undefined,
): string | null | undefined {
  if (!pushes || !at) return undefined;
  if (pushes.some((push) => push.at === at)) return null;
  return pushes.find((push) => push.at < at)?.headSha ?? null;
}

/** Label events with the head each was applied to (when GitHub's push record tells). */
export function withLabelHeads(
  events: readonly LabelEvent[],
  pushes: readonly BranchPush[] | null,
): LabelEvent[] {
  return events.map((event) => {
    const headSha = headAt(pushes, event.createdAt);
    return headSha === undefined ? event : { ...event, headSha };
  });
}

export async function teamMembers(
  client: GitHubClient,
  names: readonly string[],
): Promise<Record<string, string[]>> {
  const teams: Record<string, string[]> = {};
  for (const name of names) {
    const [org, slug] = name.split("/") as [string, string];
    // A team the token may not read (403 "Resource not accessible by integration": a workflow's
    // GITHUB_TOKEN has no `members` permission,
    // https://docs.github.com/en/actions/security-for-github-actions/security-guides/automatic-token-authentication#permissions-for-the-github_token)
    // is, like a missing one, of unknown membership: the teams gate fails saying so.
    const members = await orNotFound(
      () =>
        client.paginate("GET /orgs/{org}/teams/{team_slug}/members", {
          org,
          team_slug: slug,
          per_page: 100,
        }),
      [403],
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
  const sticky = comments.find((comment) => isOwnSticky(comment.body, comment.user, botLogin));
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
