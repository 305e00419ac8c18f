import { formatSeconds } from "../model/figures.js";
import { defineRule } from "../types.js";
import { loadBalancerChanges } from "../model/aws/load-balancers.js";
import { numberOf, toBool } from "../model/iac/settings.js";
import { transitionFindings, turnedOff } from "../model/transitions.js";
import { safe } from "../model/advice.js";
import { withRestoreFix } from "../model/fix.js";

/** Without connection draining a Classic ELB drops an instance's open requests when it leaves (docs/lb-facts.md §3). */
export default defineRule({
  id: "aws.classic.connection-draining-off",
  family: "aws",
  title: "Classic load balancer connection draining turned off",
  description:
    "`connection_draining` (CloudFormation `ConnectionDrainingPolicy.Enabled`, default false) goes from on to off: " +
    "when an instance is deregistered or fails its checks, its open requests are cut at once instead of " +
    "being allowed to finish.",
  severity: "high",
  params: {},
  dialects: ["terraform", "cloudformation"],
  check(file) {
    const changes = loadBalancerChanges(file, (lb) => lb.connectionDraining, toBool);
    const found = transitionFindings(changes, (change) => {
      const { before, after } = change;
      if (!after.classic || !turnedOff(change)) return undefined;
      const timeout = numberOf(before.connectionDrainingTimeout);
      return {
        severity: "high",
        message:
          `${after.label} turns connection draining off${timeout !== undefined ? ` (it allowed ${formatSeconds(timeout)})` : ""}: ` +
          "requests in flight on an instance that is deregistered or replaced are cut at once." +
          safe(
            `keep \`connection_draining = true\`${timeout !== undefined ? ` (timeout ${timeout} s as before)` : ""}`,
          ),
        before: true,
        after: false,
        checklist: [
          `Keep connection draining on for ${after.label}, or confirm instances only leave it when idle.`,
        ],
      };
    });
    return found.map((detection) =>
      withRestoreFix(file, detection, ["connection_draining", "Enabled"]),
    );
  },
});
