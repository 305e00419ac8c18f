import type { AnyRule } from "../types.js";
import attributeOutOfRange from "./attribute-out-of-range.js";
import classicConnectionDrainingCut from "./classic-connection-draining-cut.js";
import classicConnectionDrainingOff from "./classic-connection-draining-off.js";
import healthCheckDisabled from "./health-check-disabled.js";
import healthCheckMatcherNarrowed from "./health-check-matcher-narrowed.js";
import healthCheckMatcherWidened from "./health-check-matcher-widened.js";
import healthCheckOutOfRange from "./health-check-out-of-range.js";
import healthCheckPathChanged from "./health-check-path-changed.js";
import healthCheckPortChanged from "./health-check-port-changed.js";
import healthCheckProtocolChanged from "./health-check-protocol-changed.js";
import listenerActionChanged from "./listener-action-changed.js";
import listenerCertificateChanged from "./listener-certificate-changed.js";
import listenerPortChanged from "./listener-port-changed.js";
import listenerProtocolDowngraded from "./listener-protocol-downgraded.js";
import listenerSslPolicyDowngraded from "./listener-ssl-policy-downgraded.js";
import loadBalancerDeletionProtectionOff from "./load-balancer-deletion-protection-off.js";
import loadBalancerDesyncMitigationWeakened from "./load-balancer-desync-mitigation-weakened.js";
import loadBalancerDropInvalidHeadersOff from "./load-balancer-drop-invalid-headers-off.js";
import loadBalancerIdleTimeoutCut from "./load-balancer-idle-timeout-cut.js";
import loadBalancerIdleTimeoutRaised from "./load-balancer-idle-timeout-raised.js";
import loadBalancerInternalFlipped from "./load-balancer-internal-flipped.js";
import loadBalancerReplaced from "./load-balancer-replaced.js";
import nestedStackTemplateRepointed from "./nested-stack-template-repointed.js";
import resourceRemoved from "./resource-removed.js";
import targetGroupAlgorithmChanged from "./target-group-algorithm-changed.js";
import targetGroupDeregistrationDelayCut from "./target-group-deregistration-delay-cut.js";
import targetGroupProxyProtocolFlipped from "./target-group-proxy-protocol-flipped.js";
import targetGroupReplaced from "./target-group-replaced.js";
import targetGroupSlowStartChanged from "./target-group-slow-start-changed.js";

/** The aws family, in catalog order. */
export const AWS_RULES: readonly AnyRule[] = [
  healthCheckOutOfRange,
  healthCheckPathChanged,
  healthCheckPortChanged,
  healthCheckProtocolChanged,
  healthCheckMatcherWidened,
  healthCheckMatcherNarrowed,
  healthCheckDisabled,
  targetGroupReplaced,
  targetGroupDeregistrationDelayCut,
  targetGroupSlowStartChanged,
  targetGroupAlgorithmChanged,
  targetGroupProxyProtocolFlipped,
  attributeOutOfRange,
  loadBalancerReplaced,
  loadBalancerInternalFlipped,
  loadBalancerIdleTimeoutCut,
  loadBalancerIdleTimeoutRaised,
  loadBalancerDeletionProtectionOff,
  loadBalancerDesyncMitigationWeakened,
  loadBalancerDropInvalidHeadersOff,
  listenerSslPolicyDowngraded,
  listenerProtocolDowngraded,
  listenerPortChanged,
  listenerCertificateChanged,
  listenerActionChanged,
  classicConnectionDrainingOff,
  classicConnectionDrainingCut,
  resourceRemoved,
  nestedStackTemplateRepointed,
];
