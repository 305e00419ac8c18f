/**
 * Everything one evaluation of a pull request needs, loaded eagerly and once by src/github/
 * (or read from a file by `changegate evaluate --snapshot`). Plain JSON: time and identity
 * arrive here, so the gates stay pure. The form is docs/snapshot.md's.
 */
import type { ContextFile } from "../engine/analyze.js";

/**
 * An unchanged infrastructure file at the head that a changed one is read with (same directory,
 * a Helm chart's `values.yaml`): what cross-file rules compare the change against.
 */
export type { ContextFile };

export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export const WRITE_PERMISSIONS: readonly Permission[] = ["admin", "maintain", "write"];

export interface SnapshotPull {
  readonly number: number;
  readonly author: string;
  readonly draft: boolean;
  readonly body: string;
  readonly labels: readonly string[];
  readonly baseRef: string;
  readonly baseSha: string;
  readonly headSha: string;
  readonly title?: string;
  /** "open" unless told otherwise; a merged PR gets the audit footer. */
  readonly state?: "open" | "closed";
  readonly merged?: boolean;
  readonly mergeCommitSha?: string | null;
  readonly mergedBy?: string | null;
  /** When GitHub merged it (ISO 8601), for the merge record. */
  readonly mergedAt?: string | null;
}

export interface SnapshotFile {
  readonly path: string;
  readonly status: "added" | "removed" | "modified";
  /** Text at the merge base (null when added). */
  readonly before: string | null;
  /** Text at the head (null when removed). */
  readonly after: string | null;
  readonly previousPath?: string;
}

export interface SnapshotReview {
  readonly user: string;
  readonly state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";
  /**
   * The commit the review was submitted on; null when GitHub no longer knows it (the commit was
   * force-pushed away and garbage-collected: the REST API gives `commit_id: null`).
   */
  readonly commitSha: string | null;
  readonly permission: Permission;
  readonly bot: boolean;
  readonly submittedAt?: string;
}

/** An infrastructure file as it was at a reviewed commit, and at that commit's merge base. */
export interface RevisionFile {
  readonly path: string;
  readonly content: string | null;
  readonly base?: string | null;
}

export interface SnapshotCommit {
  readonly sha: string;
  readonly author: string | null;
  readonly committer: string | null;
  /** Co-authors named in `Co-authored-by:` trailers, when the loader could map them to logins. */
  readonly coAuthors?: readonly string[];
  /**
   * Git identities of the commit (author, committer, co-authors) that GitHub ties to no account,
   * as "Name <email>": nobody can be shown to be them, so they are listed in the reviews table.
   */
  readonly unlinked?: readonly string[];
  /** The commit's parents, when the loader knows them (an "Update branch" merge has two). */
  readonly parents?: readonly string[];
  /** Committed by GitHub on someone's behalf in the web UI (GraphQL `Commit.committedViaWeb`). */
  readonly viaWeb?: boolean;
}

export interface LabelEvent {
  readonly label: string;
  readonly action?: "labeled" | "unlabeled";
  readonly actor: string;
  readonly permission: Permission;
  readonly createdAt?: string;
  /**
   * The head of the pull request when the label was applied, from GitHub's record of pushes to
   * its branch; null when that record cannot tell (a push in the same second, or none before it), absent when the
   * record could not be read (the App's own binding in the sticky comment's state decides then).
   */
  readonly headSha?: string | null;
}

/** Someone who pushed to the pull request's branch, and the head their push made. */
export interface Pusher {
  readonly login: string;
  readonly headSha: string;
  /**
   * The tip the push moved the branch from (GitHub's `before`); absent when not known. A push
   * from the pull-request-side parent of an "Update branch" merge to the merge made only that.
   */
  readonly before?: string;
}

/** The same push: who, from which tip, to which (a record without `before` is another record). */
export function samePush(a: Pusher, b: Pusher): boolean {
  return (
    a.login.toLowerCase() === b.login.toLowerCase() &&
    a.headSha === b.headSha &&
    a.before === b.before
  );
}

/** A checklist tick recorded in the sticky comment's state block. */
export interface ChecklistTick {
  readonly item: string;
  readonly checkedBy: string;
  readonly permission: Permission;
  readonly headSha: string;
  /** The change set the tick was made on (gates/staleness.ts `changeSetId`); a later change re-opens it. */
  readonly changeSet?: string;
}

/**
 * What an accepted emergency label was applied to: the label event (who, when) and the change
 * set at that moment. Kept in the sticky comment's state; a later infrastructure change needs a
 * new label.
 */
export interface EmergencyBinding {
  readonly actor: string;
  readonly createdAt: string | null;
  readonly changeSet: string;
}

export interface PullSnapshot {
  readonly repository: string;
  readonly pull: SnapshotPull;
  /** The base branch's policy text; absent or null = defaults. */
  readonly policy?: string | null;
  /** Where the policy came from (for messages), default `.github/changegate.yml`. */
  readonly policyPath?: string;
  /**
   * The repository file the policy is read from at the base when it is not `.github/changegate.yml`
   * (the Action's `config` input): a change to it is a policy change, like one to the default file.
   */
  readonly policyFile?: string;
  /** The infrastructure files the PR changes (non-infra files are listed in `otherFiles`). */
  readonly files: readonly SnapshotFile[];
  /** Paths of changed files Changegate did not analyze (for the record). */
  readonly otherFiles?: readonly string[];
  /**
   * Unchanged infrastructure files at the head beside the changed ones, for cross-file rules
   * (absent: none). Never part of the change set: approvals are for the PR's own changes.
   */
  readonly context?: readonly ContextFile[];
  /** The loader stopped at its bound and left context files out (the rules see less). */
  readonly contextTruncated?: boolean;
  readonly reviews: readonly SnapshotReview[];
  readonly revisions?: Readonly<Record<string, readonly RevisionFile[]>>;
  readonly commits?: readonly SnapshotCommit[];
  readonly teams?: Readonly<Record<string, readonly string[]>>;
  readonly codeowners?: string | null;
  /**
   * Email owners in CODEOWNERS → the account GitHub links each to (null: none found). An email
   * owner missing here or null cannot approve.
   */
  readonly codeownerEmails?: Readonly<Record<string, string | null>>;
  readonly labelEvents?: readonly LabelEvent[];
  readonly checklist?: readonly ChecklistTick[];
  /** What the emergency label was applied to (from the sticky comment's state). */
  readonly emergencyBinding?: EmergencyBinding | null;
  /**
   * Who pushed to the pull request's branch: GitHub's push record of the branch (the pushes that
   * left one of the PR's commits as the tip), and the pushes the App was told of (the sender of
   * each `pull_request` `opened` / `synchronize` delivery, kept in the sticky comment's state).
   */
  readonly pushers?: readonly Pusher[];
  /** Required status checks of the base branch; null or absent when unknown. */
  readonly requiredChecks?: readonly string[] | null;
  /**
   * When the evaluation happens (ISO 8601, from the App's clock): change windows and freezes are
   * judged at this instant. Absent: unknown, and a policy with windows or freezes fails closed.
   */
  readonly evaluatedAt?: string;
}
