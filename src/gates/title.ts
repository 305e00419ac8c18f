import type { Severity } from "../rules/severity.js";

export interface TitleInput {
  readonly risk: Severity;
  readonly draft: boolean;
  /** Set when the evaluation itself failed (invalid policy ...). */
  readonly error?: {
    readonly code: "policy.invalid" | "evaluation.failed";
    readonly message: string;
  };
  /** Who overrode the gates, when an emergency override was accepted. */
  readonly overriddenBy?: string;
  /** What the failing gates lack, in gate order ("0 of 2 approvals", "test plan missing"). */
  readonly shortfalls: readonly string[];
  /** An emergency label that was applied but refused. */
  readonly refusedOverride?: boolean;
}

const RISK_WORDS: Record<Severity, string> = {
  none: "No",
  low: "Low",
  medium: "Medium",
  high: "High",
  critical: "Critical",
};

/**
 * The check-run title, one line: "High risk — 1 of 2 approvals, test plan missing",
 * "High risk — all requirements met", "No infrastructure risk",
 * "Emergency override by @dave — high risk, gates bypassed", "Policy file invalid — ...";
 * drafts get a "Draft: " prefix (they are evaluated like any pull request).
 */
export function buildTitle(input: TitleInput): string {
  const prefix = input.draft ? "Draft: " : "";
  return `${prefix}${headline(input)}`;
}

function headline(input: TitleInput): string {
  if (input.error?.code === "policy.invalid") return `Policy file invalid — ${input.error.message}`;
  if (input.error?.code === "evaluation.failed")
    return `Evaluation failed — ${input.error.message}`;
  if (input.risk === "none") return "No infrastructure risk";
  const risk = `${RISK_WORDS[input.risk]} risk`;
  if (input.overriddenBy !== undefined) {
    return `Emergency override by @${input.overriddenBy} — ${risk.toLowerCase()}, gates bypassed`;
  }
  if (input.shortfalls.length === 0) return `${risk} — all requirements met`;
  const refused = input.refusedOverride ? ["emergency label not accepted"] : [];
  return `${risk} — ${[...input.shortfalls, ...refused].join(", ")}`;
}
