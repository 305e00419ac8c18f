import type { AnyRule } from "../types.js";
import probeLbHealthCheckStale from "./probe-lb-health-check-stale.js";
import securityGroupPublicAttachment from "./security-group-public-attachment.js";
import serviceWorkloadMismatch from "./service-workload-mismatch.js";
import terminationGraceShorterThanDrain from "./termination-grace-shorter-than-drain.js";
import upstreamReferenceBroken from "./upstream-reference-broken.js";

/** The cross-file family (rules that read the whole workspace), in catalog order. */
export const CROSS_RULES: readonly AnyRule[] = [
  probeLbHealthCheckStale,
  serviceWorkloadMismatch,
  terminationGraceShorterThanDrain,
  upstreamReferenceBroken,
  securityGroupPublicAttachment,
];
