import type { Policy } from "../config/policy.js";
import { failed, notRequired, passed, sameLogin, type GateOutcome } from "./outcome.js";
import type { EmergencyBinding, LabelEvent } from "./snapshot.js";
import type { EmergencyOverride, Verdict } from "./verdict.js";

export interface EmergencyOutcome extends GateOutcome {
  /** Who applied the label and whether that counts; null when the label is not on the PR. */
  readonly override: EmergencyOverride | null;
}

/**
 * The emergency override: the label is on the PR now, its latest `labeled` event was by someone
 * whose permission the policy allows, and the infrastructure change it was applied to is the one
 * now: the head it was applied on comes from GitHub's push record of the branch (`headSha`), or,
 * without a record (a fork's branch), from the binding the App recorded while answering the
 * `labeled` delivery on that head. A later infrastructure change, or a label that cannot be
 * placed, needs a new label. Accepted, it bypasses the other gates; refused, the other gates decide.
 */
export function evaluateEmergency(
  labels: readonly string[],
  events: readonly LabelEvent[],
  policy: Policy["emergency"],
  binding: {
    readonly recorded: EmergencyBinding | null;
    readonly changeSet: string;
    /** The head now, and whether the infrastructure change is the same at two commits. */
    readonly headSha?: string;
    readonly sameChange?: (before: string, after: string) => boolean;
  },
): EmergencyOutcome {
  const label = policy.label;
  const same = (name: string): boolean => name.toLowerCase() === label.toLowerCase(); // label names are case-insensitive
  if (!labels.some(same))
    return { ...notRequired("emergency", "no emergency override"), override: null };
  const applied = [...events]
    .reverse()
    .find((event) => same(event.label) && (event.action ?? "labeled") === "labeled");
  if (!applied) {
    return {
      ...failed(
        "emergency",
        `label ${label} is set but who applied it is unknown; it is not accepted`,
        "emergency label not accepted",
      ),
      override: null,
    };
  }
  const allowed = (policy.allowed as readonly string[]).includes(applied.permission);
  const who = `@${applied.actor} (${applied.permission})`;
  if (!allowed) {
    return {
      ...failed(
        "emergency",
        `applied by ${who}; only ${policy.allowed.join(", ")} may override`,
        "emergency label not accepted",
      ),
      override: { label, by: applied.actor, permission: applied.permission, accepted: false },
    };
  }
  const override = { label, by: applied.actor, permission: applied.permission };
  const accepted: EmergencyOutcome = {
    ...passed("emergency", `overridden by ${who} with ${label}`),
    override: { ...override, accepted: true },
  };
  const refused = (detail: string, binding?: EmergencyBinding): EmergencyOutcome => ({
    ...failed("emergency", detail, "emergency label not accepted"),
    override: { ...override, accepted: false, ...(binding ? { binding } : {}) },
  });
  const changedSince = `applied by ${who} to an earlier infrastructure change; the change has changed since, so it needs a new ${label} label`;
  // GitHub's record of pushes says which head the label was applied to: it decides.
  if (applied.headSha === null)
    return refused(
      `applied by ${who}, but GitHub's record of pushes cannot tell to which head (a push in the same second, or none recorded before it); apply ${label} again`,
    );
  if (applied.headSha !== undefined) {
    const same =
      applied.headSha === binding.headSha ||
      (binding.headSha !== undefined &&
        binding.sameChange?.(applied.headSha, binding.headSha) === true);
    return same ? accepted : refused(changedSince);
  }
  // No record (a fork's branch): the App's own binding, recorded when it answered the delivery.
  const recorded = binding.recorded;
  const createdAt = applied.createdAt ?? null;
  const sameEvent =
    recorded !== null &&
    sameLogin(recorded.actor, applied.actor) &&
    recorded.createdAt === createdAt;
  if (!sameEvent)
    // Only a label the App has not bound yet may be bound now (by the delivery that applied it).
    return refused(
      `applied by ${who}, but not tied to the change it was applied to (the pull request moved while it was applied); apply ${label} again`,
      { actor: applied.actor, createdAt, changeSet: binding.changeSet },
    );
  return recorded.changeSet === binding.changeSet ? accepted : refused(changedSince);
}

/**
 * The binding to record now: only while answering the `labeled` delivery of the policy's label,
 * on the head it was applied on, so the change set bound is the one the labeller saw.
 */
export function bindingToRecord(
  verdict: Pick<Verdict, "emergency">,
  headSha: string,
  labeled: { readonly label: string; readonly headSha: string } | undefined,
): EmergencyBinding | null {
  const proposal = verdict.emergency?.binding;
  if (!proposal || !labeled || labeled.headSha !== headSha) return null;
  return labeled.label.toLowerCase() === verdict.emergency!.label.toLowerCase() ? proposal : null;
}
