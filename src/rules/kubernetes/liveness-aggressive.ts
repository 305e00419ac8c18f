import { key } from "../../diff/path.js";
import { child } from "../../formats/tree.js";
import { formatSeconds } from "../model/figures.js";
import { defineRule, type Detection } from "../types.js";
import { objectsOf } from "../model/kubernetes/objects.js";
import { changedFieldLine, failureBudget, probeField } from "../model/kubernetes/probes.js";
import { containerNamed, workloadPath, workloadsOf } from "../model/kubernetes/workloads.js";
import { withPreviousBy } from "../model/pairs.js";
import { safe } from "../model/advice.js";
import { lineFix } from "../model/fix.js";

/**
 * A liveness probe restarts the container: one that gives up within a few seconds turns a GC pause or a
 * slow dependency into a restart loop across every replica at once (docs/lb-facts.md §P7 Liveness:
 * liveness failureThreshold × periodSeconds below 10 s, or a 1 s timeout, is high).
 * lb.health-check.detection-too-fast judges relative drops of the same figure; this rule is the absolute floor.
 */
export default defineRule({
  id: "kubernetes.liveness.aggressive",
  family: "kubernetes",
  title: "Liveness probe restarts containers too eagerly",
  description:
    "The change brings a livenessProbe's failure budget (failureThreshold × periodSeconds) below a floor, " +
    "or cuts its timeoutSeconds to 1 s. A short pause then restarts the container, and under load every " +
    "replica can restart together: restart loops and a cascading outage. Fires only when the change crosses the line.",
  severity: "high",
  params: {
    // docs/lb-facts.md §P7 Liveness (judgement): liveness budget below 10 s is high.
    minLivenessSeconds: {
      default: 10,
      description:
        "Liveness failure budgets (failureThreshold × periodSeconds) below this restart too eagerly (seconds).",
    },
  },
  dialects: ["kubernetes"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [old, workload] of withPreviousBy(
      workloadsOf(objectsOf(file.before)),
      workloadsOf(objectsOf(file.after)),
      (w) => w.object.id,
    )) {
      for (const container of workload.containers) {
        const probe = child(container.body, "livenessProbe");
        if (probe?.kind !== "map") continue;
        const oldContainer = old ? containerNamed(old, container) : undefined;
        const oldProbe = child(oldContainer?.body, "livenessProbe");
        const where = `livenessProbe of container "${container.name}" in ${workload.object.label}`;
        const path = workloadPath(workload, ...container.segments, key("livenessProbe"));

        const budget = failureBudget(probe);
        const oldBudget = oldProbe ? failureBudget(oldProbe) : undefined;
        // A probe that was there but unknowable (Helm placeholder) cannot be said to cross the floor.
        const crossed =
          budget !== undefined &&
          budget < params.minLivenessSeconds &&
          (oldProbe === undefined ||
            (oldBudget !== undefined && oldBudget >= params.minLivenessSeconds));
        if (crossed) {
          const period = probeField(probe, "periodSeconds")!;
          const failures = probeField(probe, "failureThreshold")!;
          const needed = Math.ceil(params.minLivenessSeconds / period.value);
          const fix = failures.explicit
            ? lineFix(file, failures.line, [{ keys: ["failureThreshold"], value: needed }])
            : undefined;
          findings.push({
            ...(fix ? { fix } : {}),
            severity: "high",
            line: changedFieldLine(probe, oldProbe, ["periodSeconds", "failureThreshold"]),
            path,
            message:
              `${where} restarts the container after ${formatSeconds(budget)} of failed checks ` +
              `(${failures.value} × ${formatSeconds(period.value)}${oldBudget !== undefined ? `, was ${formatSeconds(oldBudget)}` : ", new probe"}), ` +
              `below the ${formatSeconds(params.minLivenessSeconds)} floor: a brief pause restarts healthy containers, and under load every replica can restart at once.` +
              safe(
                `keep the restart budget ≥ ${formatSeconds(params.minLivenessSeconds)}: failureThreshold ${needed} × periodSeconds ${period.value}${oldBudget !== undefined ? ` (was ${formatSeconds(oldBudget)})` : ""}`,
              ),
            before: oldBudget ?? null,
            after: budget,
            figures: {
              ...(oldBudget !== undefined ? { restartAfterSecondsBefore: oldBudget } : {}),
              restartAfterSeconds: budget,
              periodSeconds: period.value,
              failureThreshold: failures.value,
            },
            checklist: [
              `Confirm "${container.name}" never pauses (GC, slow dependency, CPU throttling) for ${formatSeconds(budget)} while healthy.`,
              "Confirm the liveness endpoint checks only the process itself, not its dependencies.",
            ],
          });
        }

        const timeout = probeField(probe, "timeoutSeconds");
        const oldTimeout =
          oldProbe?.kind === "map" ? probeField(oldProbe, "timeoutSeconds") : undefined;
        if (timeout?.value === 1 && oldTimeout !== undefined && oldTimeout.value > 1) {
          const fix =
            oldTimeout.value >= 3
              ? lineFix(file, timeout.line, [{ keys: ["timeoutSeconds"], value: oldTimeout.value }])
              : undefined;
          findings.push({
            ...(fix ? { fix } : {}),
            // Judgement: from 3 s or more the endpoint was known to be slow; 2 s → 1 s is a smaller step.
            severity: oldTimeout.value >= 3 ? "high" : "medium",
            line: timeout.line,
            path,
            message: `${where} now times a check out after 1 s (was ${formatSeconds(oldTimeout.value)}): a liveness endpoint slower than 1 s under load fails its checks and the container is restarted.${oldTimeout.value >= 3 ? safe(`keep timeoutSeconds ${oldTimeout.value}`) : ""}`,
            before: oldTimeout.value,
            after: 1,
            figures: { timeoutSecondsBefore: oldTimeout.value, timeoutSeconds: 1 },
            checklist: [
              `Confirm the liveness endpoint of "${container.name}" answers well within 1 s at peak load (p99).`,
            ],
          });
        }
      }
    }
    return findings;
  },
});
