/**
 * What the REST and the GraphQL loaders share, apart from reads: the loaded pull request, GitHub's
 * limits and file locations, and the pure decisions both must take alike (which names may be
 * infrastructure and which files the snapshot keeps, which teams to read, who is a bot, whose
 * login a co-author trailer names, which comment is ours).
 */
import { DEFAULT_POLICY, parsePolicy, type Policy } from "../../config/policy.js";
import { engineSettings } from "../../config/settings.js";
import { isInfraFile, type FileSelection } from "../../engine/select.js";
import type { PullSnapshot, RevisionFile, SnapshotFile } from "../../gates/snapshot.js";
import { isStickyComment, type CommentState } from "../../render/comment-state.js";

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

/** Which files the policy makes infrastructure: its globs and its format overrides. */
export function fileSelection(policy: Policy): FileSelection {
  return { ...policy.files, formatOverride: engineSettings(policy).formatOverride };
}

/** REST's file status as the snapshot's: renamed, copied and changed files are modified. */
export function fileStatus(status: string): SnapshotFile["status"] {
  return status === "added" ? "added" : status === "removed" ? "removed" : "modified";
}

/** The extensions of the formats whose text tells whether a file is infrastructure. */
export const CONFIG_EXTENSION = /\.(ya?ml|json|toml|cfg|conf)$/i;

/** Whether a file may be infrastructure by its name alone: a file that cannot costs no read. */
export function couldBeInfra(path: string, selection: FileSelection): boolean {
  return (
    isInfraFile(path, "", selection) ||
    (CONFIG_EXTENSION.test(path) && !/(^|\/)(package(-lock)?|tsconfig|composer)\.json$/.test(path))
  );
}

/** A changed file as the snapshot holds it, or null when its text shows it is not infrastructure. */
export function infraFile(
  file: ChangedFile,
  status: SnapshotFile["status"],
  before: string | null,
  after: string | null,
  selection: FileSelection,
): SnapshotFile | null {
  if (!isInfraFile(file.filename, after ?? before, selection)) return null;
  return {
    path: file.filename,
    status,
    before,
    after,
    ...(file.previous_filename ? { previousPath: file.previous_filename } : {}),
  };
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

/** `Co-authored-by: Name <123+login@users.noreply.github.com>` trailers name GitHub logins. */
export function coAuthorLogins(message: string): string[] {
  const logins: string[] = [];
  for (const match of message.matchAll(
    /^Co-authored-by:.*<(?:\d+\+)?([\w-]+)@users\.noreply\.github\.com>/gim,
  ))
    logins.push(match[1]!);
  return logins;
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
