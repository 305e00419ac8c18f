import type { AnyRule } from "../types.js";
import awsLbcHealthcheckPathChanged from "./aws-lbc-healthcheck-path-changed.js";
import evaluationOrderChanged from "./evaluation-order-changed.js";
import haproxyIngressSettingsCut from "./haproxy-ingress-settings-cut.js";
import helmComponentDisabled from "./helm-component-disabled.js";
import helmReplicaCountReduced from "./helm-replica-count-reduced.js";
import hpaMinReplicasReduced from "./hpa-min-replicas-reduced.js";
import ingressBackendChanged from "./ingress-backend-changed.js";
import ingressNginxClientIpTrust from "./ingress-nginx-client-ip-trust.js";
import ingressNginxLoadBalanceChanged from "./ingress-nginx-load-balance-changed.js";
import ingressNginxTimeoutsCut from "./ingress-nginx-timeouts-cut.js";
import istioDestinationPolicyChanged from "./istio-destination-policy-changed.js";
import istioGatewayChanged from "./istio-gateway-changed.js";
import istioRoutesChanged from "./istio-routes-changed.js";
import livenessAggressive from "./liveness-aggressive.js";
import pdbChanged from "./pdb-changed.js";
import prestopRemovedOrShortened from "./prestop-removed-or-shortened.js";
import probePortUndeclared from "./probe-port-undeclared.js";
import probeRemoved from "./probe-removed.js";
import replicasReduced from "./replicas-reduced.js";
import rolloutUnavailableRaised from "./rollout-unavailable-raised.js";
import serviceLbAnnotationsCut from "./service-lb-annotations-cut.js";
import serviceExternalTrafficPolicyLocal from "./service-external-traffic-policy-local.js";
import servicePortChanged from "./service-port-changed.js";
import serviceSelectorChanged from "./service-selector-changed.js";
import startupBudgetTooSmall from "./startup-budget-too-small.js";
import terminationGraceShorterThanDrain from "./termination-grace-shorter-than-drain.js";
import workloadDeleted from "./workload-deleted.js";

/** The kubernetes family, in catalog order. */
export const KUBERNETES_RULES: readonly AnyRule[] = [
  probeRemoved,
  probePortUndeclared,
  livenessAggressive,
  startupBudgetTooSmall,
  replicasReduced,
  hpaMinReplicasReduced,
  rolloutUnavailableRaised,
  pdbChanged,
  terminationGraceShorterThanDrain,
  prestopRemovedOrShortened,
  servicePortChanged,
  serviceExternalTrafficPolicyLocal,
  serviceLbAnnotationsCut,
  serviceSelectorChanged,
  ingressBackendChanged,
  awsLbcHealthcheckPathChanged,
  ingressNginxTimeoutsCut,
  ingressNginxLoadBalanceChanged,
  ingressNginxClientIpTrust,
  haproxyIngressSettingsCut,
  istioGatewayChanged,
  istioRoutesChanged,
  istioDestinationPolicyChanged,
  helmReplicaCountReduced,
  helmComponentDisabled,
  workloadDeleted,
  evaluationOrderChanged,
];
