import detectionSlowed from "./lb/health-check-detection-slowed.js";
import detectionTooFast from "./lb/health-check-detection-too-fast.js";
import timeoutNotBelowInterval from "./lb/health-check-timeout-not-below-interval.js";
import stickinessChanged from "./lb/stickiness-changed.js";
import stickinessDisabled from "./lb/stickiness-disabled.js";
import stickinessDurationCut from "./lb/stickiness-duration-cut.js";
import { SYSTEM_RULES } from "./system.js";
import type { Params, Rule } from "./types.js";

/** Every rule Changegate knows, in catalog order. Adding a rule: one file, one line here, one test. */
export const RULES: readonly Rule<Params>[] = [
  ...SYSTEM_RULES,
  detectionTooFast,
  detectionSlowed,
  timeoutNotBelowInterval,
  stickinessDisabled,
  stickinessChanged,
  stickinessDurationCut,
] as unknown as readonly Rule<Params>[];

export function ruleById(id: string): Rule<Params> | undefined {
  return RULES.find((rule) => rule.id === id);
}
