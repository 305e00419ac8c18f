import { key } from "../../diff/path.js";
import { at, child, scalarAt } from "../../formats/tree.js";
import { defineRule } from "../types.js";
import {
  isTemplated,
  keptObjects,
  objectPath,
  type KubernetesObject,
} from "../model/kubernetes/objects.js";
import { transitionFindings, transitions } from "../model/transitions.js";

const FIELDS = [
  {
    field: "externalTrafficPolicy",
    local:
      "traffic from the load balancer or a node port to a node without a ready pod of this Service is dropped, and load spreads per node rather than per pod",
    cluster:
      "the client source IP is no longer preserved (it becomes a node IP), which breaks IP allowlists and logging by client",
  },
  {
    field: "internalTrafficPolicy",
    local: "in-cluster clients on a node without a ready pod of this Service get no answer",
    cluster: "in-cluster traffic may now cross nodes",
  },
] as const;

/**
 * `Local` keeps traffic on the node it arrived at: only endpoints on that node serve it, and traffic to a node
 * with no endpoint is dropped (docs/lb-facts.md §P5a; kubernetes/api types.go).
 */
export default defineRule({
  id: "kubernetes.service.external-traffic-policy-local",
  family: "kubernetes",
  title: "Service traffic policy switched to Local",
  description:
    "A Service's externalTrafficPolicy (or internalTrafficPolicy) moves from Cluster (the default) to Local (medium): " +
    "traffic that reaches a node without a ready pod of the Service is dropped, and load is spread per node. " +
    "The move back to Cluster is low: the client source IP is no longer preserved.",
  severity: "medium",
  params: {},
  dialects: ["kubernetes"],
  check(file) {
    const services = keptObjects(file.before, file.after).filter(
      ([, after]) => after.kind === "Service",
    );
    return services.flatMap((pair) =>
      FIELDS.flatMap(({ field, local, cluster }) => {
        const policy = (service: KubernetesObject) => {
          const value = scalarAt(service.body, "spec", field) ?? "Cluster";
          return isTemplated(value) ? undefined : value;
        };
        const moves = transitions([pair], policy, (before, after) => ({
          line:
            at(after.body, "spec", field)?.line ??
            at(before.body, "spec", field)?.line ??
            child(after.body, "spec")?.line ??
            after.line,
          path: objectPath(after, key("spec"), key(field)),
        }));
        return transitionFindings(moves, ({ after, was, now }) => {
          if (now !== "Local" && was !== "Local") return undefined;
          const toLocal = now === "Local";
          return {
            severity: toLocal ? "medium" : "low",
            message: `${after.label} ${field} ${String(was)} → ${String(now)}: ${toLocal ? local : cluster}.`,
            before: String(was),
            after: String(now),
            checklist: [
              toLocal
                ? `Confirm every node that receives traffic for ${after.label} runs a ready pod (DaemonSet, anti-affinity) or that the load balancer health-checks nodes.`
                : `Confirm nothing behind ${after.label} relies on the client source IP.`,
            ],
          };
        });
      }),
    );
  },
});
