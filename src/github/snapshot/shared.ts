/**
 * What the REST and the GraphQL loaders share, apart from reads: the loaded pull request, GitHub's
 * limits and file locations, and the pure decisions both must take alike (which names may be
 * infrastructure and which files the snapshot keeps, which teams to read, who is a bot, whose
 * login a co-author trailer names, which comment is ours).
 */
import { DEFAULT_POLICY, parsePolicy, type Policy } from "../../config/policy.js";
import { engineSettings } from "../../config/settings.js";
import { infraChange } from "../../engine/renames.js";
import { couldBeInfraChange, isInfraFile, type FileSelection } from "../../engine/select.js";
import type { PullSnapshot, RevisionFile, SnapshotFile } from "../../gates/snapshot.js";
import { isStickyComment, type CommentState, type StateSeal } from "../../render/comment-state.js";
import type { PullLocator } from "../client.js";

/**
 * GitHub lists at most 3,000 files of a pull request, over REST and GraphQL alike:
 * https://docs.github.com/rest/pulls/pulls#list-pull-requests-files
 */
export const MAX_FILES = 3000;

/**
 * REST lists at most 250 commits of a pull request (GraphQL's `PullRequest.commits` pages through
 * them all): https://docs.github.com/rest/pulls/pulls#list-commits-on-a-pull-request
 */
export const MAX_REST_COMMITS = 250;

/**
 * A comparison lists at most 300 changed files, and says nothing when it lists fewer than changed:
 * https://docs.github.com/rest/commits/commits#compare-two-commits ("Working with large comparisons")
 */
export const MAX_COMPARE_FILES = 300;

/**
 * The pull request cannot be seen whole: GitHub lists only part of it, or a changed file cannot
 * be read. The evaluation fails closed, and `title` becomes the failing check's title.
 */
export class IncompleteSnapshot extends Error {
  constructor(
    readonly title: string,
    message: string,
  ) {
    super(message);
    this.name = "IncompleteSnapshot";
  }
}

const count = (n: number): string => n.toLocaleString("en-US");

/** Throws unless GitHub listed every file (or commit) the pull request says it has. */
export function requireListedWhole(
  what: "files" | "commits",
  listed: number,
  total: number | null | undefined,
): void {
  if (typeof total !== "number" || listed >= total) return;
  const consequence =
    what === "files"
      ? "an infrastructure file past the cut would never be judged"
      : "a committer past the cut would not count as a contributor";
  throw new IncompleteSnapshot(
    `Changegate cannot see the whole pull request: GitHub lists ${count(listed)} of its ${count(total)} ${what}`,
    `GitHub's API lists ${count(listed)} of the ${count(total)} ${what} of this pull request, so ${consequence}; split the pull request`,
  );
}

/** The side of a changed file that must exist could not be read: the evaluation fails closed. */
function unreadableFile(path: string, ref: string): IncompleteSnapshot {
  return new IncompleteSnapshot(
    `Changegate cannot read a changed file: ${path}`,
    `GitHub gave no content for ${path} at ${ref.slice(0, 7)}, which the pull request changes; it cannot be judged as unchanged`,
  );
}

/** Where GitHub looks for CODEOWNERS, in its order. */
export const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"] as const;

export interface StickyComment {
  readonly id: number;
  readonly body: string;
}

/**
 * The seal of this pull request's state block, with the App's key (app.ts); without a key (the
 * CLI) no block verifies, so nothing recorded in one can weaken the gate.
 */
export function stateSeal(locator: PullLocator, key: string | undefined): StateSeal | undefined {
  return key === undefined
    ? undefined
    : { key, pull: `${locator.owner}/${locator.repo}#${locator.number}` };
}

/** What the App and the Action add to a load; the CLI gives none of it. */
export interface LoadContext {
  /**
   * The policy file to read at the base commit instead of `.github/changegate.yml` (the Action's
   * `config` input; the App never sets it). Exactly that path, one spelling; `_extends` is still
   * followed, the owner's `.github` repository is not looked in, and a missing file fails the load
   * (`PolicySourceError`): the gate never runs on the defaults in place of a policy it was told to
   * read. One of the default names, or none, is the App's lookup (./policy-source.ts).
   */
  readonly policyPath?: string | undefined;
  /** The App's key for the sticky comment's state block; without it no block verifies. */
  readonly stateKey?: string | undefined;
  /** Told why GitHub's record of pushes to the head branch could not be read (403, 404). */
  readonly onPushRecordUnreadable?: ((reason: string) => void) | undefined;
  /**
   * Told the pull request's head just before the GraphQL loader's second round trip, so that the
   * caller's own reads of that head (its check run, the pull requests open at it) go out with that
   * round trip rather than after the load. The REST loader does not tell it: its reads are
   * sequential, and a read sent beside its first would be older than its last.
   */
  readonly onHead?: ((headSha: string) => void) | undefined;
}

/** A snapshot plus what the publisher needs to write idempotently. */
export interface LoadedPull {
  readonly snapshot: PullSnapshot;
  readonly sticky: StickyComment | null;
  readonly state: CommentState;
  /**
   * The commits the App's own reviews were made on (its suggested fixes, src/github/suggestions.ts):
   * left out of the reviews, and kept here so publishing knows, without reading the reviews again,
   * whether this head already has its review.
   */
  readonly ownReviewHeads: readonly string[];
}

