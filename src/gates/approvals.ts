import { assertNever } from "../shared/assert-never.js";
import {
  failed,
  loginKey,
  mention,
  notRequired,
  passed,
  sameLogin,
  shortSha,
  type GateOutcome,
} from "./outcome.js";
import {
  WRITE_PERMISSIONS,
  type Pusher,
  type SnapshotCommit,
  type SnapshotReview,
} from "./snapshot.js";
import type { Coverage } from "./staleness.js";
import type {
  ApprovalResult,
  ApprovalsNeeds,
  ExcludedApprover,
  StaleApprovals,
} from "./verdict.js";

export interface ApprovalsInput {
  readonly author: string;
  /** In the order they were submitted. */
  readonly reviews: readonly SnapshotReview[];
  readonly commits: readonly SnapshotCommit[];
  /** Who pushed to the branch and the head each push made (a pusher is a contributor). */
  readonly pushers?: readonly Pusher[];
  /**
   * Whether the infrastructure change set is the same at two commits (staleness.ts): an
   * "Update branch" merge that changed nothing of it is not authorship.
   */
  readonly sameChange?: (before: string, after: string) => boolean;
  /** Approvals the risk level requires (0: the gate is not required). */
  readonly required: number;
  readonly allowContributors: boolean;
  /** Whether an approval on a commit still covers the change (see staleness.ts). */
  readonly coverage: (commitSha: string | null) => Coverage;
}

export interface ApprovalsOutcome extends GateOutcome {
  /** One entry per person who reviewed, explaining whether their review counts. */
  readonly approvals: readonly ApprovalResult[];
  /** Logins whose approval counts, in review order (teams and code owners draw on these). */
  readonly counted: readonly string[];
  /** Writers whose latest review requests changes. */
  readonly blockedBy: readonly string[];
}

/**
 * The approvals gate (docs/reviewing.md, "What reviewers do"): distinct humans with write access, not the author, not
 * bots, not a contributor of the PR's commits (four eyes) unless allowed, whose latest review is
 * an approval that still covers the change. A writer whose latest review requests changes blocks.
 */
export function evaluateApprovals(input: ApprovalsInput): ApprovalsOutcome {
  const updates = new Map(
    updateMerges(input.commits)
      .filter(({ merge, pullSide }) => input.sameChange?.(pullSide, merge.sha) === true)
      .map(({ merge, pullSide }) => [merge.sha, pullSide]),
  );
  const contributors = contributorsOf(input.commits, input.pushers ?? [], updates);
  const latest = latestReviews(input.reviews);
  const stale: Stale[] = [];
  const approvals = [
    ...latest.map((review) => judge(review, input, contributors, stale)),
    ...unlinkedRows(input.commits),
  ];
  const counted = approvals.filter((approval) => approval.counted).map((approval) => approval.user);
  const blockedBy = latest.filter(blocks).map((review) => review.user);
  const needs: Omit<ApprovalsNeeds, "missing" | "counted"> = {
    kind: "approvals",
    stale: staleGroups(stale),
    excluded: excludedApprovers(input, contributors),
    contributorsMayApprove: input.allowContributors,
    blockedBy,
  };
  return {
    approvals,
    counted,
    blockedBy,
    ...approvalsGate(input.required, counted, blockedBy, needs),
  };
}

/** An approval that no longer covers the change: whose, on which commit, and what happened since. */
interface Stale {
  readonly user: string;
  readonly commitSha: string | null;
  readonly since: string;
}

