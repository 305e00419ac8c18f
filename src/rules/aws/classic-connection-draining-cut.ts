import { formatSeconds, toNumber } from "../model/figures.js";
import { defineRule, type Detection } from "../types.js";
import { DRAIN_PARAMS, drainConsequence, drainCutSeverity } from "./drain.js";
import { keptLoadBalancers } from "./elb-model.js";
import { boolOf, valuesOf } from "./iac-settings.js";

/** Classic connection draining timeout (default 300 s, 1–3600 s; LB-FACTS.md §3). */
export default defineRule({
  id: "aws.classic.connection-draining-cut",
  family: "aws",
  title: "Classic load balancer connection-draining timeout cut",
  description:
    "`connection_draining_timeout` (CloudFormation `ConnectionDrainingPolicy.Timeout`, default 300 s) is lowered " +
    "while draining stays on: requests still running after the new timeout are cut when an instance leaves. " +
    "High below a floor, medium when at least halved, low otherwise.",
  severity: "high",
  params: DRAIN_PARAMS,
  dialects: ["terraform", "cloudformation"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of keptLoadBalancers(file.dialect, file.before, file.after)) {
      if (!after.classic || boolOf(before.connectionDraining) !== true) continue;
      if (boolOf(after.connectionDraining) !== true) continue; // turned off: the -off rule
      const values = valuesOf(before.connectionDrainingTimeout, after.connectionDrainingTimeout);
      const was = toNumber(values?.[0]);
      const now = toNumber(values?.[1]);
      if (was === undefined || now === undefined) continue;
      const severity = drainCutSeverity(was, now, params);
      if (!severity) continue;
      const setting = after.connectionDrainingTimeout;
      findings.push({
        severity,
        line: setting.line,
        path: setting.path ?? after.path,
        message:
          `${after.label}: connection-draining timeout cut from ${formatSeconds(was)} to ${formatSeconds(now)}: ` +
          `${drainConsequence(now, "an instance is deregistered")}.`,
        before: was,
        after: now,
        figures: { drainSecondsBefore: was, drainSeconds: now },
        checklist: [
          `Confirm the slowest requests ${after.label} serves finish within ${formatSeconds(now)}.`,
        ],
      });
    }
    return findings;
  },
});
