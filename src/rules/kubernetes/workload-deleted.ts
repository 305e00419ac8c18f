import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import {
  isTemplated,
  objectPath,
  objectsOf,
  pairObjects,
  type KubernetesObject,
} from "../model/kubernetes/objects.js";
import {
  protectedWorkloads,
  selects,
  selectorOf,
  workloadsOf,
} from "../model/kubernetes/workloads.js";

/** Kinds that run a Service's pods, and the budget that keeps them up during drains. */
const WORKLOAD_KINDS = new Set([
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "ReplicaSet",
  "ReplicationController",
  "Rollout",
]);
const BUDGET = "PodDisruptionBudget";

/**
 * Deleting a workload deletes its pods at once (docs/risk.md: capacity drops, traffic goes nowhere); deleting a
 * PodDisruptionBudget lets a node drain evict every pod together. Services and Ingresses are
 * generic.lb-resource.deleted's.
 */
export default defineRule({
  id: "kubernetes.workload-deleted",
  family: "kubernetes",
  title: "Workload or PodDisruptionBudget deleted",
  description:
    "A Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController or Argo Rollout is deleted: its pods go " +
    "at once and every Service selecting them loses those endpoints (high). A PodDisruptionBudget is deleted: drains " +
    "and upgrades may evict every pod it protected together (high). When an object of the same kind appears in its " +
    "place (a rename or a move to another namespace) it is medium: the new pods start while the old ones stop. A " +
    "workload that none of the file's Services selects (a worker or load generator) is medium.",
  severity: "high",
  params: {},
  dialects: ["kubernetes"],
  check(file) {
    const findings: Detection[] = [];
    const pairs = pairObjects(objectsOf(file.before), objectsOf(file.after));
    const added = pairs.filter(([was, now]) => !was && now).map(([, now]) => now!);
    const claimed = new Set<KubernetesObject>();
    const beforeObjects = objectsOf(file.before);
    const afterIds = new Set(objectsOf(file.after).map((object) => object.id));
    /**
     * Services of the old version that selected the workload's pods: [kept, deleted with it], and whether the file's
     * Services of its namespace were all read and none selects them (a worker or client: no load-balanced traffic).
     */
    const servicesOf = (
      gone: KubernetesObject,
    ): [KubernetesObject[], KubernetesObject[], boolean] => {
      const labels = workloadsOf(beforeObjects).find((w) => w.object === gone)?.podLabels;
      const services = beforeObjects.flatMap((service) => {
        const selector = service.kind === "Service" ? selectorOf(service) : undefined;
        return selector && service.namespace === gone.namespace
          ? [{ service, verdict: labels?.size ? selects(selector, labels) : undefined }]
          : [];
      });
      const selecting = services.filter((s) => s.verdict === true).map((s) => s.service);
      const unselected = services.length > 0 && services.every((s) => s.verdict === false);
      return [
        selecting.filter((service) => afterIds.has(service.id)),
        selecting.filter((service) => !afterIds.has(service.id)),
        unselected,
      ];
    };
    for (const [gone, now] of pairs) {
      if (!gone || now) continue;
      const workload = WORKLOAD_KINDS.has(gone.kind);
      if (!workload && gone.kind !== BUDGET) continue;
      // A budget deleted with every workload it protected leaves no pod to evict: the workloads' deletion is judged.
      if (!workload) {
        const guarded = protectedWorkloads(gone, workloadsOf(beforeObjects));
        if (guarded.length > 0 && guarded.every((w) => !afterIds.has(w.object.id))) continue;
      }
      const sameKind = (candidate: KubernetesObject) =>
        !claimed.has(candidate) &&
        (candidate.kind === gone.kind ||
          (workload && WORKLOAD_KINDS.has(candidate.kind) && candidate.name === gone.name));
      // A Helm placeholder name may render to the same object: unknowable.
      if (isTemplated(gone.name) && added.some((c) => isTemplated(c.name) && sameKind(c))) continue;
      const replacement =
        added.find((c) => sameKind(c) && c.name === gone.name) ?? added.find(sameKind);
      if (replacement) claimed.add(replacement);
      // Deleted together with every Service that sent it traffic: the Services' deletion is that consequence
      // (generic.lb-resource.deleted), reported once.
      const [keptServices, deletedServices, unselected] = workload
        ? servicesOf(gone)
        : [[], [], false];
      const withItsServices = deletedServices.length > 0 && keptServices.length === 0;
      const severity: Severity = replacement || withItsServices || unselected ? "medium" : "high";
      const where = file.status === "removed" ? ` with ${file.path}` : "";
      const consequence = workload
        ? replacement
          ? `${replacement.label}${replacement.namespace !== gone.namespace ? ` in namespace ${replacement.namespace}` : ""} takes its place, so its pods stop while the new ones start, and Services that select the old pods by namespace or labels may lose their endpoints.`
          : unselected
            ? "no Service in this file selects its pods (a worker or client, not a load-balanced backend); its pods stop, but no Service here loses endpoints."
            : withItsServices
              ? `it goes together with ${deletedServices.map((service) => service.label).join(", ")}, which selected its pods; that deletion is judged on its own.`
              : `its pods are deleted at once, so ${keptServices.length > 0 ? keptServices.map((service) => service.label).join(", ") : "every Service that selects them"} ${keptServices.length > 1 ? "lose those" : "loses its"} endpoints and requests to them fail.` +
                ` Safe: keep ${gone.kind} \`${gone.name}\` (scale it down in steps, e.g. \`replicas: 1\`) until nothing sends traffic to its pods.`
        : replacement
          ? `${replacement.label} takes its place; check it selects the same pods.`
          : "node drains and cluster upgrades may now evict every pod it protected at the same time." +
            ` Safe: keep PodDisruptionBudget \`${gone.name}\` (for example \`maxUnavailable: 1\`).`;
      findings.push({
        severity,
        line: gone.line,
        path: objectPath(gone),
        message: `${gone.label}${gone.namespace !== "default" ? ` (namespace ${gone.namespace})` : ""} is deleted${where}: ${consequence}`,
        before: gone.label,
        after: replacement?.label ?? null,
        checklist: [
          workload
            ? `Confirm nothing (a Service, an Ingress, a client) still needs the pods of ${gone.label}, or that it moved to another file of this change.`
            : `Confirm the pods ${gone.label} protected can all be evicted at once, or that it moved to another file of this change.`,
        ],
      });
    }
    return findings;
  },
});
