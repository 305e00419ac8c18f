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
 * whose permission the policy allows, and it is bound to the change set it was applied to (the
 * App records the binding when it evaluates the `labeled` delivery on the same head). A later
 * infrastructure change, or a label the App could not bind, needs a new label. Accepted, it
 * bypasses the other gates; refused, the other gates decide.
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
  const accepted = (): EmergencyOutcome => ({
    ...passed("emergency", `overridden by ${who} with ${label}`),
    override: { label, by: applied.actor, permission: applied.permission, accepted: true },
  });
  const refused = (detail: string): EmergencyOutcome => ({
    ...failed("emergency", detail, "emergency label not accepted"),
    override: { label, by: applied.actor, permission: applied.permission, accepted: false },
  });
  // GitHub's record of pushes says which head the label was applied to: it decides.
  if (applied.headSha === null)
    return refused(
      `applied by ${who} while the pull request was moving (a push in the same second); apply ${label} again`,
    );
  if (applied.headSha !== undefined) {
    const same =
      applied.headSha === binding.headSha ||
      (binding.headSha !== undefined &&
        binding.sameChange?.(applied.headSha, binding.headSha) === true);
    return same
      ? accepted()
      : refused(
          `applied by ${who} to an earlier infrastructure change; the change has changed since, so it needs a new ${label} label`,
        );
  }
  const proposal: EmergencyBinding = {
    actor: applied.actor,
    createdAt: applied.createdAt ?? null,
    changeSet: binding.changeSet,
  };
  const recorded = binding.recorded;
  const sameEvent =
    recorded !== null &&
    sameLogin(recorded.actor, applied.actor) &&
    recorded.createdAt === proposal.createdAt;
  if (sameEvent && recorded.changeSet === binding.changeSet) {
    return {
      ...passed("emergency", `overridden by ${who} with ${label}`),
      override: { label, by: applied.actor, permission: applied.permission, accepted: true },
    };
  }
  const detail = sameEvent
    ? `applied by ${who} to an earlier infrastructure change; the change has changed since, so it needs a new ${label} label`
    : `applied by ${who}, but not tied to the change it was applied to (the pull request moved while it was applied); apply ${label} again`;
  return {
    ...failed("emergency", detail, "emergency label not accepted"),
    override: {
      label,
      by: applied.actor,
      permission: applied.permission,
      accepted: false,
      // Only a label the App has not bound yet may be bound now (by the delivery that applied it).
      ...(sameEvent ? {} : { binding: proposal }),
    },
  };
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