/** A changed file as REST lists it (only REST names a rename's previous path). */
export type ChangedFile = {
  filename: string;
  status: string;
  previous_filename?: string;
  sha?: string;
};

export function policyFor(text: string | null): Policy {
  const result = parsePolicy(text);
  return result.ok ? result.policy : DEFAULT_POLICY; // the gates report the invalid policy
}

/**
 * Which files the policy makes infrastructure: its globs and its format overrides. A custom
 * policy file (`LoadContext.policyPath`) is one, as YAML, like `.github/changegate.yml` is
 * (src/engine/select.ts), unless the policy excludes it: a change to it is a policy change.
 */
export function fileSelection(policy: Policy, policyFile?: string): FileSelection {
  const { formatOverride } = engineSettings(policy);
  if (policyFile === undefined) return { ...policy.files, formatOverride };
  return {
    ...policy.files,
    formatOverride: (path) => formatOverride(path) ?? (path === policyFile ? "yaml" : undefined),
  };
}

/** REST's file status as the snapshot's: a copy is added, renamed and changed files are modified. */
export function fileStatus(status: string): SnapshotFile["status"] {
  return status === "added" || status === "copied"
    ? "added"
    : status === "removed"
      ? "removed"
      : "modified";
}

/** Where a changed file was at the merge base: a rename's previous path (a copy's source stays). */
export function basePathOf(file: ChangedFile): string {
  return fileStatus(file.status) === "modified"
    ? (file.previous_filename ?? file.filename)
    : file.filename;
}

/**
 * Whether a changed file's texts are read to decide if it is infrastructure; otherwise it is not,
 * whatever it holds. A rename is read when either name may be (renamed away is a removal).
 */
export function isCandidate(file: ChangedFile, selection: FileSelection): boolean {
  return couldBeInfraChange(file.filename, basePathOf(file), selection);
}

/**
 * A changed candidate file as the snapshot holds it, judged by both of a rename's names
 * (src/engine/renames.ts): none when its text shows it is not infrastructure, two when a rename
 * changed its format. `before` and
 * `after` are the texts at the merge base and the head: a side the file's status says exists but
 * GitHub gave no text for fails the evaluation (unreadable is never "unchanged").
 */
export function infraFile(
  file: ChangedFile,
  before: string | null,
  after: string | null,
  selection: FileSelection,
  refs: { readonly mergeBase: string; readonly head: string },
): readonly SnapshotFile[] {
  const status = fileStatus(file.status);
  const basePath = basePathOf(file);
  if (status !== "added" && before === null) throw unreadableFile(basePath, refs.mergeBase);
  if (status !== "removed" && after === null) throw unreadableFile(file.filename, refs.head);
  const previous = basePath !== file.filename ? { previousPath: basePath } : {};
  return infraChange({ path: file.filename, status, before, after, ...previous }, selection);
}

/** A file as an approver saw it and at that commit's merge base; null when it is not infrastructure. */
export function revisionFile(
  path: string,
  content: string | null,
  base: string | null,
  selection: FileSelection,
): RevisionFile | null {
  if (content === null && base === null) return null;
  if (!isInfraFile(path, content ?? base, selection)) return null;
  return { path, content, base };
}

/** A bot's review never counts, and a bot has no permission to look up. */
export const isBot = (account: { readonly login: string; readonly type?: string }): boolean =>
  account.type === "Bot" || account.login.endsWith("[bot]");

export function teamNames(policy: Policy, codeowners: string | null): string[] {
  const names = new Set<string>();
  for (const requirement of Object.values(policy.requirements))
    for (const team of requirement.teams) names.add(team);
  for (const match of (codeowners ?? "").matchAll(/@([\w.-]+\/[\w.-]+)/g)) names.add(match[1]!);
  return [...names];
}

/** GitHub's account on the commits it makes for someone in the web UI ("Update branch", web edits). */
export const WEB_FLOW = "web-flow";

/** A git identity as the reviews table shows it: "Name <email>". */
export function gitIdentity(
  person: { readonly name?: string | null; readonly email?: string | null } | null | undefined,
): string {
  return `${person?.name || "unknown"} <${person?.email || "no email"}>`;
}

/** Each `Co-authored-by:` trailer of a commit message, as written. */
export function coAuthorTrailers(message: string): { name: string; email: string }[] {
  return [...message.matchAll(/^Co-authored-by:\s*(.*?)\s*<([^>]*)>\s*$/gim)].map((match) => ({
    name: match[1]!,
    email: match[2]!,
  }));
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

/** The App's bot itself (REST `changegate[bot]`; GraphQL's Bot login has no `[bot]`). */
export function isOwnAccount(
  account: { readonly login: string; readonly type?: string },
  botLogin: string | undefined,
): boolean {
  return (
    botLogin !== undefined &&
    (account.login === botLogin || (account.type === "Bot" && `${account.login}[bot]` === botLogin))
  );
}

/**
 * Whether a comment is our sticky comment: it carries the hidden marker and the App's own bot
 * wrote it. Anyone (another App's bot too) can paste the marker and a forged state block, so
 * without the App's login (GET /app failed) no comment qualifies.
 */
export function isOwnSticky(
  body: string | null | undefined,
  author: { readonly login: string; readonly type?: string } | null | undefined,
  botLogin: string | undefined,
): boolean {
  return (
    isStickyComment(body) &&
    botLogin !== undefined &&
    author?.type === "Bot" &&
    author.login === botLogin
  );
}
