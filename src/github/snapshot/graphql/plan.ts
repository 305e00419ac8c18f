/**
 * What round trip 2 reads, decided from round trip 1 alone (pure): the candidate files at the
 * head and at the predicted merge base, the same paths at each approved older commit, their
 * directories at the head (the context), whose permissions and which teams. The REST loader's tests decide which files are candidates.
 */
import type { Policy } from "../../../config/policy.js";
import { couldBeInfraFile, type FileSelection } from "../../../engine/select.js";
import { updateMergeRevisions } from "../../../gates/approvals.js";
import type { SnapshotFile } from "../../../gates/snapshot.js";
import type { CachedComparison } from "../cache.js";
import { contextDirectories } from "../context.js";
import {
  basePathOf,
  fileStatus,
  isBot,
  isCandidate,
  MAX_COMPARE_FILES,
  teamNames,
  type ChangedFile,
} from "../shared.js";
import type { FileKey } from "./file-texts.js";
import { mergeBaseCandidates } from "./merge-base.js";
import type { PullCommit, PullFacts, PullLabelEvent, PullReview } from "./pull-query.js";

/** The base branch as the gate reads it. */
export interface BaseBranch {
  readonly policyText: string | null;
  /** Where the policy came from when not the repository's own `.github/changegate.yml`. */
  readonly policyPath?: string;
  /** The custom policy file (`LoadContext.policyPath`), when the policy is read from one. */
  readonly policyFile?: string;
  readonly policy: Policy;
  readonly selection: FileSelection;
  readonly codeowners: string | null;
}

export interface FilePlan {
  readonly file: ChangedFile;
  readonly status: SnapshotFile["status"];
  readonly path: string;
  /** Where the file was at the merge base (a rename's previous path). */
  readonly basePath: string;
  /** Whether its text decides if it is infrastructure; otherwise it is not, whatever it holds. */
  readonly candidate: boolean;
}

export interface ReadPlan {
  readonly files: readonly FilePlan[];
  readonly candidatePaths: readonly string[];
  /** In the order applied. */
  readonly labels: readonly string[];
  /** null: more than GraphQL's first 100, REST lists them. */
  readonly reviews: readonly PullReview[] | null;
  /** Approved commits other than the head, whose files staleness compares. */
  readonly reviewed: readonly string[];
  /** The emergency label's events; [] when the label is not on the PR; null: REST lists them. */
  readonly emergencyEvents: readonly PullLabelEvent[] | null;
  readonly emergencyLabel: string;
  readonly wantedFiles: readonly FileKey[];
  /** The directories at the head whose files may be context (read with the files, round trip 2). */
  readonly contextTrees: readonly FileKey[];
  readonly logins: readonly string[];
  readonly teams: readonly string[];
}

export function planReads(
  facts: PullFacts,
  changed: readonly ChangedFile[],
  base: BaseBranch,
): ReadPlan {
  const { baseRefOid: baseSha, headRefOid: headSha } = facts;
  const files = changed.map((file) => planFile(file, base.selection));
  const candidatePaths = files.filter((plan) => plan.candidate).map((plan) => plan.path);
  const guessBases = (tip: string) =>
    mergeBaseCandidates(facts.commits.items, facts.commits.complete, baseSha, tip);
  const reviews = facts.reviews.complete ? facts.reviews.items : null;
  const reviewed = reviewedCommits(reviews ?? [], base.policy, headSha, facts.commits.items);

  const wantedFiles: FileKey[] = [];
  for (const plan of files) {
    if (!plan.candidate) continue;
    if (plan.status !== "removed") wantedFiles.push({ commit: headSha, path: plan.path });
    if (plan.status !== "added")
      for (const commit of guessBases(headSha)) wantedFiles.push({ commit, path: plan.basePath });
  }
  for (const sha of reviewed)
    for (const path of candidatePaths) {
      wantedFiles.push({ commit: sha, path });
      for (const commit of guessBases(sha)) wantedFiles.push({ commit, path });
    }

  const labels = appliedOrder(facts.labels, facts.labeledOrder);
  const emergencyLabel = base.policy.emergency.label;
  const emergencyEvents = !labels.includes(emergencyLabel)
    ? []
    : facts.labelEvents.complete
      ? facts.labelEvents.items.filter((event) => event.label === emergencyLabel && event.actor)
      : null;
  return {
    files,
    candidatePaths,
    labels,
    reviews,
    reviewed,
    emergencyEvents,
    emergencyLabel,
    wantedFiles,
    contextTrees: contextDirectories(candidatePaths).map((dir) => ({ commit: headSha, path: dir })),
    logins: needPermissions(reviews ?? [], emergencyEvents ?? []),
    teams: teamNames(base.policy, base.codeowners),
  };
}

