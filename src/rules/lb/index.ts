import type { AnyRule } from "../types.js";
import detectionSlowed from "./health-check-detection-slowed.js";
import detectionTooFast from "./health-check-detection-too-fast.js";
import poolReaddressed from "./pool-readdressed.js";
import resolverReaddressed from "./resolver-readdressed.js";
import routeHostRemoved from "./route-host-removed.js";
import timeoutCut from "./health-check-timeout-cut.js";
import timeoutNotBelowInterval from "./health-check-timeout-not-below-interval.js";
import stickinessChanged from "./stickiness-changed.js";
import stickinessDisabled from "./stickiness-disabled.js";
import stickinessDurationCut from "./stickiness-duration-cut.js";

/** Cross-format load-balancer rules: they read the normalised model (rules/model/), whatever the dialect. */
export const LB_RULES: readonly AnyRule[] = [
  detectionTooFast,
  detectionSlowed,
  timeoutNotBelowInterval,
  timeoutCut,
  stickinessDisabled,
  stickinessChanged,
  stickinessDurationCut,
  poolReaddressed,
  resolverReaddressed,
  routeHostRemoved,
];
