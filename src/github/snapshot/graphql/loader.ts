/**
 * The snapshot in two sequential round trips of reads (pull requests with up to 100 files):
 *
 * 1. GraphQL: the pull request, labels, reviews, commits with parents, comments, label events,
 *    required checks, and the policy and CODEOWNERS at the base; in parallel, REST's first page of
 *    changed files (GraphQL's `PullRequestChangedFile` has no previous path for a rename).
 * 2. GraphQL: every candidate file at the head and at the predicted merge base, the same paths at
 *    each approved older commit (and "Update branch" merge) and its merge base, the candidates'
 *    directories at the head with their files' texts (the context), reviewers' permissions, team
 *    members; in parallel, REST's compare for the merge base (GraphQL has none)
 *    and for each approved commit (its changed files), the head branch's push record (List
 *    repository activities) and the account of each email CODEOWNERS names (List commits); and
 *    what the caller reads of the head (`LoadContext.onHead`: the evaluation's check run, the
 *    open pull requests).
 *
 * What GraphQL cannot answer goes to REST, in the same round trip where it can: more than 100
 * files, reviews, comments or label events; binary or truncated files; permissions and teams
 * GraphQL withholds. Commits past the first 100 are paged over GraphQL (REST lists only 250).
 * What GitHub will not show fails the load (`IncompleteSnapshot`, no REST fallback): fewer files
 * or commits listed than the pull request counts, a changed file with no text. More round trips
 * only when needed: the base branch moved on since the pull request's base (after a merge),
 * `_extends` in the policy, more than 100 files, a guess that round trip 2 proved wrong (the merge
 * base, a reviewed commit that changed other files), or an emergency label applied at an older head.
 * The result is the REST loader's, field for field (test/github/snapshot/graphql-loader.test.ts).
 */
import type {
  LabelEvent,
  Permission,
  PullSnapshot,
  RevisionFile,
  SnapshotCommit,
  SnapshotFile,
  SnapshotReview,
} from "../../../gates/snapshot.js";
import { decodeState, type StateSeal } from "../../../render/comment-state.js";
import { customPolicyFile } from "../../../shared/names.js";
import type { CachedComparison, SnapshotCache } from "../cache.js";
import { fullName, type GitHubClient, type PullLocator } from "../../client.js";
import { codeOwnerEmails } from "../code-owner-emails.js";
import { changedPathsOf, contextCandidates, contextFields, pickContext } from "../context.js";
import { loadPolicy, type CustomPolicy, type OrgPolicyFiles } from "../policy-source.js";
import { PermissionCache } from "../../permissions.js";
import {
  branchPushes,
  findSticky,
  labelHistory,
  pushersOf,
  requiredChecksOf,
  teamMembers,
  withLabelHeads,
} from "../reads.js";
import {
  CODEOWNERS_PATHS,
  coAuthorLogins,
  fileSelection,
  infraFile,
  requireListedWhole,
  isBot,
  isOwnAccount,
  isOwnSticky,
  MAX_FILES,
  policyFor,
  revisionFile,
  stateSeal,
  type LoadContext,
  type LoadedPull,
  type StickyComment,
} from "../shared.js";
import { runBatch } from "./batch.js";
import { allCommits } from "./commits.js";
import { FileTexts, type FileKey } from "./file-texts.js";
import {
  filesToComplete,
  isWholeComparison,
  needPermissions,
  planReads,
  reviewedCommits,
  revisionCandidates,
  type BaseBranch,
  type ReadPlan,
} from "./plan.js";
import { baseFilePaths, fetchPullFacts, type PullFacts, type PullReview } from "./pull-query.js";
import {
  changedFilesPage,
  headMergeBase,
  restOfChangedFiles,
  restReviews,
  revisionComparison,
} from "./rest-reads.js";

