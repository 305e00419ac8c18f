import { createHash } from "node:crypto";
import { analyze, type Analysis, type FileInput } from "../engine/analyze.js";
import type { EngineSettings } from "../engine/settings.js";
import { keysOf } from "../diff/semantic-diff.js";
import { canonicalDurations } from "../formats/durations.js";
import type { Plain } from "../formats/tree.js";
import type { Policy } from "../config/policy.js";
import { shortSha } from "./outcome.js";
import type { PullSnapshot, RevisionFile, SnapshotFile } from "./snapshot.js";

/** Whether an approval given on some commit still covers the pull request as it is now. */
export type Coverage =
  /** `note` says why an approval of an earlier commit still counts; none on the head commit. */
  | { readonly kind: "current"; readonly note?: string }
  /** `since`: what happened after the approval, the reason without "approved <sha>; ". */
  | { readonly kind: "stale"; readonly reason: string; readonly since: string };

const UNKNOWN_COMMIT: Coverage = {
  kind: "stale",
  reason:
    "approved a commit GitHub no longer has (force-pushed away), so it cannot be shown to cover the change now",
  since: "that commit was force-pushed away, so it cannot be shown to cover the change now",
};

const stale = (approved: string, since: string): Coverage => ({
  kind: "stale",
  reason: `${approved}; ${since}`,
  since,
});

/**
 * Decides staleness per `approvals.invalidateOn`, memoized per reviewed commit:
 * - `never`: an approval stays valid;
 * - `any-push`: valid only on the head commit;
 * - `infra-change` (default): valid while the semantic change set the reviewer saw (merge base →
 *   reviewed commit, from `snapshot.revisions`) equals the one now (base → head). A reformat, a
 *   docs-only push or merging the base branch in leaves the set as it was; changing what the
 *   infrastructure change does makes it stale. A reviewed commit missing from the snapshot is
 *   stale: what the reviewer saw cannot be shown to be what merges.
 */
export function coverageOf(
  snapshot: PullSnapshot,
  invalidateOn: Policy["approvals"]["invalidateOn"],
  settings: EngineSettings,
  /** The change set at each commit, when the caller has it already. */
  sets: ChangeSets = changeSets(snapshot, settings),
): (commitSha: string | null) => Coverage {
  const headSha = snapshot.pull.headSha;
  const memo = new Map<string, Coverage>();
  const decide = (commitSha: string): Coverage => {
    if (commitSha === headSha) return { kind: "current" };
    const approved = `approved ${shortSha(commitSha)}`;
    if (invalidateOn === "never") {
      return { kind: "current", note: `${approved}; approvals.invalidateOn: never` };
    }
    if (invalidateOn === "any-push") {
      return stale(approved, "commits were pushed since (approvals.invalidateOn: any-push)");
    }
    const then = sets.at(commitSha);
    if (then === null) {
      return stale(
        approved,
        "the reviewed version is unknown, so it cannot be shown to cover the change now",
      );
    }
    return sameSet(then, sets.now)
      ? { kind: "current", note: `${approved}; the infrastructure change is the same since` }
      : stale(approved, "the infrastructure change has changed since");
  };
  return (commitSha) => {
    // GitHub answers `commit_id: null` for a review whose commit was force-pushed away and
    // garbage-collected: what that reviewer saw cannot be shown, so the approval is stale.
    if (commitSha === null) return UNKNOWN_COMMIT;
    let coverage = memo.get(commitSha);
    if (!coverage) {
      coverage = decide(commitSha);
      memo.set(commitSha, coverage);
    }
    return coverage;
  };
}

/** The change set at the pull request's commits. */
export interface ChangeSets {
  /** Merge base → head. */
  readonly now: readonly string[];
  /** At a commit, against its own merge base; null when the snapshot does not hold its files. */
  readonly at: (sha: string) => readonly string[] | null;
}

/**
 * The change set now and at the commits in `snapshot.revisions`, each worked out once (staleness,
 * "Update branch" merges and the emergency label all compare them). `current` is the engine's
 * analysis of `snapshot.files` when the caller has it already.
 */
export function changeSets(
  snapshot: PullSnapshot,
  settings: EngineSettings,
  current: Analysis = analyze(snapshot.files.map(currentInput), settings),
): ChangeSets {
  const now = changeSetOf(current, snapshot.files.map(currentInput));
  const memo = new Map<string, readonly string[] | null>();
  const at = (sha: string): readonly string[] | null => {
    if (sha === snapshot.pull.headSha) return now;
    if (!memo.has(sha)) {
      const revision = snapshot.revisions?.[sha];
      memo.set(
        sha,
        revision
          ? changeSet(
              revision.map((file) => revisionInput(file, snapshot.files)),
              settings,
            )
          : null,
      );
    }
    return memo.get(sha)!;
  };
  return { now, at };
}

/**
 * Whether the infrastructure change set is the same at two commits of the pull request (each
 * against its own merge base, from `snapshot.revisions`; the head's is the change set now). A
 * commit whose files are unknown is never the same: an "Update branch" merge is not shown to
 * have brought only the base's content.
 */
export function sameChangeAt(sets: ChangeSets): (before: string, after: string) => boolean {
  return (before, after) => {
    const a = sets.at(before);
    const b = sets.at(after);
    return a !== null && b !== null && sameSet(a, b);
  };
}

/**
 * One value for a change set (SHA-256 of its keys): what checklist ticks and the emergency
 * override are tied to, so a later infrastructure change re-opens them.
 */
export function changeSetId(keys: readonly string[]): string {
  return createHash("sha256").update(JSON.stringify(keys)).digest("hex");
}

function currentInput(file: SnapshotFile): FileInput {
  return { path: file.path, before: file.before, after: file.after };
}

/** A revision file: its text at the reviewed commit against its merge base (absent: today's base). */
function revisionInput(file: RevisionFile, current: readonly SnapshotFile[]): FileInput {
  const base =
    file.base !== undefined
      ? file.base
      : (current.find((other) => other.path === file.path)?.before ?? null);
  return { path: file.path, before: base, after: file.content };
}

/**
 * The canonical change set of some files: one key per (file, change path, kind, before, after),
 * lines ignored, sorted. A file that could not be read semantically (a template, or one the
 * engine reports unread, even when the policy turns those findings off) contributes its texts:
 * without them it would add nothing, and changing it would keep approvals.
 */
export function changeSet(files: readonly FileInput[], settings: EngineSettings): string[] {
  return changeSetOf(analyze(files, settings), files);
}

/** The change set of `files` from the engine's analysis of them. */
function changeSetOf(analysis: Analysis, files: readonly FileInput[]): string[] {
  const keys: string[] = [];
  for (const file of analysis.files) {
    const input = files.find((candidate) => candidate.path === file.path);
    if (file.template || file.unread) {
      if (input && input.before !== input.after)
        keys.push(JSON.stringify([file.path, "text", input.before, input.after]));
      continue;
    }
    for (const change of file.changes) {
      keys.push(
        JSON.stringify([
          file.path,
          change.path,
          change.kind,
          canonical(canonicalDurations(file.dialect, change.before, keysOf(change.segments))),
          canonical(canonicalDurations(file.dialect, change.after, keysOf(change.segments))),
        ]),
      );
    }
  }
  return keys.sort();
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((key, index) => key === b[index]);
}

/** A plain value as JSON with map keys sorted, so key order never makes two values differ. */
function canonical(value: Plain | undefined): string {
  if (value === undefined) return "-";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  return `{${Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
    .join(",")}}`;
}
