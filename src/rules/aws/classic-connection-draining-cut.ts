import { formatSeconds, toNumber } from "../model/figures.js";
import { defineRule } from "../types.js";
import { loadBalancerChanges } from "../model/aws/load-balancers.js";
import { DRAIN_PARAMS, drainCutVerdict } from "../model/drain-cut.js";
import { boolOf } from "../model/iac/settings.js";
import { transitionFindings } from "../model/transitions.js";
import { withRestoreFix } from "../model/fix.js";

/** Classic connection draining timeout (default 300 s, 1–3600 s; docs/lb-facts.md §3). */
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
    const changes = loadBalancerChanges(file, (lb) => lb.connectionDrainingTimeout, toNumber);
    const found = transitionFindings(changes, ({ before, after, was, now }) => {
      if (!after.classic || boolOf(before.connectionDraining) !== true) return undefined;
      if (boolOf(after.connectionDraining) !== true) return undefined; // turned off: the -off rule
      return drainCutVerdict(
        {
          label: after.label,
          was,
          now,
          setting: "connection-draining timeout",
          when: "an instance is deregistered",
          checklist: `Confirm the slowest requests ${after.label} serves finish within ${formatSeconds(now)}.`,
        },
        params,
      );
    });
    return found.map((detection) =>
      withRestoreFix(file, detection, ["connection_draining_timeout", "Timeout"]),
    );
  },
});