export async function loadSnapshotGraphql(
  client: GitHubClient,
  locator: PullLocator,
  botLogin: string | undefined,
  cache: SnapshotCache,
  context: LoadContext = {},
): Promise<LoadedPull> {
  // 1. The pull request (GraphQL) and its first 100 changed files (REST), in parallel.
  const policyFile = customPolicyFile(context.policyPath);
  const [facts, firstPage] = await Promise.all([
    fetchPullFacts(client, locator, policyFile),
    changedFilesPage(client, locator),
  ]);
  const reader = new Reader(client, cache, locator, facts.isPrivate);

  // Only when round trip 1 could not give them: the base's files once the branch moved on (after
  // a merge), files beyond the first 100; then `_extends`, the one file a policy may name.
  const baseSha = facts.baseRefOid;
  if (facts.baseFiles?.oid === baseSha)
    for (const [path, answer] of facts.baseFiles.files) reader.texts.record(baseSha, path, answer);
  const [moreFiles] = await Promise.all([
    firstPage.more ? restOfChangedFiles(client, locator) : [],
    reader.files(baseFilePaths(policyFile).map((path) => ({ commit: baseSha, path }))),
  ]);
  const custom =
    policyFile === undefined ? undefined : { path: policyFile, baseRef: facts.baseRefName };
  const base = await baseBranch(client, locator, baseSha, reader.texts, facts.orgPolicy, custom);

  // 2. Everything round trip 1 makes possible, in parallel.
  const listed = [...firstPage.files, ...moreFiles].slice(0, MAX_FILES);
  requireListedWhole("files", listed.length, facts.changedFiles);
  const plan = planReads(facts, listed, base);
  // REST lists each file's blob oid at the head: the text may be cached from another commit.
  for (const { file, status, candidate } of plan.files)
    if (candidate && status !== "removed")
      reader.texts.hint(facts.headRefOid, file.filename, file.sha);
  context.onHead?.(facts.headRefOid);
  const [second, emails] = await Promise.all([
    roundTripTwo(reader, facts, plan, botLogin, context.onPushRecordUnreadable),
    codeOwnerEmails(client, locator.owner, locator.repo, base.codeowners),
  ]);

  // 3. Only what round trip 2 proved wrong, or GraphQL withheld.
  const known = await roundTripThree(reader, facts, plan, base, second);
  const seal = stateSeal(locator, context.stateKey);
  const loaded = assemble(locator, facts, plan, base, second, known, reader.texts, seal, botLogin);
  return emails ? { ...loaded, snapshot: { ...loaded.snapshot, codeownerEmails: emails } } : loaded;
}

/** Batched reads for one evaluation: GraphQL first, REST for what GraphQL withholds. */
class Reader {
  readonly texts: FileTexts;
  /** Permissions GraphQL withheld or REST's label events need, each asked once. */
  readonly permissions: PermissionCache;

  constructor(
    readonly client: GitHubClient,
    readonly cache: SnapshotCache,
    readonly locator: PullLocator,
    private readonly isPrivate: boolean,
  ) {
    this.texts = new FileTexts(client, cache, locator.owner, locator.repo);
    this.permissions = new PermissionCache(client, locator.owner, locator.repo);
  }

  batch(
    files: readonly FileKey[],
    logins: readonly string[] = [],
    teams: readonly string[] = [],
    trees: readonly FileKey[] = [],
  ) {
    const { owner, repo } = this.locator;
    const wants = { files, logins, teams, trees };
    return runBatch(this.client, owner, repo, this.isPrivate, wants, this.texts);
  }

  /** Files by GraphQL, those it withheld before by REST meanwhile; then what it withheld now. */
  async files(keys: readonly FileKey[]): Promise<void> {
    const viaGraphql = this.texts.missing(keys, true);
    await Promise.all([
      viaGraphql.length ? this.batch(viaGraphql) : undefined,
      this.texts.viaRest(this.texts.withheld(keys)),
    ]);
    await this.texts.viaRest(keys);
  }
}

