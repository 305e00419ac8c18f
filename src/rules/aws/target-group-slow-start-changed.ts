import { formatSeconds, toNumber } from "../model/figures.js";
import { defineRule } from "../types.js";
import { keptPairsOf } from "../model/aws/elb-resources.js";
import { targetGroupsOf } from "../model/aws/target-groups.js";
import { settingChanges } from "../model/iac/setting-changes.js";
import { transitionFindings } from "../model/transitions.js";

/** Slow start ramps a new target's share of requests linearly (0 = off, 30–900 s; docs/lb-facts.md §1b). */
export default defineRule({
  id: "aws.target-group.slow-start-changed",
  family: "aws",
  title: "Target-group slow start changed",
  description:
    "`slow_start` (CloudFormation `slow_start.duration_seconds`) changes. Turning it off gives a new or " +
    "recovered target its full share of requests the moment it passes its checks, before caches and JIT " +
    "are warm (medium); turning it on or changing the ramp lengthens how long a deploy takes to shift load (low).",
  severity: "medium",
  params: {},
  dialects: ["terraform", "cloudformation"],
  check(file) {
    const changes = settingChanges(
      keptPairsOf(file, targetGroupsOf),
      (group) => group.slowStart,
      toNumber,
    );
    return transitionFindings(changes, ({ after, was, now }) => {
      const off = now === 0;
      return {
        severity: off ? "medium" : "low",
        message: off
          ? `${after.label} turns slow start off (was ${formatSeconds(was)}): a new or recovered target gets its full share of requests as soon as it passes its health checks.`
          : was === 0
            ? `${after.label} turns slow start on: new targets ramp up over ${formatSeconds(now)}, so each deploy takes that much longer to move load onto them.`
            : `${after.label} changes its slow-start ramp from ${formatSeconds(was)} to ${formatSeconds(now)}.`,
        before: was,
        after: now,
        figures: { slowStartSecondsBefore: was, slowStartSeconds: now },
        checklist: off
          ? [
              `Confirm the targets of ${after.label} serve at full speed right after start (warm caches, no JIT warm-up).`,
            ]
          : [
              `Confirm the existing targets can carry the load while new ones ramp up over ${formatSeconds(now)}.`,
            ],
      };
    });
  },
});
