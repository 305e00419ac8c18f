import { key } from "../../diff/path.js";
import { child } from "../../formats/tree.js";
import { defineRule, type Detection } from "../types.js";
import { hasTemplates } from "../model/kubernetes/objects.js";
import {
  BATCH_KINDS,
  containerNamed,
  keptWorkloads,
  workloadPath,
} from "../model/kubernetes/workloads.js";
import { safe } from "../model/advice.js";

const SEVERITY = { readinessProbe: "high", livenessProbe: "medium" } as const;

/**
 * Without a readinessProbe a pod is Ready as soon as its containers start, so Services send it traffic
 * before it can serve and keep sending while it is broken (docs/lb-facts.md §P5a; §P7 Liveness:
 * removing a readinessProbe is high). Without a livenessProbe a hung container is never restarted.
 */
export default defineRule({
  id: "kubernetes.probe.removed",
  family: "kubernetes",
  title: "Readiness or liveness probe removed",
  description:
    "A container keeps running but loses its readinessProbe (high: the pod counts as Ready as soon as it starts, " +
    "so Services route requests to pods that cannot serve yet, and to pods that stop answering) or its " +
    "livenessProbe (medium: a hung container is never restarted). Jobs and CronJobs are not judged; in a Helm template, " +
    "where an action may now render the probe, removals are medium.",
  severity: "high",
  params: {},
  dialects: ["kubernetes"],
  check(file) {
    const findings: Detection[] = [];
    // In a Helm template the probe may now come from an action (`{{ include "probes" . }}`) the parser cannot see.
    const template = hasTemplates(file.after);
    for (const [before, after] of keptWorkloads(file.before, file.after)) {
      if (BATCH_KINDS.has(after.object.kind)) continue;
      for (const oldContainer of before.containers) {
        const container = containerNamed(after, oldContainer);
        if (!container) continue;
        for (const probe of ["readinessProbe", "livenessProbe"] as const) {
          const was = child(oldContainer.body, probe);
          if (!was || child(container.body, probe)) continue;
          const readiness = probe === "readinessProbe";
          findings.push({
            severity: template ? "medium" : SEVERITY[probe],
            line: was.line,
            path: workloadPath(before, ...oldContainer.segments, key(probe)),
            message: readiness
              ? `readinessProbe removed from container "${container.name}" in ${after.object.label}: pods count as Ready as soon as they start, so Services send them requests before they can serve and keep sending while they fail${template ? " (unless a template action now renders it)" : ""}.${safe(`keep the readinessProbe of "${container.name}"`)}`
              : `livenessProbe removed from container "${container.name}" in ${after.object.label}: a hung container is no longer restarted and keeps its place in the Service${template ? " (unless a template action now renders it)" : ""}.`,
            before: probe,
            after: null,
            checklist: readiness
              ? [
                  `Confirm "${container.name}" serves requests from the moment its process starts, or restore a readinessProbe.`,
                ]
              : [
                  `Confirm a hung "${container.name}" is detected another way (readiness, a sidecar, the process exiting on its own).`,
                ],
          });
        }
      }
    }
    return findings;
  },
});