async function baseBranch(
  client: GitHubClient,
  { owner, repo }: PullLocator,
  baseSha: string,
  texts: FileTexts,
  orgPolicy: OrgPolicyFiles | undefined,
  custom: CustomPolicy | undefined,
): Promise<BaseBranch> {
  // From the cache just filled: `loadPolicy` sends a request only for `_extends`.
  const { text: policyText, path: policyPath } = await loadPolicy(
    client,
    owner,
    repo,
    baseSha,
    orgPolicy,
    custom,
  );
  const policy = policyFor(policyText);
  const codeowners =
    CODEOWNERS_PATHS.map((path) => texts.text(baseSha, path)).find((text) => text !== null) ?? null;
  return {
    policyText,
    ...(policyPath ? { policyPath } : {}),
    ...(custom ? { policyFile: custom.path } : {}),
    policy,
    selection: fileSelection(policy, custom?.path),
    codeowners,
  };
}

type SecondTrip = Awaited<ReturnType<typeof roundTripTwo>>;

async function roundTripTwo(
  reader: Reader,
  facts: PullFacts,
  plan: ReadPlan,
  botLogin: string | undefined,
  onPushRecordUnreadable: LoadContext["onPushRecordUnreadable"],
) {
  const { client, cache, locator } = reader;
  const { owner, repo } = locator;
  const stickyFromGraphql = stickyIn(facts, botLogin);
  const [
    batch,
    mergeBase,
    comparisons,
    requiredChecks,
    sticky,
    reviews,
    commits,
    labelEvents,
    pushes,
  ] = await Promise.all([
    reader.batch(plan.wantedFiles, plan.logins, plan.teams, plan.contextTrees),
    headMergeBase(client, cache, locator, facts.baseRefOid, facts.headRefOid),
    Promise.all(
      plan.reviewed.map((sha) => revisionComparison(client, cache, locator, facts.baseRefOid, sha)),
    ),
    facts.requiredChecks
      ? [...facts.requiredChecks]
      : requiredChecksOf(client, owner, repo, facts.baseRefName),
    stickyFromGraphql !== undefined ? stickyFromGraphql : findSticky(client, locator, botLogin),
    plan.reviews ?? restReviews(client, locator),
    allCommits(client, locator, facts),
    plan.emergencyEvents
      ? null
      : labelHistory(client, locator, plan.emergencyLabel, reader.permissions),
    // Who pushed, from GitHub's record of the head branch (a fork's is not ours to read).
    facts.headBranch
      ? branchPushes(client, locator, facts.headBranch, onPushRecordUnreadable)
      : null,
  ]);
  return {
    batch,
    mergeBase,
    comparisons: new Map(plan.reviewed.map((sha, index) => [sha, comparisons[index] ?? null])),
    requiredChecks,
    sticky,
    reviews: reviews as readonly PullReview[],
    /** Every commit, paged past GraphQL's first 100. */
    commits,
    restLabelEvents: labelEvents,
    pushes,
  };
}

