import type { AnyRule } from "../types.js";
import backendServiceBackendRemoved from "./backend-service-backend-removed.js";
import backendServiceDrainingCut from "./backend-service-draining-cut.js";
import backendServiceLocalityPolicyChanged from "./backend-service-locality-policy-changed.js";
import healthCheckProbeChanged from "./health-check-probe-changed.js";
import resourceRemoved from "./resource-removed.js";

/** The gcp family, in catalog order. */
export const GCP_RULES: readonly AnyRule[] = [
  healthCheckProbeChanged,
  backendServiceDrainingCut,
  backendServiceBackendRemoved,
  backendServiceLocalityPolicyChanged,
  resourceRemoved,
];
