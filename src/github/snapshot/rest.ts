import { couldBeInfraFile, type FileSelection } from "../../engine/select.js";
import type {
  PullSnapshot,
  RevisionFile,
  SnapshotFile,
  SnapshotReview,
} from "../../gates/snapshot.js";
import { decodeState } from "../../render/comment-state.js";
import { fullName, orNotFound, type GitHubClient, type PullLocator } from "../client.js";
import { PermissionCache } from "../permissions.js";
import { updateMergeRevisions } from "../../gates/approvals.js";
import { codeOwnerEmails } from "./code-owner-emails.js";
import { fileText } from "./contents.js";
import {
  changedPathsOf,
  contextCandidates,
  contextDirectories,
  contextFields,
  pickContext,
  type DirectoryListing,
} from "./context.js";
import { customPolicyFile } from "../../shared/names.js";
import { loadPolicy } from "./policy-source.js";
import {
  branchPushes,
  findSticky,
  labelHistory,
  pullCommits,
  pushersOf,
  requiredChecksOf,
  teamMembers,
  withLabelHeads,
} from "./reads.js";
import {
  basePathOf,
  CODEOWNERS_PATHS,
  fileSelection,
  fileStatus,
  infraFile,
  isBot,
  isOwnAccount,
  isCandidate,
  MAX_COMPARE_FILES,
  MAX_FILES,
  policyFor,
  requireListedWhole,
  revisionFile,
  stateSeal,
  teamNames,
  type ChangedFile,
  type LoadContext,
  type LoadedPull,
} from "./shared.js";

/** The REST loader: about 15 sequential requests plus one per file side, reviewer and team. */
export async function loadSnapshotRest(
  client: GitHubClient,
  locator: PullLocator,
  botLogin?: string,
  context: LoadContext = {},
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
  const policyFile = customPolicyFile(context.policyPath);
  const { text: policyText, path: policyPath } = await loadPolicy(
    client,
    owner,
    repo,
    pull.base.sha,
    undefined,
    policyFile === undefined ? undefined : { path: policyFile, baseRef: pull.base.ref },
  );
  const policy = policyFor(policyText);
  const selection = fileSelection(policy, policyFile);

  // 3. Changed files; contents of the infrastructure ones at the merge base and at the head.
  const changed = (await client.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
    owner,
    repo,
    pull_number: number,
    per_page: 100,
  })) as ChangedFile[];
  requireListedWhole("files", changed.length, pull.changed_files);
  const files: SnapshotFile[] = [];
  const otherFiles: string[] = [];
  const refs = { mergeBase, head: pull.head.sha };
  for (const file of changed.slice(0, MAX_FILES)) {
    const status = fileStatus(file.status);
    if (!isCandidate(file, selection)) {
      otherFiles.push(file.filename);
      continue;
    }
    const after =
      status === "removed"
        ? null
        : await fileText(client, owner, repo, file.filename, pull.head.sha);
    const before =
      status === "added" ? null : await fileText(client, owner, repo, basePathOf(file), mergeBase);
    const infra = infraFile(file, before, after, selection, refs);
    files.push(...infra);
    if (!infra.some((judged) => judged.path === file.filename)) otherFiles.push(file.filename);
  }
  const contextFiles = await contextAtHead(client, owner, repo, pull.head.sha, {
    changed: changed.slice(0, MAX_FILES),
    files,
    selection,
  });

  // 4. Reviews, each reviewer's permission, the PR's commits.
  const rawReviews = await client.paginate(
    "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    { owner, repo, pull_number: number, per_page: 100 },
  );
  const reviews: SnapshotReview[] = [];
  const ownReviewHeads: string[] = [];
  for (const review of rawReviews) {
    // A review whose commit was garbage-collected has `commit_id: null`: kept (it still blocks).
    if (!review.user) continue;
    // The App's own review holds its suggested fixes (src/github/suggestions.ts): never a decision.
    if (isOwnAccount(review.user, botLogin)) {
      if (review.commit_id) ownReviewHeads.push(review.commit_id);
      continue;
    }
    const bot = isBot(review.user);
    reviews.push({
      user: review.user.login,
      state: review.state as SnapshotReview["state"],
      commitSha: review.commit_id ?? null,
      permission: bot ? "none" : await permissions.of(review.user.login),
      bot,
      ...(review.submitted_at ? { submittedAt: review.submitted_at } : {}),
    });
  }
  const commits = await pullCommits(client, locator);
  // Who pushed them, from GitHub's record of the head branch (a fork's is not ours to read).
  const pushes =
    pull.head.repo?.full_name === pull.base.repo.full_name
      ? await branchPushes(client, locator, pull.head.ref, context.onPushRecordUnreadable)
      : null;
  requireListedWhole("commits", commits.length, pull.commits);

  // 5. Who applied the emergency label (only if it is on the PR).
  const labels = pull.labels.map((label) => label.name);
  const labelEvents = labels.includes(policy.emergency.label)
    ? withLabelHeads(
        await labelHistory(client, locator, policy.emergency.label, permissions),
        pushes,
      )
    : [];

  // 6. The infrastructure files as each approver saw them (for semantic staleness).
  // Also each "Update branch" merge and its parent: was the merge only the base's content?
  // And the head each emergency label was applied to: has the change moved on since?
  const revisions: Record<string, RevisionFile[]> = {};
  {
    const reviewed = new Set(
      policy.approvals.invalidateOn !== "infra-change"
        ? []
        : reviews
            .filter((review) => review.state === "APPROVED" && review.commitSha !== pull.head.sha)
            .flatMap((review) => (review.commitSha ? [review.commitSha] : [])),
    );
    for (const sha of updateMergeRevisions(commits, pull.head.sha)) reviewed.add(sha);
    for (const { headSha } of labelEvents)
      if (headSha && headSha !== pull.head.sha) reviewed.add(headSha);
    for (const sha of reviewed) {
      const seen = await revisionFiles(client, owner, repo, pull.base.sha, sha, files, selection);
      if (seen) revisions[sha] = seen;
    }
  }

  // 7. Teams named by requirements or CODEOWNERS; CODEOWNERS from the base branch.
  const codeowners = await firstText(client, owner, repo, CODEOWNERS_PATHS, pull.base.sha);
  const teams = await teamMembers(client, teamNames(policy, codeowners));
  const emails = await codeOwnerEmails(client, owner, repo, codeowners);

  // 8. The sticky comment and its state (checklist ticks).
  const sticky = await findSticky(client, locator, botLogin);
  const state = decodeState(sticky?.body, stateSeal(locator, context.stateKey));

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
      mergedAt: pull.merged_at ?? null,
    },
    policy: policyText,
    ...(policyPath ? { policyPath } : {}),
    ...(policyFile === undefined ? {} : { policyFile }),
    files,
    otherFiles,
    ...contextFiles,
    reviews,
    revisions,
    commits,
    teams,
    codeowners,
    ...(emails ? { codeownerEmails: emails } : {}),
    labelEvents,
    checklist: state.ticks,
    emergencyBinding: state.override ?? null,
    pushers: pushersOf(pushes, state.pushers ?? [], commits, pull.created_at),
    requiredChecks,
  };
  return { snapshot, sticky, state, ownReviewHeads };
}

