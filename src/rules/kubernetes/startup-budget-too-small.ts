import { key } from "../../diff/path.js";
import { child } from "../../formats/tree.js";
import { formatSeconds } from "../model/figures.js";
import { defineRule, type Detection } from "../types.js";
import { changedFieldLine, failureBudget, probeField } from "../model/kubernetes/probes.js";
import { containerNamed, keptWorkloads, workloadPath } from "../model/kubernetes/workloads.js";
import { safe } from "../model/advice.js";
import { lineFix } from "../model/fix.js";

/**
 * A startupProbe's failureThreshold × periodSeconds must cover the worst-case start; liveness and
 * readiness wait for it. Too small, and the container is killed before it has started
 * (docs/lb-facts.md §P5a).
 */
export default defineRule({
  id: "kubernetes.startup.budget-too-small",
  family: "kubernetes",
  title: "Startup budget cut below the time the container needs to start",
  description:
    "A startupProbe's budget (failureThreshold × periodSeconds) is cut below a floor (high) or to half or less " +
    "(medium); or the startupProbe is removed while the livenessProbe, which then applies from the start, gives " +
    "up sooner (initialDelaySeconds + failureThreshold × periodSeconds) than the old startup budget (high). " +
    "A slow start (cold cache, migrations, a loaded node) then ends in a restart loop.",
  severity: "high",
  params: {
    // Judgement: the kubelet's default budget is 3 × 10 s = 30 s (docs/lb-facts.md §P5a); a startupProbe
    // that allows less gives slow starters nothing.
    minStartupSeconds: {
      default: 30,
      description:
        "Startup budgets below this are too small for a container that needed a startupProbe (seconds).",
    },
  },
  dialects: ["kubernetes"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of keptWorkloads(file.before, file.after)) {
      for (const oldContainer of before.containers) {
        const container = containerNamed(after, oldContainer);
        if (!container) continue;
        const oldProbe = child(oldContainer.body, "startupProbe");
        const oldBudget = failureBudget(oldProbe);
        if (oldBudget === undefined) continue;
        const probe = child(container.body, "startupProbe");
        const where = `container "${container.name}" in ${after.object.label}`;
        if (probe) {
          const budget = failureBudget(probe);
          if (budget === undefined || budget >= oldBudget) continue;
          const belowFloor = budget < params.minStartupSeconds;
          if (!belowFloor && budget > oldBudget / 2) continue;
          const period = probeField(probe, "periodSeconds")?.value ?? 10;
          const failures = probeField(probe, "failureThreshold");
          const needed = Math.ceil(params.minStartupSeconds / period);
          const fix =
            belowFloor && failures?.explicit
              ? lineFix(file, failures.line, [{ keys: ["failureThreshold"], value: needed }])
              : undefined;
          findings.push({
            ...(fix ? { fix } : {}),
            severity: belowFloor ? "high" : "medium",
            line: changedFieldLine(probe, oldProbe, ["failureThreshold", "periodSeconds"]),
            path: workloadPath(after, ...container.segments, key("startupProbe")),
            message:
              `startupProbe of ${where} now allows ${formatSeconds(budget)} to start (was ${formatSeconds(oldBudget)})` +
              (belowFloor ? `, below the ${formatSeconds(params.minStartupSeconds)} floor` : "") +
              `: a start slower than ${formatSeconds(budget)} is killed and restarted, and may never finish.` +
              (belowFloor
                ? safe(
                    `keep the startup budget ≥ ${formatSeconds(params.minStartupSeconds)}: failureThreshold ${needed} × periodSeconds ${period} (was ${formatSeconds(oldBudget)})`,
                  )
                : ""),
            before: oldBudget,
            after: budget,
            figures: { startupBudgetSecondsBefore: oldBudget, startupBudgetSeconds: budget },
            checklist: [
              `Confirm "${container.name}" starts within ${formatSeconds(budget)} at its slowest (cold start, migrations, a busy node).`,
            ],
          });
          continue;
        }
        const liveness = child(container.body, "livenessProbe");
        if (liveness?.kind !== "map") continue;
        const delay = probeField(liveness, "initialDelaySeconds");
        const budget = failureBudget(liveness);
        if (!delay || budget === undefined) continue;
        const untilRestart = delay.value + budget;
        if (untilRestart >= oldBudget) continue;
        findings.push({
          severity: "high",
          line: oldProbe!.line,
          path: workloadPath(before, ...oldContainer.segments, key("startupProbe")),
          message:
            `startupProbe removed from ${where}: the livenessProbe now applies from the start and restarts the container ` +
            `after ${formatSeconds(untilRestart)} (initialDelaySeconds ${delay.value} + ${formatSeconds(budget)} of failed checks), ` +
            `where the startupProbe allowed ${formatSeconds(oldBudget)}: a slow start ends in a restart loop.` +
            safe(
              `keep the startupProbe of "${container.name}" (${formatSeconds(oldBudget)} to start)`,
            ),
          before: oldBudget,
          after: untilRestart,
          figures: { startupBudgetSecondsBefore: oldBudget, restartAfterSeconds: untilRestart },
          checklist: [
            `Confirm "${container.name}" always starts within ${formatSeconds(untilRestart)}, or raise the livenessProbe's initialDelaySeconds.`,
          ],
        });
      }
    }
    return findings;
  },
});
