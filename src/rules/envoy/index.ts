import type { AnyRule } from "../types.js";
import adminExposed from "./admin-exposed.js";
import circuitBreakerCut from "./circuit-breaker-cut.js";
import connectTimeoutCut from "./connect-timeout-cut.js";
import endpointRemoved from "./endpoint-removed.js";
import evaluationOrderChanged from "./evaluation-order-changed.js";
import hashPolicyChanged from "./hash-policy-changed.js";
import healthCheckExpectedStatusesNarrowed from "./health-check-expected-statuses-narrowed.js";
import healthCheckTargetChanged from "./health-check-target-changed.js";
import outlierDetectionAggressive from "./outlier-detection-aggressive.js";
import outlierDetectionRemoved from "./outlier-detection-removed.js";
import panicThresholdChanged from "./panic-threshold-changed.js";

/** The envoy family, in catalog order. */
export const ENVOY_RULES: readonly AnyRule[] = [
  endpointRemoved,
  outlierDetectionAggressive,
  outlierDetectionRemoved,
  panicThresholdChanged,
  hashPolicyChanged,
  circuitBreakerCut,
  healthCheckExpectedStatusesNarrowed,
  healthCheckTargetChanged,
  connectTimeoutCut,
  evaluationOrderChanged,
  adminExposed,
];
