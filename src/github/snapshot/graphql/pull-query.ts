/**
 * Round trip 1: one query for everything keyed by the pull request's number alone — metadata,
 * labels, reviews, commits (with parents, for the merge base), comments, label events, the base
 * branch's required checks, and the policy and CODEOWNERS on the base branch.
 */
import type { GitHubClient, PullLocator } from "../../client.js";
import { POLICY_FILES } from "../../../shared/names.js";
import type { OrgPolicyFiles } from "../policy-source.js";
import { CODEOWNERS_PATHS, gitIdentity } from "../shared.js";
import type { GraphCommit } from "./merge-base.js";
import {
  accountOf,
  BLOB_FRAGMENT,
  blobAnswer,
  errorsAt,
  runGraphql,
  type Account,
  type ActorAnswer,
  type BlobAnswer,
  type BlobFields,
} from "./run.js";

/** GitHub's largest page; PRs with more reviews, commits, comments or events page through REST. */
const PAGE = 100;
/** Octopus merges beyond this many parents make the merge-base prediction give up. */
const PARENTS = 8;
/** A commit's authors read (the git author and its co-authors); more are named as unread. */
const AUTHORS = 20;

/**
 * A commit's fields, the same on every page: round trip 1's first 100 and the pages after them
 * (commits.ts), so both map alike (`commitOf`).
 */
export const COMMIT_FIELDS = `oid message
          author { name email user { login } }
          committer { name email user { login } }
          parents(first: ${PARENTS}) { totalCount nodes { oid } }
          committedViaWeb
          authors(first: ${AUTHORS}) { totalCount nodes { name email user { login } } }`;

/** The base branch's files round trip 1 reads: the policy (both spellings), then CODEOWNERS where GitHub looks. */
const BASE_FILE_PATHS: readonly string[] = [...POLICY_FILES, ...CODEOWNERS_PATHS];

/**
 * The base files for a load: `BASE_FILE_PATHS`, or with a custom policy file (`customPolicyFile`)
 * that one file in place of both spellings, so it is read in round trip 1 like them.
 */
export const baseFilePaths = (policyFile: string | undefined): readonly string[] =>
  policyFile === undefined ? BASE_FILE_PATHS : [policyFile, ...CODEOWNERS_PATHS];

const fileFields = (prefix: string, count: number): string =>
  Array.from(
    { length: count },
    (_, index) => `${prefix}${index}: file(path: $b${index}) { object { ...BlobText } }`,
  ).join("\n            ");

// `orgPolicy`: the owner's `.github` repository, where the policy is looked for when the
// repository has none (snapshot/policy-source.ts); a missing one is a NOT_FOUND error, not a failure.
const ORG_POLICY = `orgPolicy: repository(owner: $owner, name: ".github") {
    defaultBranchRef {
      target {
        ... on Commit {
            ${fileFields("o", POLICY_FILES.length)}
        }
      }
    }
  }`;

/** Round trip 1's query for `baseFiles` base paths; a custom policy file has no `.github` fallback. */
function pullQuery(baseFiles: number, orgPolicy: boolean): string {
  const paths = Array.from({ length: baseFiles }, (_, index) => `$b${index}: String!`).join(", ");
  return `query ChangegatePull($owner: String!, $repo: String!, $number: Int!, ${paths}) {
  ${orgPolicy ? ORG_POLICY : ""}
  repository(owner: $owner, name: $repo) {
    isPrivate
    pullRequest(number: $number) {
      title body state merged mergedAt isDraft createdAt
      author { __typename login }
      mergedBy { __typename login }
      mergeCommit { oid }
      potentialMergeCommit { oid }
      baseRefName baseRefOid headRefOid headRefName isCrossRepository changedFiles
      labels(first: ${PAGE}) { nodes { name } }
      reviews(first: ${PAGE}) {
        pageInfo { hasNextPage }
        nodes { state submittedAt author { __typename login } commit { oid } }
      }
      commits(first: ${PAGE}) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { commit { ${COMMIT_FIELDS} } }
      }
      comments(first: ${PAGE}) {
        pageInfo { hasNextPage }
        nodes { fullDatabaseId body author { __typename login } }
      }
      timelineItems(first: ${PAGE}, itemTypes: [LABELED_EVENT, UNLABELED_EVENT]) {
        pageInfo { hasNextPage }
        nodes {
          __typename
          ... on LabeledEvent { createdAt actor { __typename login } label { name } }
          ... on UnlabeledEvent { createdAt actor { __typename login } label { name } }
        }
      }
      baseRef {
        refUpdateRule { requiredStatusCheckContexts }
        rules(first: ${PAGE}) {
          pageInfo { hasNextPage }
          nodes { type parameters { ... on RequiredStatusChecksParameters { requiredStatusChecks { context } } } }
        }
        target {
          oid
          ... on Commit {
            ${fileFields("b", baseFiles)}
          }
        }
      }
    }
  }
}
${BLOB_FRAGMENT}`;
}

