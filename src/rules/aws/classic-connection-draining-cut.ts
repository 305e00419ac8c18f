import { formatSeconds, toNumber } from "../model/figures.js";
import { defineRule, type Detection } from "../types.js";
import { keptLoadBalancers } from "../model/aws/load-balancers.js";
import { DRAIN_PARAMS, drainCutDetection } from "../model/drain-cut.js";
import { settingChanges } from "../model/iac/setting-changes.js";
import { boolOf } from "../model/iac/settings.js";

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
    for (const { before, after, was, now, line, path } of settingChanges(
      keptLoadBalancers(file.dialect, file.before, file.after),
      (lb) => lb.connectionDrainingTimeout,
      toNumber,
    )) {
      if (!after.classic || boolOf(before.connectionDraining) !== true) continue;
      if (boolOf(after.connectionDraining) !== true) continue; // turned off: the -off rule
      const finding = drainCutDetection(
        {
          label: after.label,
          was,
          now,
          line,
          path,
          setting: "connection-draining timeout",
          when: "an instance is deregistered",
          checklist: `Confirm the slowest requests ${after.label} serves finish within ${formatSeconds(now)}.`,
        },
        params,
      );
      if (finding) findings.push(finding);
    }
    return findings;
  },
});