/** Every read the snapshot needs once the merge bases are known: round trip 3 reads what is left. */
export function filesToComplete(
  plan: ReadPlan,
  headSha: string,
  mergeBase: string,
  comparisons: ReadonlyMap<string, CachedComparison | null>,
  selection: FileSelection,
): FileKey[] {
  const keys: FileKey[] = [];
  for (const file of plan.files) {
    if (!file.candidate) continue;
    if (file.status !== "removed") keys.push({ commit: headSha, path: file.path });
    if (file.status !== "added") keys.push({ commit: mergeBase, path: file.basePath });
  }
  for (const [sha, comparison] of comparisons) {
    if (!comparison || !isWholeComparison(comparison)) continue;
    for (const path of [...plan.candidatePaths, ...revisionCandidates(comparison, selection)])
      keys.push({ commit: sha, path }, { commit: comparison.mergeBase, path });
  }
  return keys;
}

/**
 * The commits approvals were given on, when staleness is judged on the infrastructure change;
 * and each "Update branch" merge with its parent, whose files show whether it was only the base's.
 */
export function reviewedCommits(
  reviews: readonly PullReview[],
  policy: Policy,
  headSha: string,
  pullCommits: readonly PullCommit[] = [],
): string[] {
  const commits = new Set<string>();
  for (const review of reviews)
    if (
      policy.approvals.invalidateOn === "infra-change" &&
      review.author &&
      review.state === "APPROVED" &&
      review.commitOid &&
      review.commitOid !== headSha
    )
      commits.add(review.commitOid);
  const asSnapshot = pullCommits.map((commit) => ({
    sha: commit.oid,
    author: commit.author,
    committer: commit.committer,
    viaWeb: commit.viaWeb,
    ...(commit.parents ? { parents: commit.parents } : {}),
  }));
  for (const sha of updateMergeRevisions(asSnapshot, headSha)) commits.add(sha);
  return [...commits];
}

/** Whose permission the snapshot records: human reviewers and who applied the emergency label. */
export function needPermissions(
  reviews: readonly PullReview[],
  labelEvents: readonly PullLabelEvent[],
): string[] {
  const logins = new Set<string>();
  for (const review of reviews)
    if (review.author && !isBot(review.author)) logins.add(review.author.login);
  for (const event of labelEvents) if (event.actor) logins.add(event.actor.login);
  return [...logins];
}

/**
 * Whether GitHub listed every file of a comparison: it lists at most 300 and does not say when it
 * cut (https://docs.github.com/rest/commits/commits#compare-two-commits).
 */
export function isWholeComparison(comparison: CachedComparison): boolean {
  return (comparison.files ?? []).length < MAX_COMPARE_FILES;
}

/** Files a reviewed commit changed that may be infrastructure (the name test of both loaders). */
export function revisionCandidates(
  comparison: CachedComparison,
  selection: FileSelection,
): string[] {
  return (comparison.files ?? []).filter((name) => couldBeInfraFile(name, selection));
}

function planFile(file: ChangedFile, selection: FileSelection): FilePlan {
  return {
    file,
    status: fileStatus(file.status),
    path: file.filename,
    basePath: basePathOf(file),
    candidate: isCandidate(file, selection),
  };
}

/**
 * The labels in the order they were applied, as REST lists them: GraphQL orders them only by
 * name or by the label's creation, so the timeline's label events give the order.
 */
function appliedOrder(labels: readonly string[], labeled: PullFacts["labeledOrder"]): string[] {
  if (!labeled.complete) return [...labels];
  const last = new Map(labeled.items.map((label, index) => [label, index]));
  return [...labels].sort((a, b) => (last.get(a) ?? -1) - (last.get(b) ?? -1));
}
