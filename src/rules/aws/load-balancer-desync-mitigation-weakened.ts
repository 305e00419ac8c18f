import { defineRule } from "../types.js";
import { loadBalancerChanges } from "../model/aws/load-balancers.js";
import { lowerCase } from "../model/iac/setting-changes.js";
import { transitionFindings } from "../model/transitions.js";
import { safe } from "../model/advice.js";
import { withRestoreFix } from "../model/fix.js";

/** monitor < defensive (default) < strictest (docs/lb-facts.md §2). */
const RANK: Record<string, number> = { monitor: 0, defensive: 1, strictest: 2 };

/** Desync mitigation decides which ambiguous (smuggling-prone) requests reach the targets. */
export default defineRule({
  id: "aws.load-balancer.desync-mitigation-weakened",
  family: "aws",
  title: "HTTP desync mitigation weakened",
  description:
    "`desync_mitigation_mode` (CloudFormation `routing.http.desync_mitigation_mode`, default defensive) moves " +
    "down: to monitor, ambiguous requests that enable HTTP request smuggling are forwarded to the targets (high); " +
    "from strictest to defensive, some of them are (medium).",
  severity: "high",
  params: {},
  dialects: ["terraform", "cloudformation"],
  check(file) {
    const changes = loadBalancerChanges(file, (lb) => lb.desyncMode, lowerCase);
    const found = transitionFindings(changes, ({ after, was, now }) => {
      const rankWas = RANK[was];
      const rankNow = RANK[now];
      if (rankWas === undefined || rankNow === undefined || rankNow >= rankWas) return undefined;
      return {
        severity: now === "monitor" ? "high" : "medium",
        message:
          now === "monitor"
            ? `${after.label} desync mitigation goes from ${was} to monitor: ambiguous requests used for HTTP request smuggling are passed to the targets instead of being blocked.${safe(`keep desync_mitigation_mode = "${was}" (or "defensive")`)}`
            : `${after.label} desync mitigation goes from ${was} to ${now}: some ambiguous requests are now forwarded to the targets.`,
        before: was,
        after: now,
        checklist: [
          `Confirm why ${after.label} needs a weaker mode, and that the targets reject ambiguous requests themselves.`,
        ],
      };
    });
    return found.map((detection) =>
      withRestoreFix(file, detection, ["desync_mitigation_mode", "Value"]),
    );
  },
});