type Page<T> = { pageInfo?: { hasNextPage: boolean }; nodes: (T | null)[] | null } | null;

export interface CommitAnswer {
  oid: string;
  message: string;
  author: GitActorAnswer | null;
  committer: GitActorAnswer | null;
  parents: { totalCount: number; nodes: { oid: string }[] };
  committedViaWeb: boolean;
  authors: { totalCount: number; nodes: (GitActorAnswer & { name: string | null })[] };
}

/** A page of `PullRequest.commits`. */
export type CommitsPage = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: ({ commit: CommitAnswer } | null)[] | null;
} | null;

export function commitOf(commit: CommitAnswer): PullCommit {
  return {
    oid: commit.oid,
    message: commit.message,
    author: linkedLogin(commit.author),
    committer: linkedLogin(commit.committer),
    parents:
      commit.parents.totalCount > commit.parents.nodes.length
        ? null
        : commit.parents.nodes.map((parent) => parent.oid),
    ...people(commit),
  };
}

/**
 * Who made a commit besides its author and committer: `Commit.authors` is the git author, then
 * each `Co-authored-by:` trailer, linked to the account whose verified email it is
 * (https://docs.github.com/en/graphql/reference/objects#commit). Identities linked to no account
 * are named (GitHub's own web-flow committer aside).
 */
function people(commit: CommitAnswer): Pick<PullCommit, "coAuthors" | "unlinked" | "viaWeb"> {
  const coAuthors: string[] = [];
  const unlinked: string[] = [];
  const linked = (actor: GitActorAnswer & { name?: string | null }): string | null => {
    const login = linkedLogin(actor);
    if (!login) unlinked.push(gitIdentity(actor));
    return login;
  };
  if (commit.author) linked(commit.author);
  if (commit.committer && !commit.committedViaWeb) linked(commit.committer);
  for (const actor of commit.authors.nodes.slice(1)) {
    const login = linked(actor);
    if (login) coAuthors.push(login);
  }
  const unread = commit.authors.totalCount - commit.authors.nodes.length;
  if (unread > 0) unlinked.push(`${unread} more co-authors GitHub did not list`);
  return { coAuthors, unlinked: [...new Set(unlinked)], viaWeb: commit.committedViaWeb };
}

interface GitActorAnswer {
  name?: string | null;
  email: string | null;
  user: { login: string } | null;
}

interface PullAnswer {
  /** Absent when not asked (a custom policy file). */
  orgPolicy?: {
    defaultBranchRef: {
      target: Record<string, { object: BlobFields | null } | null> | null;
    } | null;
  } | null;
  repository: {
    isPrivate: boolean;
    pullRequest: {
      title: string;
      body: string;
      state: "OPEN" | "CLOSED" | "MERGED";
      merged: boolean;
      mergedAt: string | null;
      isDraft: boolean;
      createdAt: string;
      author: ActorAnswer | null;
      mergedBy: ActorAnswer | null;
      mergeCommit: { oid: string } | null;
      potentialMergeCommit: { oid: string } | null;
      baseRefName: string;
      baseRefOid: string;
      headRefOid: string;
      headRefName: string;
      isCrossRepository: boolean;
      labels: Page<{ name: string }>;
      reviews: Page<{
        state: string;
        submittedAt: string | null;
        author: ActorAnswer | null;
        commit: { oid: string } | null;
      }>;
      changedFiles: number;
      commits: CommitsPage;
      comments: Page<{ fullDatabaseId: string | null; body: string; author: ActorAnswer | null }>;
      timelineItems: Page<{
        __typename: string;
        createdAt?: string;
        actor?: ActorAnswer | null;
        label?: { name: string };
      }>;
      baseRef: {
        refUpdateRule: { requiredStatusCheckContexts: (string | null)[] | null } | null;
        rules: Page<{
          type: string;
          parameters: { requiredStatusChecks?: { context: string }[] } | null;
        }>;
        target: ({ oid: string } & Record<string, { object: BlobFields | null } | null>) | null;
      } | null;
    } | null;
  } | null;
}

/** A list GraphQL gave in one page, or the sign that REST must list it. */
export interface Listed<T> {
  readonly items: readonly T[];
  readonly complete: boolean;
}

export interface PullReview {
  readonly author: Account | null;
  readonly state: string;
  readonly submittedAt: string | null;
  readonly commitOid: string | null;
}

