import { key } from "../../diff/path.js";
import { at, child, itemsOf, scalarAt, type TreeNode } from "../../formats/tree.js";
import { toNumber } from "../model/figures.js";
import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import {
  isTemplated,
  keptObjects,
  type KubernetesObject,
  objectPath,
  objectsOf,
} from "../model/kubernetes/objects.js";
import { safe } from "../model/advice.js";
import { lineFix } from "../model/fix.js";

/** Kinds whose `spec.replicas` sets how many pods serve (DaemonSets run one per node; Jobs use parallelism). */
const SCALED_KINDS = new Set([
  "Deployment",
  "StatefulSet",
  "ReplicaSet",
  "ReplicationController",
  "Rollout",
]);

interface Replicas {
  readonly value: number;
  readonly line: number;
  readonly explicit: boolean;
}

// spec.replicas defaults to 1 (kubernetes/api apps/v1 types.go); a Helm placeholder is unknowable.
function replicasOf(object: KubernetesObject): Replicas | undefined {
  const node = at(object.body, "spec", "replicas");
  if (!node)
    return { value: 1, line: child(object.body, "spec")?.line ?? object.line, explicit: false };
  if (node.kind !== "scalar" || isTemplated(node.value)) return undefined;
  const value = toNumber(node.value);
  return value === undefined ? undefined : { value, line: node.line, explicit: true };
}

/** An autoscaler in the same file that owns the object's replica count. */
function autoscaled(object: KubernetesObject, tree: TreeNode | null): boolean {
  return objectsOf(tree).some(
    (candidate) =>
      (candidate.kind === "HorizontalPodAutoscaler" || candidate.kind === "ScaledObject") &&
      candidate.namespace === object.namespace &&
      itemsOf(at(candidate.body, "spec", "scaleTargetRef")).some(
        (ref) =>
          String(scalarAt(ref, "name")) === object.name &&
          (scalarAt(ref, "kind") === undefined || scalarAt(ref, "kind") === object.kind),
      ),
  );
}

/**
 * Fewer replicas is less capacity and less redundancy: at 1 every rollout, node drain or crash is an outage,
 * at 0 nothing serves (docs/lb-facts.md §P7 Capacity; judgement for the bands).
 */
export default defineRule({
  id: "kubernetes.replicas.reduced",
  family: "kubernetes",
  title: "Workload scaled down",
  description:
    "spec.replicas of a Deployment, StatefulSet, ReplicaSet or Rollout drops: to 0 (high: nothing serves), to 1 from " +
    "more (high: no redundancy, every rollout or node drain is an outage), to a fifth or less (high: cut sharply, " +
    'docs/risk.md "Capacity drops"), or by more than a given share (medium: the remaining pods take the load). Removing the field sets 1, which is judged at medium because an autoscaler ' +
    "elsewhere may own the count; with an autoscaler in the same file, a removal is not reported and a cut is medium at most.",
  severity: "high",
  params: {
    // Judgement (docs/lb-facts.md §P7 Capacity: cuts by more than half).
    maxCutRatio: {
      default: 0.5,
      description:
        "A cut that leaves this share of the replicas or less is large (0.5 = more than half removed).",
    },
    // docs/risk.md "Capacity drops": replicas loosened sharply = cut by five times or more, as for drains.
    highCutRatio: {
      default: 0.2,
      description: "A cut that leaves this share of the replicas or less is sharp (high).",
    },
  },
  dialects: ["kubernetes"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of keptObjects(file.before, file.after)) {
      if (!SCALED_KINDS.has(after.kind)) continue;
      const was = replicasOf(before);
      const now = replicasOf(after);
      if (!was || !now || now.value >= was.value) continue;
      const hpa = autoscaled(after, file.after);
      if (!now.explicit && hpa) continue;
      let severity: Severity;
      let consequence: string;
      if (now.value === 0) {
        severity = "high";
        consequence = "no pod is left to serve; its Services have no endpoints";
      } else if (now.value === 1) {
        severity = "high";
        consequence = "a single pod is left: every rollout, node drain or crash is an outage";
      } else if (now.value <= was.value * params.highCutRatio) {
        severity = "high";
        consequence = `${now.value} pods take the load of ${was.value}, ${Math.round(was.value / now.value)}× each`;
      } else if (now.value <= was.value * params.maxCutRatio) {
        severity = "medium";
        consequence = `${now.value} pods take the load of ${was.value}`;
      } else continue;
      if (!now.explicit || hpa) severity = severity === "high" ? "medium" : severity;
      const removed = !now.explicit;
      const fix =
        severity === "high" && !removed
          ? lineFix(file, now.line, [{ keys: ["replicas"], value: was.value }])
          : undefined;
      findings.push({
        ...(fix ? { fix } : {}),
        severity,
        line: removed ? (at(before.body, "spec", "replicas")?.line ?? before.line) : now.line,
        path: objectPath(after, key("spec"), key("replicas")),
        message:
          (removed
            ? `${after.label} no longer sets replicas (was ${was.value}), so it runs the default 1: ${consequence}`
            : `${after.label} scaled from ${was.value} to ${now.value} replicas: ${consequence}`) +
          (removed
            ? " (unless an autoscaler outside this file owns the count)."
            : hpa
              ? " until its autoscaler scales it back."
              : ".") +
          (severity === "high"
            ? safe(`keep replicas: ${was.value} (at least 2, so that one pod can go at a time)`)
            : ""),
        before: was.value,
        after: now.value,
        figures: { replicasBefore: was.value, replicas: now.value },
        checklist: [
          now.value === 0
            ? `Confirm nothing still sends traffic to ${after.label}.`
            : `Confirm ${now.value} replica${now.value === 1 ? "" : "s"} of ${after.label} carry peak load with one pod down (rollout, node drain).`,
        ],
      });
    }
    return findings;
  },
});