async function roundTripThree(
  reader: Reader,
  facts: PullFacts,
  plan: ReadPlan,
  base: BaseBranch,
  second: SecondTrip,
) {
  const { client, cache, locator } = reader;
  // More than 100 reviews: REST listed them in round trip 2; their commits are compared now.
  const reviewed = [
    ...reviewedCommits(second.reviews, base.policy, facts.headRefOid, second.commits),
    // The head each emergency label was applied to (GitHub's push record), to compare with now.
    ...withLabelHeads(
      labelEventsOf(plan, second, () => "none"),
      second.pushes,
    ).flatMap((event) =>
      event.headSha && event.headSha !== facts.headRefOid ? [event.headSha] : [],
    ),
  ].filter((sha, index, all) => all.indexOf(sha) === index);
  const comparisons = new Map(second.comparisons);
  const unseen = reviewed.filter((sha) => !comparisons.has(sha));
  const late = await Promise.all(
    unseen.map((sha) => revisionComparison(client, cache, locator, facts.baseRefOid, sha)),
  );
  unseen.forEach((sha, index) => comparisons.set(sha, late[index] ?? null));

  const permissions = new Map(second.batch.permissions);
  const askRest = needPermissions(second.reviews, plan.emergencyEvents ?? []).filter(
    (login) => permissions.get(login) === undefined,
  );
  const [, restTeams] = await Promise.all([
    reader.files(
      filesToComplete(plan, facts.headRefOid, second.mergeBase, comparisons, base.selection),
    ),
    teamMembers(
      client,
      plan.teams.filter((name) => second.batch.teams.get(name) === undefined),
    ),
    Promise.all(
      askRest.map(async (login) => permissions.set(login, await reader.permissions.of(login))),
    ),
  ]);
  const teams: Record<string, string[]> = {};
  for (const name of plan.teams) {
    const members = second.batch.teams.get(name) ?? restTeams[name];
    if (members) teams[name] = [...members];
  }
  return {
    reviewed,
    comparisons,
    permissionOf: (login: string): Permission => permissions.get(login) ?? "none",
    teams,
  };
}

/** The snapshot, built from what was read exactly as the REST loader builds it. */
function assemble(
  locator: PullLocator,
  facts: PullFacts,
  plan: ReadPlan,
  base: BaseBranch,
  second: SecondTrip,
  known: Awaited<ReturnType<typeof roundTripThree>>,
  texts: FileTexts,
  seal: StateSeal | undefined,
  botLogin: string | undefined,
): LoadedPull {
  const { selection } = base;
  const { baseRefOid: baseSha, headRefOid: headSha } = facts;
  const files: SnapshotFile[] = [];
  const otherFiles: string[] = [];
  const refs = { mergeBase: second.mergeBase, head: headSha };
  for (const { file, status, basePath, candidate } of plan.files) {
    const after = !candidate || status === "removed" ? null : texts.text(headSha, file.filename);
    const before = !candidate || status === "added" ? null : texts.text(second.mergeBase, basePath);
    const infra = candidate ? infraFile(file, before, after, selection, refs) : [];
    files.push(...infra);
    if (!infra.some((judged) => judged.path === file.filename)) otherFiles.push(file.filename);
  }

  const reviews: SnapshotReview[] = [];
  const ownReviewHeads: string[] = [];
  for (const review of second.reviews) {
    // A review whose commit was garbage-collected has no commit: kept (it still blocks).
    if (!review.author) continue;
    // The App's own review holds its suggested fixes (src/github/suggestions.ts): never a decision.
    if (isOwnAccount(review.author, botLogin)) {
      if (review.commitOid) ownReviewHeads.push(review.commitOid);
      continue;
    }
    const bot = isBot(review.author);
    reviews.push({
      user: review.author.login,
      state: review.state as SnapshotReview["state"],
      commitSha: review.commitOid,
      permission: bot ? "none" : known.permissionOf(review.author.login),
      bot,
      ...(review.submittedAt ? { submittedAt: review.submittedAt } : {}),
    });
  }

  const revisions: Record<string, RevisionFile[]> = {};
  for (const sha of known.reviewed) {
    const comparison = known.comparisons.get(sha);
    // Past GitHub's 300 files what the approver saw is unknown: no revision, the approval is stale.
    if (comparison && !isWholeComparison(comparison)) continue;
    revisions[sha] = comparison ? revisionFiles(sha, comparison, files, base, texts) : [];
  }

  const commits: SnapshotCommit[] = second.commits.map((commit) => ({
    sha: commit.oid,
    author: commit.author,
    committer: commit.committer,
    // Trailers with GitHub's noreply address still name a bot, which Commit.authors cannot link.
    coAuthors: [...new Set([...commit.coAuthors, ...coAuthorLogins(commit.message)])],
    unlinked: commit.unlinked,
    ...(commit.parents ? { parents: commit.parents } : {}),
    viaWeb: commit.viaWeb,
  }));

  const labelEvents = withLabelHeads(
    labelEventsOf(plan, second, known.permissionOf),
    second.pushes,
  );

  const state = decodeState(second.sticky?.body, seal);
  const listings = new Map(
    plan.contextTrees.map(({ commit, path }) => [path, texts.tree(commit, path)] as const),
  );
  const candidates = contextCandidates(
    files.map((file) => file.path),
    changedPathsOf(plan.files.map((entry) => entry.file)),
    listings,
    selection,
  );
  const contextText = (path: string): string | null | undefined => {
    const slash = path.lastIndexOf("/");
    const name = path.slice(slash + 1);
    return listings
      .get(slash === -1 ? "" : path.slice(0, slash))
      ?.find((entry) => entry.name === name)?.text;
  };
  const snapshot: PullSnapshot = {
    repository: fullName(locator),
    pull: {
      number: locator.number,
      title: facts.title,
      author: facts.author?.login ?? "ghost",
      draft: facts.draft,
      body: facts.body,
      labels: plan.labels,
      baseRef: facts.baseRefName,
      baseSha,
      headSha,
      state: facts.state,
      merged: facts.merged,
      mergeCommitSha: facts.mergeCommitOid,
      mergedBy: facts.mergedBy?.login ?? null,
      mergedAt: facts.mergedAt,
    },
    policy: base.policyText,
    ...(base.policyPath ? { policyPath: base.policyPath } : {}),
    ...(base.policyFile === undefined ? {} : { policyFile: base.policyFile }),
    files,
    otherFiles,
    ...contextFields(pickContext(candidates, contextText, selection)),
    reviews,
    revisions,
    commits,
    teams: known.teams,
    codeowners: base.codeowners,
    labelEvents,
    checklist: state.ticks,
    emergencyBinding: state.override ?? null,
    pushers: pushersOf(second.pushes, state.pushers ?? [], commits, facts.openedAt),
    requiredChecks: second.requiredChecks,
  };
  return { snapshot, sticky: second.sticky, state, ownReviewHeads };
}

