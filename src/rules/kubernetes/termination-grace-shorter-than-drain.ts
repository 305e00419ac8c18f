import { key } from "../../diff/path.js";
import { child } from "../../formats/tree.js";
import { formatSeconds } from "../model/figures.js";
import { lineFix } from "../model/fix.js";
import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import {
  type DrainDelay,
  drainDelayFor,
  type Grace,
  graceOf,
} from "../model/kubernetes/draining.js";
import { objectsOf } from "../model/kubernetes/objects.js";
import {
  BATCH_KINDS,
  containerPorts,
  preStopOf,
  selectedWorkloads,
  type Workload,
  workloadPath,
  workloadsOf,
} from "../model/kubernetes/workloads.js";
import { keptPairsBy } from "../model/pairs.js";

function longestPreStop(workload: Workload): { seconds: number; line: number } | undefined {
  let longest: { seconds: number; line: number } | undefined;
  for (const container of workload.containers) {
    const hook = preStopOf(container);
    if (hook?.seconds !== undefined && (!longest || hook.seconds > longest.seconds))
      longest = { seconds: hook.seconds, line: hook.line };
  }
  return longest;
}

interface Shortfall {
  readonly severity: Severity;
  readonly reason: string;
  readonly line: number;
}

/**
 * Order at shutdown: preStop, then SIGTERM, then SIGKILL when the grace period ends (a one-off 2 s extension
 * if preStop overruns); endpoint removal happens at the same time (docs/lb-facts.md §P5a and
 * §P7 Draining). A grace period shorter than the load balancer's drain or the
 * preStop sleep kills pods that are still being sent requests or that never got to shut down.
 */
