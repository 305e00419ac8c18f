import { item, key, type PathSegment } from "../../diff/path.js";
import { at, child, itemsOf, scalarAt, type TreeNode } from "../../formats/tree.js";
import { numberAt, product, withDefault, type Figure } from "./figures.js";
import type { HealthCheck } from "./health-check.js";
import { objectPath, type KubernetesObject } from "./kubernetes-objects.js";

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ["spec"],
  PodTemplate: ["template", "spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};

const PROBES = [
  ["readinessProbe", "readiness"],
  ["livenessProbe", "liveness"],
  ["startupProbe", "startup"],
] as const;

// Probe defaults: periodSeconds 10, timeoutSeconds 1, failureThreshold 3, successThreshold 1
// (kubernetes/api core/v1 types.go; LB-FACTS.md "5. Kubernetes").
const DEFAULTS = { periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1 };

/** The pod spec of a workload and its path segments; other kinds (Argo Rollouts...) by shape. */
export function podSpecOf(
  object: KubernetesObject,
): { spec: TreeNode; segments: PathSegment[] } | undefined {
  const path = POD_SPEC_PATHS[object.kind] ?? ["spec", "template", "spec"];
  const spec = at(object.body, ...path);
  if (spec?.kind !== "map") return undefined;
  if (!POD_SPEC_PATHS[object.kind] && child(spec, "containers")?.kind !== "list") return undefined;
  return { spec, segments: path.map(key) };
}

/** Every readiness, liveness and startup probe of every container (and sidecar init container). */
export function probeChecks(objects: readonly KubernetesObject[]): HealthCheck[] {
  const out: HealthCheck[] = [];
  for (const object of objects) {
    const pod = podSpecOf(object);
    if (!pod) continue;
    // Only sidecar init containers (restartPolicy: Always) may declare probes; the API rejects others.
    for (const field of ["containers", "initContainers"] as const) {
      itemsOf(child(pod.spec, field)).forEach((container, index) => {
        const rawName = scalarAt(container, "name");
        const name = typeof rawName === "string" ? rawName : String(index);
        const containerSegment = item(
          typeof rawName === "string" ? `name=${rawName}` : String(index),
        );
        for (const [probeKey, probe] of PROBES) {
          const node = child(container, probeKey);
          if (node?.kind !== "map") continue;
          out.push(
            probeCheck(node, probe, {
              key: `${object.id}:${field}[name=${name}].${probeKey}`,
              label: `${probe} probe of ${field === "initContainers" ? "init container" : "container"} "${name}" in ${object.label}`,
              path: objectPath(
                object,
                ...pod.segments,
                key(field),
                containerSegment,
                key(probeKey),
              ),
            }),
          );
        }
      });
    }
  }
  return out;
}

function probeCheck(
  node: TreeNode,
  probe: "readiness" | "liveness" | "startup",
  names: { key: string; label: string; path: string },
): HealthCheck {
  const figure = (field: keyof typeof DEFAULTS): Figure | undefined =>
    withDefault(
      numberAt(node, field),
      DEFAULTS[field],
      node.line,
      child(node, field) !== undefined,
    );
  const period = figure("periodSeconds");
  const failures = figure("failureThreshold");
  return {
    ...names,
    provider: "kubernetes",
    line: node.line,
    intervalSeconds: period,
    timeoutSeconds: figure("timeoutSeconds"),
    unhealthyThreshold: failures,
    healthyThreshold: figure("successThreshold"),
    // Time to mark Ready=false (readiness) or to restart (liveness/startup), LB-FACTS.md §6 "Derived figures".
    ejectAfterSeconds: product(period, failures),
    // The API accepts timeoutSeconds ≥ periodSeconds; flagging it is LB-FACTS.md §7's judgement ("Check timeout ≥ interval: medium").
    timeoutRule: "below-interval",
    probe,
    defaultsSource: "Kubernetes probe defaults (period 10 s, timeout 1 s, failureThreshold 3)",
  };
}
