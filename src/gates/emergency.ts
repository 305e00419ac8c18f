import type { Policy } from "../config/policy.js";
import { failed, notRequired, passed, type GateOutcome } from "./outcome.js";
import type { LabelEvent } from "./snapshot.js";
import type { EmergencyOverride } from "./verdict.js";

export interface EmergencyOutcome extends GateOutcome {
  /** Who applied the label and whether that counts; null when the label is not on the PR. */
  readonly override: EmergencyOverride | null;
}

/**
 * The emergency override: the label is on the PR now and its latest `labeled` event was by
 * someone whose permission the policy allows. Accepted, it bypasses the other gates; applied by
 * anyone else it is refused and the other gates decide.
 */
export function evaluateEmergency(
  labels: readonly string[],
  events: readonly LabelEvent[],
  policy: Policy["emergency"],
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
  const override: EmergencyOverride = {
    label,
    by: applied.actor,
    permission: applied.permission,
    accepted: allowed,
  };
  if (allowed) {
    return {
      ...passed(
        "emergency",
        `overridden by @${applied.actor} (${applied.permission}) with ${label}`,
      ),
      override,
    };
  }
  return {
    ...failed(
      "emergency",
      `applied by @${applied.actor} (${applied.permission}); only ${policy.allowed.join(", ")} may override`,
      "emergency label not accepted",
    ),
    override,
  };
}