export default defineRule({
  id: "kubernetes.termination-grace.shorter-than-drain",
  family: "kubernetes",
  title: "Pod grace period shorter than the drain it must outlast",
  description:
    "After the change, a pod's terminationGracePeriodSeconds (default 30) is shorter than the deregistration delay of " +
    "an AWS load balancer that routes to it in the same file (high: the pod is killed while the load balancer still " +
    "drains it, cutting in-flight requests), or not longer than its preStop sleep (high: SIGTERM comes 2 s before " +
    "SIGKILL, so the app never shuts down cleanly); or the grace period is cut below a floor while a preStop sleep " +
    "shows the pod is meant to drain (medium); or the grace period is cut by `graceHighCutRatio` or more or below " +
    "`minGraceSeconds` (an added `terminationGracePeriodSeconds: 5` cuts the 30 s default 6×) on a workload that serves: " +
    "high when a Service in the file selects it or it declares container ports (a Service elsewhere may), medium when " +
    "it declares no port and no Service in the file selects it. Fires only when the change creates the shortfall or " +
    "shortens the grace period.",
  severity: "high",
  params: {
    // docs/risk.md "Draining is cut": a grace period cut by five times or more.
    graceHighCutRatio: {
      default: 0.2,
      description:
        "A grace period cut to this share of the old one or less (by 5× or more) is a sharp cut (seconds ratio).",
    },
    // Judgement (docs/risk.md "cut to near zero"): under 10 s an ordinary slow request outlives SIGTERM.
    minGraceSeconds: {
      default: 10,
      description:
        "A grace period cut below this (from at least this) is cut to near zero (seconds).",
    },
    // Judgement (docs/lb-facts.md §P7 Draining): the kubelet's default 30 s is the least a
    // pod that drains behind a load balancer should get.
    minGraceWithPreStopSeconds: {
      default: 30,
      description:
        "With a preStop sleep, grace periods cut below this are too short to drain (seconds).",
    },
  },
  dialects: ["kubernetes"],
  check(file, params) {
    const findings: Detection[] = [];
    const beforeObjects = objectsOf(file.before);
    const afterObjects = objectsOf(file.after);
    const beforeWorkloads = workloadsOf(beforeObjects);
    const afterWorkloads = workloadsOf(afterObjects);

    const shortfall = (
      grace: Grace,
      delay: DrainDelay | undefined,
      preStop: { seconds: number; line: number } | undefined,
    ): Shortfall | undefined => {
      if (delay && grace.seconds < delay.seconds)
        return {
          severity: "high",
          reason: `shorter than the ${formatSeconds(delay.seconds)} deregistration delay of ${delay.source}: the pod is killed while the load balancer still drains it, so requests in flight are cut. Safe: terminationGracePeriodSeconds: ${delay.seconds + 10} (the delay plus time to shut down)`,
          line: delay.line,
        };
      if (preStop && grace.seconds <= preStop.seconds)
        return {
          severity: "high",
          reason: `not longer than the ${formatSeconds(preStop.seconds)} preStop sleep: the app gets SIGTERM at most 2 s before SIGKILL and never shuts down cleanly. Safe: terminationGracePeriodSeconds: ${preStop.seconds + 30} (the sleep plus time to shut down)`,
          line: preStop.line,
        };
      return undefined;
    };

    for (const [old, workload] of keptPairsBy(
      beforeWorkloads,
      afterWorkloads,
      (w) => w.object.id,
    )) {
      if (BATCH_KINDS.has(workload.object.kind)) continue;
      const grace = graceOf(workload);
      const oldGrace = graceOf(old);
      if (!grace || !oldGrace) continue;
      const delay = drainDelayFor(workload, afterObjects, afterWorkloads);
      const oldDelay = drainDelayFor(old, beforeObjects, beforeWorkloads);
      const preStop = longestPreStop(workload);
      const now = shortfall(grace, delay, preStop);
      const was = shortfall(oldGrace, oldDelay, longestPreStop(old));
      const cut = grace.seconds < oldGrace.seconds;
      const sharp =
        cut &&
        (grace.seconds <= oldGrace.seconds * params.graceHighCutRatio ||
          (grace.seconds < params.minGraceSeconds && oldGrace.seconds >= params.minGraceSeconds));
      let finding: Shortfall | undefined;
      if (now && (!was || cut)) finding = now;
      else if (sharp) {
        // Who sends it requests: a Service of this file, or (ports declared) one elsewhere.
        const selected = afterObjects.some(
          (object) =>
            object.kind === "Service" &&
            selectedWorkloads(object, afterWorkloads).some(
              (w) => w.object.id === workload.object.id,
            ),
        );
        const serves = selected || containerPorts(workload).length > 0;
        finding = {
          severity: serves ? "high" : "medium",
          reason:
            `a ${Math.round(oldGrace.seconds / Math.max(grace.seconds, 1))}× cut` +
            (selected
              ? ": pods that a Service in this file sends requests to"
              : serves
                ? ": pods that declare ports, so a Service may send them requests,"
                : " on pods that declare no port and that no Service in this file selects, but that may still hold work,") +
            ` are killed ${formatSeconds(grace.seconds)} after SIGTERM, cutting requests still in flight` +
            (serves
              ? `. Safe: terminationGracePeriodSeconds: ${oldGrace.seconds} as before (at least the slowest request plus any preStop sleep)`
              : ""),
          line: grace.line,
        };
      } else if (cut && preStop && grace.seconds < params.minGraceWithPreStopSeconds)
        finding = {
          severity: "medium",
          reason: `below ${formatSeconds(params.minGraceWithPreStopSeconds)} while a ${formatSeconds(preStop.seconds)} preStop sleep shows the pod is meant to drain: little time is left to finish requests after SIGTERM`,
          line: grace.line,
        };
      if (!finding) continue;
      // A removed field reverts to the default: point at the line that was deleted.
      const graceLine = grace.explicit
        ? grace.line
        : (child(old.spec, "terminationGracePeriodSeconds")?.line ?? grace.line);
      const graceText = `${formatSeconds(grace.seconds)}${grace.explicit ? "" : " (the default)"}`;
      // A high cut of an explicit grace period: put the old value back on its line.
      const fix =
        finding.severity === "high" && cut && grace.explicit
          ? lineFix(file, grace.line, [
              { keys: ["terminationGracePeriodSeconds"], value: oldGrace.seconds },
            ])
          : undefined;
      findings.push({
        ...(fix ? { fix } : {}),
        severity: finding.severity,
        line: cut ? graceLine : finding.line,
        path: workloadPath(
          workload,
          ...workload.specSegments,
          key("terminationGracePeriodSeconds"),
        ),
        message:
          `${workload.object.label} gives its pods ${graceText} to terminate` +
          (cut ? ` (was ${formatSeconds(oldGrace.seconds)})` : "") +
          `, ${finding.reason}.`,
        // What moved: the grace period, else the deregistration delay raised past it.
        ...(!cut && delay && oldDelay && delay.seconds !== oldDelay.seconds
          ? { before: oldDelay.seconds, after: delay.seconds }
          : { before: oldGrace.seconds, after: grace.seconds }),
        figures: {
          terminationGraceSeconds: grace.seconds,
          terminationGraceSecondsBefore: oldGrace.seconds,
          ...(delay ? { deregistrationDelaySeconds: delay.seconds } : {}),
          ...(preStop ? { preStopSleepSeconds: preStop.seconds } : {}),
        },
        checklist: [
          `Confirm the pods of ${workload.object.label} finish their longest request within ${formatSeconds(grace.seconds)} of being taken out of the load balancer.`,
        ],
      });
    }
    return findings;
  },
});
