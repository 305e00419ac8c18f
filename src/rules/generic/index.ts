import type { AnyRule } from "../types.js";
import adminEndpointExposed from "./admin-endpoint-exposed.js";
import dnsTtlCut from "./dns-ttl-cut.js";
import hstsRemoved from "./tls-hsts-removed.js";
import ingressWorldOpen from "./ingress-world-open.js";
import lbResourceDeleted from "./lb-resource-deleted.js";
import loadBalancerPublicAdded from "./load-balancer-public-added.js";
import moduleDefaultChanged from "./module-default-changed.js";
import policyChanged from "./policy-changed.js";
import portOrProtocolChanged from "./port-or-protocol-changed.js";
import tlsCiphersNarrowed from "./tls-ciphers-narrowed.js";
import tlsDowngraded from "./tls-downgraded.js";
import tlsMinimumChanged from "./tls-minimum-changed.js";

/** The generic family, in catalog order. */
export const GENERIC_RULES: readonly AnyRule[] = [
  policyChanged,
  lbResourceDeleted,
  portOrProtocolChanged,
  tlsDowngraded,
  tlsMinimumChanged,
  tlsCiphersNarrowed,
  hstsRemoved,
  ingressWorldOpen,
  loadBalancerPublicAdded,
  adminEndpointExposed,
  dnsTtlCut,
  moduleDefaultChanged,
];