/** Stale approvals grouped by reviewed commit and reason, in review order. */
function staleGroups(stale: readonly Stale[]): StaleApprovals[] {
  const groups = new Map<string, { users: string[]; commitSha: string | null; since: string }>();
  for (const { user, commitSha, since } of stale) {
    const key = JSON.stringify([commitSha, since]);
    const group = groups.get(key) ?? { users: [], commitSha, since };
    group.users.push(user);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The author, then (unless the policy allows contributors) each contributor with what they did. */
function excludedApprovers(input: ApprovalsInput, contributors: Contributors): ExcludedApprover[] {
  const excluded: ExcludedApprover[] = [{ login: input.author, role: "author" }];
  if (input.allowContributors) return excluded;
  for (const contribution of contributors.values())
    if (!sameLogin(contribution.login, input.author))
      excluded.push({ login: contribution.login, role: contribution.role, sha: contribution.sha });
  return excluded;
}

/**
 * The latest review per person, in order of each person's first review. COMMENTED and PENDING
 * reviews do not replace an earlier decision; a DISMISSED one does.
 */
// "Dismissing a review changes the status of the review to a review comment": https://docs.github.com/en/pull-requests/how-tos/review-pull-requests/dismissing-a-pull-request-review
export function latestReviews(reviews: readonly SnapshotReview[]): SnapshotReview[] {
  const latest = new Map<string, SnapshotReview>();
  for (const review of reviews) {
    const key = loginKey(review.user);
    const previous = latest.get(key);
    const decisive =
      review.state === "APPROVED" ||
      review.state === "CHANGES_REQUESTED" ||
      review.state === "DISMISSED";
    if (!previous || decisive || !isDecisive(previous)) latest.set(key, review);
  }
  return [...latest.values()];
}

function isDecisive(review: SnapshotReview): boolean {
  return review.state !== "COMMENTED" && review.state !== "PENDING";
}

/** A writer's request for changes blocks until the same person approves. */
function blocks(review: SnapshotReview): boolean {
  return review.state === "CHANGES_REQUESTED" && WRITE_PERMISSIONS.includes(review.permission);
}

function judge(
  review: SnapshotReview,
  input: ApprovalsInput,
  contributors: Contributors,
  stale: Stale[],
): ApprovalResult {
  const result = (counted: boolean, reason: string): ApprovalResult => ({
    user: review.user,
    counted,
    reason,
    state: review.state,
    commitSha: review.commitSha,
  });
  const writer = WRITE_PERMISSIONS.includes(review.permission);
  switch (review.state) {
    case "CHANGES_REQUESTED":
      // A writer's "request changes" blocks until the same person approves, whatever commit it was on: https://docs.github.com/articles/approving-a-pull-request-with-required-reviews
      return blocks(review)
        ? result(false, `requested changes (blocks until @${review.user} approves)`)
        : result(
            false,
            `requested changes without write access (${review.permission}); does not block`,
          );
    case "DISMISSED":
      return result(false, "dismissed");
    case "COMMENTED":
      return result(false, "commented without approving");
    case "PENDING":
      return result(false, "review not submitted yet");
    case "APPROVED":
      return judgeApproval(review, input, contributors, writer, result, stale);
    default:
      return assertNever(review.state);
  }
}

function judgeApproval(
  review: SnapshotReview,
  input: ApprovalsInput,
  contributors: Contributors,
  writer: boolean,
  result: (counted: boolean, reason: string) => ApprovalResult,
  stale: Stale[],
): ApprovalResult {
  if (sameLogin(review.user, input.author)) return result(false, "author of the pull request");
  if (review.bot || review.user.endsWith("[bot]")) return result(false, "bot");
  if (!writer) return result(false, `no write access (${review.permission})`);
  const contribution = contributors.get(loginKey(review.user));
  if (contribution && !input.allowContributors)
    return result(false, `${CONTRIBUTED[contribution.role]} (four eyes)`);
  const coverage = input.coverage(review.commitSha);
  if (coverage.kind === "stale") {
    // Everything else about this reviewer counts: approving again is all it takes.
    stale.push({ user: review.user, commitSha: review.commitSha, since: coverage.since });
    return result(false, coverage.reason);
  }
  return result(true, coverage.note ? `counted (${coverage.note})` : "counted");
}

/** How someone contributed to the PR, and the first commit it shows in. */
interface Contribution {
  readonly login: string;
  readonly role: Exclude<ExcludedApprover["role"], "author">;
  readonly sha: string;
}

/** login key → their first contribution. */
type Contributors = Map<string, Contribution>;

const CONTRIBUTED: Record<Contribution["role"], string> = {
  committed: "committed to this pull request",
  "co-authored": "co-authored a commit of this pull request",
  pushed: "pushed to this pull request",
};

/**
 * Who contributed: authors, committers and co-authors of the PR's commits, and whoever pushed
 * to its branch. An "Update branch" merge that brought only the base's content (`updates`: merge
 * → its pull-request-side parent) is not authorship (policy-bot's `ignore_update_merges`), nor is
 * a push that moved the branch from that parent to the merge (GitHub's `before`): a push from
 * anywhere else brought commits of its own along (whose git identity says nothing of who made
 * them). Each push is judged alone, so a push recorded by hand cannot excuse another.
 */
function contributorsOf(
  commits: readonly SnapshotCommit[],
  pushers: readonly Pusher[],
  updates: ReadonlyMap<string, string>,
): Contributors {
  const contributors: Contributors = new Map();
  const add = (login: string, role: Contribution["role"], sha: string): void => {
    if (!contributors.has(loginKey(login))) contributors.set(loginKey(login), { login, role, sha });
  };
  for (const commit of commits) {
    if (updates.has(commit.sha)) continue;
    for (const login of [commit.author, commit.committer])
      if (login) add(login, "committed", commit.sha);
  }
  for (const commit of commits)
    if (!updates.has(commit.sha))
      for (const login of commit.coAuthors ?? []) add(login, "co-authored", commit.sha);
  for (const pusher of pushers) {
    const pullSide = updates.get(pusher.headSha);
    if (pullSide === undefined || pusher.before !== pullSide)
      add(pusher.login, "pushed", pusher.headSha);
  }
  return contributors;
}

/**
 * "Update branch" merges (https://docs.github.com/en/pull-requests/collaborating-with-pull-requests/proposing-changes-to-your-work-with-pull-requests/keeping-your-pull-request-in-sync-with-the-base-branch):
 * made by GitHub in the web UI, two parents, one of them the pull request's own commit and the
 * other from the base branch. Whether it brought only the base's content is for the caller to show.
 */
function updateMerges(
  commits: readonly SnapshotCommit[],
): { merge: SnapshotCommit; pullSide: string }[] {
  const own = new Set(commits.map((commit) => commit.sha));
  return commits.flatMap((merge) => {
    if (!merge.viaWeb || merge.parents?.length !== 2) return [];
    const inside = merge.parents.filter((parent) => own.has(parent));
    return inside.length === 1 ? [{ merge, pullSide: inside[0]! }] : [];
  });
}

/**
 * The commits whose files the loaders read so the gate can show an "Update branch" merge left the
 * infrastructure change as it was: each such merge and its pull-request-side parent (not the head).
 */
export function updateMergeRevisions(
  commits: readonly SnapshotCommit[],
  headSha: string,
): string[] {
  const shas = new Set<string>();
  for (const { merge, pullSide } of updateMerges(commits))
    for (const sha of [pullSide, merge.sha]) if (sha !== headSha) shas.add(sha);
  return [...shas];
}

/**
 * Git identities GitHub ties to no account: shown, since nobody can be excluded for them. One row
 * per identity (at its first commit), however many commits it made.
 */
function unlinkedRows(commits: readonly SnapshotCommit[]): ApprovalResult[] {
  const made = new Map<string, SnapshotCommit[]>();
  for (const commit of commits)
    for (const identity of new Set(commit.unlinked ?? []))
      made.set(identity, [...(made.get(identity) ?? []), commit]);
  return [...made].map(([identity, [first, ...more]]) => ({
    user: identity,
    counted: false,
    reason: `made commit ${shortSha(first!.sha)}${more.length > 0 ? ` and ${more.length} more` : ""} under an identity GitHub ties to no account: whoever it is cannot be told from the reviewers`,
    state: "COMMIT",
    commitSha: first!.sha,
  }));
}

function approvalsGate(
  required: number,
  counted: readonly string[],
  blockedBy: readonly string[],
  people: Omit<ApprovalsNeeds, "missing" | "counted">,
): GateOutcome {
  const have = counted.length;
  const who = have > 0 ? ` (${counted.map(mention).join(", ")})` : "";
  const present =
    have > required && required > 0
      ? `${have} approvals${who}; ${required} required`
      : `${have} of ${required} approvals${who}`;
  const blocked = blockedBy.map(mention).join(", ");
  if (required === 0) {
    const note = blockedBy.length > 0 ? `; changes requested by ${blocked}` : "";
    return notRequired("approvals", `not required at this risk (${have} counted${who})${note}`);
  }
  const missing = Math.max(0, required - have);
  const extra = {
    required: String(required),
    present: String(have),
    ...(missing > 0 ? { missing: String(missing) } : {}),
  };
  const blockers = blockedBy.length > 0 ? [`changes requested by ${blocked}`] : [];
  const shortfall = [...blockers, ...(missing > 0 ? [`${have} of ${required} approvals`] : [])];
  if (shortfall.length === 0) return passed("approvals", present, extra);
  const detail = [...blockers, missing > 0 ? `${present}; ${missing} missing` : present].join("; ");
  return failed("approvals", detail, shortfall.join(", "), {
    ...extra,
    needs: { ...people, missing, counted: have },
  });
}
