import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import {
  isTemplated,
  objectPath,
  objectsOf,
  pairObjects,
  type KubernetesObject,
} from "../model/kubernetes/objects.js";

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
    "place (a rename or a move to another namespace) it is medium: the new pods start while the old ones stop.",
  severity: "high",
  params: {},
  dialects: ["kubernetes"],
  check(file) {
    const findings: Detection[] = [];
    const pairs = pairObjects(objectsOf(file.before), objectsOf(file.after));
    const added = pairs.filter(([was, now]) => !was && now).map(([, now]) => now!);
    const claimed = new Set<KubernetesObject>();
    for (const [gone, now] of pairs) {
      if (!gone || now) continue;
      const workload = WORKLOAD_KINDS.has(gone.kind);
      if (!workload && gone.kind !== BUDGET) continue;
      const sameKind = (candidate: KubernetesObject) =>
        !claimed.has(candidate) &&
        (candidate.kind === gone.kind ||
          (workload && WORKLOAD_KINDS.has(candidate.kind) && candidate.name === gone.name));
      // A Helm placeholder name may render to the same object: unknowable.
      if (isTemplated(gone.name) && added.some((c) => isTemplated(c.name) && sameKind(c))) continue;
      const replacement =
        added.find((c) => sameKind(c) && c.name === gone.name) ?? added.find(sameKind);
      if (replacement) claimed.add(replacement);
      const severity: Severity = replacement ? "medium" : "high";
      const where = file.status === "removed" ? ` with ${file.path}` : "";
      const consequence = workload
        ? replacement
          ? `${replacement.label}${replacement.namespace !== gone.namespace ? ` in namespace ${replacement.namespace}` : ""} takes its place, so its pods stop while the new ones start, and Services that select the old pods by namespace or labels may lose their endpoints.`
          : "its pods are deleted at once, so every Service that selects them loses those endpoints and requests to them fail." +
            ` Safe: keep \`${gone.label}\` (scale it down in steps, e.g. \`replicas: 1\`) until nothing sends traffic to its pods.`
        : replacement
          ? `${replacement.label} takes its place; check it selects the same pods.`
          : "node drains and cluster upgrades may now evict every pod it protected at the same time." +
            ` Safe: keep \`${gone.label}\` (for example \`maxUnavailable: 1\`).`;
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
