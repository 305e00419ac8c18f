// Container probes (readiness, liveness, startup) read the way the kubelet applies them: defaults for missing
// fields, unknowable for Helm placeholders; and as the cross-format HealthCheck entities.
import { item, key } from "../../../diff/path.js";
import { child, itemsOf, scalarAt, type TreeNode } from "../../../formats/tree.js";
import { figureAt, product, type Figure } from "../figures.js";
import type { HealthCheck } from "../health-check.js";
import { objectPath, type KubernetesObject } from "./objects.js";
import { podSpecOf } from "./workloads.js";

// Probe defaults: periodSeconds 10, timeoutSeconds 1, failureThreshold 3, successThreshold 1,
// initialDelaySeconds 0 (kubernetes/api core/v1 types.go; docs/lb-facts.md §P5a).
const PROBE_DEFAULTS = {
  periodSeconds: 10,
  timeoutSeconds: 1,
  failureThreshold: 3,
  successThreshold: 1,
  initialDelaySeconds: 0,
} as const;

export type ProbeField = keyof typeof PROBE_DEFAULTS;

/** A probe field, its default when absent, undefined when written as something that is not a number. */
export function probeField(probe: TreeNode, field: ProbeField): Figure | undefined {
  return figureAt(probe, field, PROBE_DEFAULTS[field], probe.line);
}

/** failureThreshold × periodSeconds: how long a probe may fail before the kubelet acts. */
export function failureBudget(probe: TreeNode | undefined): number | undefined {
  if (probe?.kind !== "map") return undefined;
  const period = probeField(probe, "periodSeconds");
  const failures = probeField(probe, "failureThreshold");
  return period && failures ? period.value * failures.value : undefined;
}

/** The line of the first field whose value the change altered, for pointing at the edit; else the probe's line. */
export function changedFieldLine(
  probe: TreeNode,
  oldProbe: TreeNode | undefined,
  fields: readonly ProbeField[],
): number {
  for (const field of fields) {
    const now = probeField(probe, field);
    const was = oldProbe?.kind === "map" ? probeField(oldProbe, field) : undefined;
    if (now?.explicit && now.value !== was?.value) return now.line;
  }
  return probe.line;
}

const PROBES = [
  ["readinessProbe", "readiness"],
  ["livenessProbe", "liveness"],
  ["startupProbe", "startup"],
] as const;

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
  const period = probeField(node, "periodSeconds");
  const failures = probeField(node, "failureThreshold");
  return {
    ...names,
    provider: "kubernetes",
    line: node.line,
    intervalSeconds: period,
    timeoutSeconds: probeField(node, "timeoutSeconds"),
    unhealthyThreshold: failures,
    healthyThreshold: probeField(node, "successThreshold"),
    // Time to mark Ready=false (readiness) or to restart (liveness/startup), docs/lb-facts.md §P6.
    ejectAfterSeconds: product(period, failures),
    // The API accepts timeoutSeconds ≥ periodSeconds; flagging it is judgement (docs/lb-facts.md §P7 Detection time).
    timeoutRule: "below-interval",
    probe,
    defaultsSource: "Kubernetes probe defaults (period 10 s, timeout 1 s, failureThreshold 3)",
  };
}