export interface PullCommit extends GraphCommit {
  readonly message: string;
  readonly author: string | null;
  readonly committer: string | null;
  /** Co-authors GitHub linked to accounts (GraphQL `Commit.authors`). */
  readonly coAuthors: readonly string[];
  /** Identities linked to no account, as "Name <email>". */
  readonly unlinked: readonly string[];
  readonly viaWeb: boolean;
}

export interface PullComment {
  readonly id: number;
  readonly body: string;
  readonly author: Account | null;
}

export interface PullLabelEvent {
  readonly action: "labeled" | "unlabeled";
  readonly label: string;
  readonly actor: Account | null;
  readonly createdAt: string;
}

/** Everything round trip 1 learned, in the loader's terms. */
export interface PullFacts {
  readonly isPrivate: boolean;
  readonly title: string;
  readonly body: string;
  readonly state: "open" | "closed";
  readonly merged: boolean;
  /** When GitHub merged it (ISO 8601), null while unmerged. */
  readonly mergedAt: string | null;
  readonly draft: boolean;
  readonly author: Account | null;
  readonly mergedBy: Account | null;
  readonly mergeCommitOid: string | null;
  readonly baseRefName: string;
  readonly baseRefOid: string;
  readonly headRefOid: string;
  /** When the pull request was opened (pushes since then are its pushers, whatever their tip). */
  readonly openedAt: string;
  /** The head branch, when it lives in this repository (not a fork's). */
  readonly headBranch: string | null;
  /** In GraphQL's order (by the label's creation); REST lists them in the order applied. */
  readonly labels: readonly string[];
  /** The labels each LabeledEvent applied, oldest first. */
  readonly labeledOrder: Listed<string>;
  readonly reviews: Listed<PullReview>;
  readonly commits: Listed<PullCommit>;
  /** How many commits the pull request has, and where GraphQL's first page ended. */
  readonly commitCount: { readonly total: number; readonly endCursor: string | null };
  /** How many files the pull request changes (GitHub's own total, beyond what it lists). */
  readonly changedFiles: number;
  readonly comments: Listed<PullComment>;
  readonly labelEvents: Listed<PullLabelEvent>;
  /** Required status checks of the base branch; undefined when REST must be asked. */
  readonly requiredChecks: readonly string[] | undefined;
  /** The base branch's tip and its policy and CODEOWNERS files, when GraphQL could read them. */
  readonly baseFiles: {
    readonly oid: string;
    readonly files: ReadonlyMap<string, BlobAnswer>;
  } | null;
  /** The owner's `.github` repository's policy files (null: no such repository); undefined: ask REST. */
  readonly orgPolicy: OrgPolicyFiles | undefined;
}

/**
 * Round trip 1. Throws (and the caller falls back to REST) when the pull request itself cannot be
 * read; a part GraphQL could not answer (rules a token may not see) is left to REST instead.
 */
