import { AWS_RULES } from "./aws/index.js";
import { AZURE_RULES } from "./azure/index.js";
import { ENVOY_RULES } from "./envoy/index.js";
import { GCP_RULES } from "./gcp/index.js";
import { GENERIC_RULES } from "./generic/index.js";
import { HAPROXY_RULES } from "./haproxy/index.js";
import { KUBERNETES_RULES } from "./kubernetes/index.js";
import detectionSlowed from "./lb/health-check-detection-slowed.js";
import detectionTooFast from "./lb/health-check-detection-too-fast.js";
import timeoutNotBelowInterval from "./lb/health-check-timeout-not-below-interval.js";
import stickinessChanged from "./lb/stickiness-changed.js";
import stickinessDisabled from "./lb/stickiness-disabled.js";
import stickinessDurationCut from "./lb/stickiness-duration-cut.js";
import { NGINX_RULES } from "./nginx/index.js";
import { SYSTEM_RULES } from "./system.js";
import { TRAEFIK_RULES } from "./traefik/index.js";
import type { Params, Rule } from "./types.js";

/** Cross-format rules that read the normalised load-balancer model (rules/model/). */
const LB_RULES = [
  detectionTooFast,
  detectionSlowed,
  timeoutNotBelowInterval,
  stickinessDisabled,
  stickinessChanged,
  stickinessDurationCut,
] as unknown as readonly Rule<Params>[];

/** Every rule Changegate knows, in catalog order. Adding a rule: one file, one line in its family's index, one test. */
export const RULES: readonly Rule<Params>[] = [
  ...(SYSTEM_RULES as unknown as readonly Rule<Params>[]),
  ...LB_RULES,
  ...AWS_RULES,
  ...GCP_RULES,
  ...AZURE_RULES,
  ...HAPROXY_RULES,
  ...NGINX_RULES,
  ...ENVOY_RULES,
  ...TRAEFIK_RULES,
  ...KUBERNETES_RULES,
  ...GENERIC_RULES,
];

export function ruleById(id: string): Rule<Params> | undefined {
  return RULES.find((rule) => rule.id === id);
}
