import type { DialectModel } from "../dialect-model.js";
import {
  awsLoadBalancerChecks,
  awsLoadBalancerStickiness,
} from "./aws-load-balancer-controller.js";
import { backendConfigAffinities, backendConfigChecks } from "./backend-config.js";
import { kubernetesObjects } from "./objects.js";
import { probeChecks } from "./probes.js";
import { ingressNginxAffinities, serviceAffinities } from "./session-affinity.js";

/**
 * Kubernetes manifests (and Helm templates, once neutralised): container probes, AWS Load Balancer
 * Controller annotations, GKE BackendConfig, Service sessionAffinity and ingress-nginx affinity.
 */
export const kubernetesModel: DialectModel = {
  healthChecks: (tree) => {
    const objects = kubernetesObjects(tree);
    return [
      ...probeChecks(objects),
      ...awsLoadBalancerChecks(objects),
      ...backendConfigChecks(objects),
    ];
  },
  affinities: (tree) => {
    const objects = kubernetesObjects(tree);
    return [
      ...serviceAffinities(objects),
      ...ingressNginxAffinities(objects),
      ...awsLoadBalancerStickiness(objects),
      ...backendConfigAffinities(objects),
    ];
  },
};