export async function fetchPullFacts(
  client: GitHubClient,
  locator: PullLocator,
  policyFile?: string,
): Promise<PullFacts> {
  const basePaths = baseFilePaths(policyFile);
  const query = pullQuery(basePaths.length, policyFile === undefined);
  const { data, errors } = await runGraphql<PullAnswer>(client, query, {
    owner: locator.owner,
    repo: locator.repo,
    number: locator.number,
    ...Object.fromEntries(basePaths.map((path, index) => [`b${index}`, path])),
  });
  const pr = data?.repository?.pullRequest;
  const baseRefPath = ["repository", "pullRequest", "baseRef"];
  const essential = errors.filter(
    (error) =>
      error.path?.[0] !== "orgPolicy" &&
      !baseRefPath.every((part, index) => error.path?.[index] === part) &&
      error.path?.[2] !== "potentialMergeCommit",
  );
  if (!data?.repository || !pr || essential.length)
    throw new Error(
      `GraphQL could not load ${locator.owner}/${locator.repo}#${locator.number}: ${
        (essential[0] ?? errors[0])?.message ?? "no pull request in the answer"
      }`,
    );
  return {
    isPrivate: data.repository.isPrivate,
    title: pr.title,
    body: pr.body,
    state: pr.state === "OPEN" ? "open" : "closed",
    merged: pr.merged,
    mergedAt: pr.mergedAt ?? null,
    draft: pr.isDraft,
    author: accountOf(pr.author),
    mergedBy: accountOf(pr.mergedBy),
    // REST's merge_commit_sha is the test merge commit while the pull request is open.
    mergeCommitOid: pr.mergeCommit?.oid ?? pr.potentialMergeCommit?.oid ?? null,
    baseRefName: pr.baseRefName,
    baseRefOid: pr.baseRefOid,
    headRefOid: pr.headRefOid,
    openedAt: pr.createdAt,
    headBranch: pr.isCrossRepository ? null : pr.headRefName,
    labels: nodes(pr.labels).map((label) => label.name),
    labeledOrder: listed(pr.timelineItems, (event) =>
      event.__typename === "LabeledEvent" ? event.label?.name : undefined,
    ),
    reviews: listed(pr.reviews, (review) => ({
      author: accountOf(review.author),
      state: review.state,
      submittedAt: review.submittedAt,
      commitOid: review.commit?.oid ?? null,
    })),
    commits: listed(pr.commits, ({ commit }) => commitOf(commit)),
    commitCount: {
      total: pr.commits?.totalCount ?? 0,
      endCursor: pr.commits?.pageInfo?.endCursor ?? null,
    },
    changedFiles: pr.changedFiles,
    comments: listed(pr.comments, (comment) => ({
      id: Number(comment.fullDatabaseId),
      body: comment.body,
      author: accountOf(comment.author),
    })),
    labelEvents: listed(pr.timelineItems, (event) =>
      event.label && event.createdAt
        ? {
            action: event.__typename === "LabeledEvent" ? "labeled" : "unlabeled",
            label: event.label.name,
            actor: accountOf(event.actor),
            createdAt: event.createdAt,
          }
        : undefined,
    ),
    requiredChecks: requiredChecksOf(
      pr.baseRef,
      errorsAt(errors, ...baseRefPath, "rules").length +
        errorsAt(errors, ...baseRefPath, "refUpdateRule").length >
        0,
    ),
    orgPolicy: orgPolicyOf(data.orgPolicy, errors),
    baseFiles:
      pr.baseRef?.target && !errorsAt(errors, ...baseRefPath, "target").length
        ? {
            oid: pr.baseRef.target.oid,
            files: new Map(
              basePaths.map((path, index) => [path, entryAnswer(pr.baseRef!.target![`b${index}`])]),
            ),
          }
        : null,
  };
}

function nodes<T>(page: Page<T>): T[] {
  return (page?.nodes ?? []).filter((node): node is T => node !== null);
}

function listed<T, U>(page: Page<T>, map: (node: T) => U | undefined): Listed<U> {
  return {
    items: nodes(page)
      .map(map)
      .filter((item): item is U => item !== undefined),
    complete: Boolean(page) && !page!.pageInfo?.hasNextPage,
  };
}

/** The owner's `.github` policy files as policy-source.ts takes them; undefined: REST decides. */
function orgPolicyOf(
  answer: PullAnswer["orgPolicy"],
  errors: readonly { path?: readonly (string | number)[]; type?: string }[],
): OrgPolicyFiles | undefined {
  const failures = errors.filter((error) => error.path?.[0] === "orgPolicy");
  if (!answer) return failures.every((error) => error.type === "NOT_FOUND") ? null : undefined;
  const target = answer.defaultBranchRef?.target;
  if (failures.length || !target) return answer.defaultBranchRef ? undefined : null;
  const files = new Map<string, string | null>();
  for (const [index, path] of POLICY_FILES.entries()) {
    const blob = entryAnswer(target[`o${index}`]);
    if (blob.kind === "unreadable") return undefined;
    files.set(path, blob.kind === "text" ? blob.text : null);
  }
  return files;
}

function entryAnswer(entry: { object: BlobFields | null } | null | undefined): BlobAnswer {
  return entry ? blobAnswer(entry.object) : { kind: "absent" };
}

/**
 * The GitHub user a git identity links to. GitActor.user is a User, so a bot's commit links to
 * none; GitHub's noreply address (`ID+name[bot]@users.noreply...`) still names the bot as REST does.
 */
function linkedLogin(actor: GitActorAnswer | null): string | null {
  if (actor?.user) return actor.user.login;
  return /^\d+\+([\w.-]+\[bot\])@users\.noreply\./.exec(actor?.email ?? "")?.[1] ?? null;
}

/** Branch protection (as non-admins see it) and ruleset rules; undefined: ask REST. */
function requiredChecksOf(
  baseRef: NonNullable<NonNullable<PullAnswer["repository"]>["pullRequest"]>["baseRef"],
  failed: boolean,
): string[] | undefined {
  if (!baseRef || failed || !baseRef.rules || baseRef.rules.pageInfo?.hasNextPage) return undefined;
  const contexts = new Set<string>();
  for (const context of baseRef.refUpdateRule?.requiredStatusCheckContexts ?? [])
    if (context) contexts.add(context);
  for (const rule of nodes(baseRef.rules))
    if (rule.type === "REQUIRED_STATUS_CHECKS")
      for (const check of rule.parameters?.requiredStatusChecks ?? []) contexts.add(check.context);
  return [...contexts];
}
