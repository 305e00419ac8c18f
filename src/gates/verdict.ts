import type { Analysis } from "../engine/analyze.js";
import type { Requirement, RiskLevel } from "../config/policy.js";
import type { Severity } from "../rules/severity.js";
import type { EmergencyBinding } from "./snapshot.js";

export type GateName =
  | "approvals"
  | "teams"
  | "codeOwners"
  | "testPlan"
  | "rollbackPlan"
  | "checklist"
  | "schedule"
  | "emergency";

export type GateStatus = "pass" | "fail" | "not-required";

/** One gate, explained: what was required, what is there, what is missing. */
export interface GateResult {
  readonly gate: GateName;
  readonly status: GateStatus;
  /** One line for people: "1 of 2 approvals (bob); missing 1". */
  readonly detail: string;
  readonly required?: string;
  readonly present?: string;
  readonly missing?: string;
  /** Who can make a failing gate pass, for "How to pass" (approvals, teams, code owners). */
  readonly needs?: GateNeeds;
}

/** A CODEOWNERS owner: a user, a team, or an email GitHub maps to the account that verified it. */
export type Owner =
  | { readonly kind: "user"; readonly login: string }
  | { readonly kind: "team"; readonly team: string }
  | { readonly kind: "email"; readonly email: string };

/** Who can make a failing people gate pass: plain data, the renderers word it. */
export type GateNeeds = ApprovalsNeeds | TeamsNeeds | CodeOwnersNeeds | ScheduleNeeds;

/** When a change held by a window or freeze may go in (gates/schedule.ts). */
export interface ScheduleNeeds {
  readonly kind: "schedule";
  /** "Monday 2026-12-07 09:00 Europe/Berlin (08:00 UTC)"; null: nothing opens in the bounded search. */
  readonly opens: string | null;
  /** The snapshot has no time of evaluation: nothing can be judged. */
  readonly unknownTime?: true;
}

export interface ApprovalsNeeds {
  readonly kind: "approvals";
  /** Counted approvals still missing (0: only a request for changes holds the gate). */
  readonly missing: number;
  /** Approvals counted so far. */
  readonly counted: number;
  /** Approvals that no longer cover the change, one entry per reviewed commit and reason. */
  readonly stale: readonly StaleApprovals[];
  /** Who may not approve: the author, and the contributors unless the policy allows them. */
  readonly excluded: readonly ExcludedApprover[];
  /** `approvals.allowContributors`: people who committed or pushed may approve. */
  readonly contributorsMayApprove: boolean;
  /** Writers whose latest review requests changes: each blocks until they approve. */
  readonly blockedBy: readonly string[];
}

/** Approvals of one commit that went stale for one reason: those reviewers must approve again. */
export interface StaleApprovals {
  readonly users: readonly string[];
  /** null: the reviewed commit is gone (force-pushed away). */
  readonly commitSha: string | null;
  /** What happened since the approval: "the infrastructure change has changed since". */
  readonly since: string;
}

/** A person whose approval cannot count, and the first thing they did that makes it so. */
export interface ExcludedApprover {
  readonly login: string;
  readonly role: "author" | "committed" | "co-authored" | "pushed";
  /** The commit they made, co-authored or pushed (absent for the author). */
  readonly sha?: string;
}

export interface TeamsNeeds {
  readonly kind: "teams";
  /** Required teams without an approval from a member (membership unknown included). */
  readonly teams: readonly string[];
}

export interface CodeOwnersNeeds {
  readonly kind: "codeOwners";
  /** The base branch has no CODEOWNERS file: nobody can approve as code owner. */
  readonly noCodeowners?: true;
  /**
   * Each file without a code owner's approval, and the owners who can give it; `emailOnly`: its
   * owners are email addresses GitHub links to no account, so nobody can approve it yet.
   */
  readonly files: readonly {
    readonly path: string;
    readonly owners: readonly Owner[];
    readonly emailOnly?: true;
  }[];
}

/** Why each reviewer's approval did or did not count. */
export interface ApprovalResult {
  readonly user: string;
  readonly counted: boolean;
  readonly reason: string;
  readonly state: string;
  /** null: the reviewed commit is unknown (garbage-collected). */
  readonly commitSha: string | null;
}

export interface ChecklistItemState {
  readonly item: string;
  /** Rules that asked for the item. */
  readonly rules: readonly string[];
  readonly checked: boolean;
  readonly checkedBy?: string;
  readonly headSha?: string;
}

export interface EmergencyOverride {
  readonly label: string;
  readonly by: string;
  readonly permission: string;
  readonly accepted: boolean;
  /**
   * An allowed label the App has not tied to a change set yet: what to record when this
   * evaluation answers the `labeled` delivery on the same head (see gates/emergency.ts).
   */
  readonly binding?: EmergencyBinding;
}

export interface Verdict {
  readonly conclusion: "success" | "failure";
  /** Check-run title: "High risk — 1 of 2 approvals, test plan missing". */
  readonly title: string;
  readonly risk: Severity;
  readonly draft: boolean;
  readonly requirement: Requirement | null;
  readonly gates: readonly GateResult[];
  readonly approvals: readonly ApprovalResult[];
  readonly checklist: readonly ChecklistItemState[];
  readonly emergency: EmergencyOverride | null;
  readonly testPlanLinks: readonly string[];
  /** The PR edits the policy file: evaluated under the base branch's policy. */
  readonly policyChanged: boolean;
  /** The change set now (gates/staleness.ts `changeSetId`); ticks record it. Absent on an error. */
  readonly changeSet?: string;
  /** The base branch does not require the Changegate check (null: unknown). */
  readonly checkRequired: boolean | null;
  /**
   * The `schedule` gate holds the change until then (ISO, UTC): the App re-evaluates the pull
   * request at that instant (src/github/timed-sweep.ts). Null or absent: time holds nothing.
   */
  readonly reopensAt?: string | null;
  /**
   * The `schedule` gate lets the change in until then (ISO, UTC): its window closes or a freeze
   * begins, and the App re-evaluates the pull request at that instant so its green check does
   * not outlive the window. Null or absent: nothing closes.
   */
  readonly closesAt?: string | null;
  /** Set when the evaluation itself failed (invalid policy ...): the check fails closed. */
  readonly error?: {
    readonly code: "policy.invalid" | "evaluation.failed";
    readonly message: string;
  };
}

export interface Evaluation {
  readonly analysis: Analysis;
  readonly verdict: Verdict;
  /**
   * The unchanged files beside the change were read only in part (docs/snapshot.md,
   * `contextTruncated`): a finding across files may be missing, and the reports say so.
   */
  readonly contextTruncated?: true;
  /**
   * The policy's `suggestions.maxComments`: how many suggested-fix comments the head may get
   * (absent, as for an evaluation that failed: none).
   */
  readonly maxSuggestions?: number;
}

/** The line the check run and the sticky comment show when the context was read only in part. */
export const CONTEXT_TRUNCATED_NOTE =
  "Only part of the unchanged files beside this change were read (over 100 files or 2 MB): a finding across files (a Service and its Deployment, an upstream and its users) may be missing; review the neighbouring files by hand.";

export type { RiskLevel };