/**
 * The unchanged infrastructure files beside the changed ones at the head (./context.ts): each
 * directory listed, then the candidates' texts, in parallel; at most MAX_CONTEXT_DIRECTORIES
 * listings and MAX_CONTEXT_CANDIDATES texts.
 */
async function contextAtHead(
  client: GitHubClient,
  owner: string,
  repo: string,
  head: string,
  pull: {
    readonly changed: readonly ChangedFile[];
    readonly files: readonly SnapshotFile[];
    readonly selection: FileSelection;
  },
): Promise<ReturnType<typeof contextFields>> {
  const { changed, files, selection } = pull;
  const dirs = contextDirectories(
    changed.filter((file) => isCandidate(file, selection)).map((file) => file.filename),
  );
  // Only the directories the snapshot's infrastructure files need are listed.
  const wanted = new Set(files.flatMap((file) => contextDirectories([file.path])));
  const listed = await Promise.all(
    dirs
      .filter((dir) => wanted.has(dir))
      .map(async (dir) => [dir, await directoryAt(client, owner, repo, dir, head)] as const),
  );
  const candidates = contextCandidates(
    files.map((file) => file.path),
    changedPathsOf(changed),
    new Map(listed),
    selection,
  );
  // A file GitHub would not give fails the load (fail closed): left out, it could hide a
  // cross-file finding. A file without text (binary, gone) is no context.
  const texts = new Map(
    await Promise.all(
      candidates.candidates.map(
        async ({ path }) => [path, await fileText(client, owner, repo, path, head)] as const,
      ),
    ),
  );
  return contextFields(pickContext(candidates, (path) => texts.get(path), selection));
}

/**
 * A directory's files at a commit as REST lists them (texts not read); null: no such directory.
 * Another error fails the load, as for the changed files.
 */
async function directoryAt(
  client: GitHubClient,
  owner: string,
  repo: string,
  dir: string,
  ref: string,
): Promise<DirectoryListing | undefined> {
  const response = await orNotFound(() =>
    client.request("GET /repos/{owner}/{repo}/contents/{path}", { owner, repo, path: dir, ref }),
  );
  if (!response || !Array.isArray(response.data)) return null;
  return (response.data as { type: string; name: string; size: number }[]).flatMap((entry) =>
    entry.type === "file" ? [{ name: entry.name, size: entry.size, text: null }] : [],
  );
}

async function revisionFiles(
  client: GitHubClient,
  owner: string,
  repo: string,
  baseSha: string,
  sha: string,
  current: readonly SnapshotFile[],
  selection: FileSelection,
): Promise<RevisionFile[] | null> {
  const compare = await orNotFound(() =>
    client.request("GET /repos/{owner}/{repo}/compare/{basehead}", {
      owner,
      repo,
      basehead: `${baseSha}...${sha}`,
    }),
  );
  if (!compare) return [];
  // GitHub lists only the first 300 files: what the approver saw is unknown (the approval is stale).
  if ((compare.data.files ?? []).length >= MAX_COMPARE_FILES) return null;
  const mergeBase = compare.data.merge_base_commit.sha;
  const paths = new Set(current.map((file) => file.path));
  for (const file of compare.data.files ?? [])
    if (couldBeInfraFile(file.filename, selection)) paths.add(file.filename);
  const out: RevisionFile[] = [];
  for (const path of paths) {
    const [content, base] = await Promise.all([
      fileText(client, owner, repo, path, sha),
      fileText(client, owner, repo, path, mergeBase),
    ]);
    const file = revisionFile(path, content, base, selection);
    if (file) out.push(file);
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
