import { formatSeconds, toNumber } from "../model/figures.js";
import { defineRule } from "../types.js";
import { keptPairsOf } from "../model/aws/elb-resources.js";
import { targetGroupsOf } from "../model/aws/target-groups.js";
import { DRAIN_PARAMS, drainCutVerdict } from "../model/drain-cut.js";
import { settingChanges } from "../model/iac/setting-changes.js";
import { stringOf } from "../model/iac/settings.js";
import { transitionFindings } from "../model/transitions.js";
import { withRestoreFix } from "../model/fix.js";

/** The deregistration delay is how long a draining target may finish its requests (docs/lb-facts.md §1b). */
export default defineRule({
  id: "aws.target-group.deregistration-delay-cut",
  family: "aws",
  title: "Target-group deregistration delay cut",
  description:
    "`deregistration_delay` (CloudFormation `deregistration_delay.timeout_seconds`, default 300 s) is lowered. " +
    "When a target is deregistered (deploy, scale-in, replacement) requests still running after the new delay " +
    "are cut. High when it drops to 0 or below a floor, medium when at least halved, low otherwise.",
  severity: "high",
  params: DRAIN_PARAMS,
  dialects: ["terraform", "cloudformation"],
  check(file, params) {
    const changes = settingChanges(
      keptPairsOf(file, targetGroupsOf),
      (group) => group.deregistrationDelay,
      toNumber,
    );
    const found = transitionFindings(changes, ({ after, was, now }) => {
      if (stringOf(after.targetType) === "lambda") return undefined; // no deregistration delay for Lambda
      return drainCutVerdict(
        {
          label: after.label,
          was,
          now,
          setting: "deregistration delay",
          when: "a target starts draining (deploy, scale-in)",
          checklist: `Confirm the slowest requests ${after.label} serves (uploads, reports, long polls, WebSockets) finish within ${formatSeconds(now)}.`,
        },
        params,
      );
    });
    return found.map((detection) =>
      withRestoreFix(file, detection, ["deregistration_delay", "Value"]),
    );
  },
});
