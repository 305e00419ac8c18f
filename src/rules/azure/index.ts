import type { AnyRule } from "../types.js";
import appGatewayConnectionDrainingWeakened from "./app-gateway-connection-draining-weakened.js";
import appGatewayProbeChanged from "./app-gateway-probe-changed.js";
import lbProbeBelowMinimum from "./lb-probe-below-minimum.js";
import lbProbeTargetChanged from "./lb-probe-target-changed.js";
import lbRuleFloatingIpFlipped from "./lb-rule-floating-ip-flipped.js";
import lbRuleIdleTimeoutCut from "./lb-rule-idle-timeout-cut.js";
import lbRuleOutboundSnatDisabled from "./lb-rule-outbound-snat-disabled.js";
import resourceRemoved from "./resource-removed.js";

/** The azure family, in catalog order. */
export const AZURE_RULES: readonly AnyRule[] = [
  lbProbeBelowMinimum,
  lbProbeTargetChanged,
  lbRuleIdleTimeoutCut,
  lbRuleFloatingIpFlipped,
  lbRuleOutboundSnatDisabled,
  appGatewayProbeChanged,
  appGatewayConnectionDrainingWeakened,
  resourceRemoved,
];