/** Who applied the emergency label and when: REST's list, else round trip 1's. */
function labelEventsOf(
  plan: ReadPlan,
  second: SecondTrip,
  permissionOf: (login: string) => Permission,
): LabelEvent[] {
  return (
    second.restLabelEvents ??
    (plan.emergencyEvents ?? []).map((event) => ({
      label: plan.emergencyLabel,
      action: event.action,
      actor: event.actor!.login,
      permission: permissionOf(event.actor!.login),
      createdAt: event.createdAt,
    }))
  );
}

/** The infrastructure files as an approver saw them, and at that commit's merge base. */
function revisionFiles(
  sha: string,
  comparison: CachedComparison,
  current: readonly SnapshotFile[],
  base: BaseBranch,
  texts: FileTexts,
): RevisionFile[] {
  const paths = new Set([
    ...current.map((file) => file.path),
    ...revisionCandidates(comparison, base.selection),
  ]);
  const out: RevisionFile[] = [];
  for (const path of paths) {
    const file = revisionFile(
      path,
      texts.text(sha, path),
      texts.text(comparison.mergeBase, path),
      base.selection,
    );
    if (file) out.push(file);
  }
  return out;
}

/** The sticky comment among GraphQL's first 100 comments; undefined: REST must look further. */
function stickyIn(
  facts: PullFacts,
  botLogin: string | undefined,
): StickyComment | null | undefined {
  const sticky = facts.comments.items.find((comment) =>
    isOwnSticky(comment.body, comment.author, botLogin),
  );
  if (sticky) return { id: sticky.id, body: sticky.body };
  return facts.comments.complete ? null : undefined;
}
