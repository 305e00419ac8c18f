import type { DialectModel } from "./dialect-model.js";
import { serviceAffinities, ingressNginxAffinities } from "./kubernetes-affinity.js";
import { awsLoadBalancerChecks, awsLoadBalancerStickiness } from "./kubernetes-aws.js";
import { backendConfigAffinities, backendConfigChecks } from "./kubernetes-gke.js";
import { kubernetesObjects } from "./kubernetes-objects.js";
import { probeChecks } from "./kubernetes-probes.js";

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
