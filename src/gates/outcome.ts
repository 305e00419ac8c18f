import type { GateName, GateResult } from "./verdict.js";

/** A gate's result plus the few words it adds to the check-run title when it fails. */
export interface GateOutcome {
  readonly result: GateResult;
  /** "test plan missing"; null when the gate does not fail. */
  readonly shortfall: string | null;
}

export function notRequired(
  gate: GateName,
  detail: string,
  extra: Partial<GateResult> = {},
): GateOutcome {
  return { result: { gate, status: "not-required", detail, ...extra }, shortfall: null };
}

export function passed(
  gate: GateName,
  detail: string,
  extra: Partial<GateResult> = {},
): GateOutcome {
  return { result: { gate, status: "pass", detail, ...extra }, shortfall: null };
}

export function failed(
  gate: GateName,
  detail: string,
  shortfall: string,
  extra: Partial<GateResult> = {},
): GateOutcome {
  return { result: { gate, status: "fail", detail, ...extra }, shortfall };
}

/** GitHub logins are case-insensitive: compare them folded. */
export function sameLogin(a: string | null | undefined, b: string | null | undefined): boolean {
  return typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase();
}

export function loginKey(login: string): string {
  return login.toLowerCase();
}

/**
 * A login or team (`org/slug`) as gate details name it: `@bob`, `@acme/sre`, the way How to pass
 * and GitHub write them. The renderers' escapeText defuses the `@` (src/render/escape.ts), so a
 * detail line and How to pass read the same and neither notifies.
 */
export function mention(login: string): string {
  return `@${login.replace(/^@/, "")}`;
}

/** "abc1234": the first seven characters of a commit id, as GitHub shows it. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}
