import { formatSeconds } from "../model/figures.js";
import { defineRule, type Detection } from "../types.js";
import { DRAIN_PARAMS, drainConsequence, drainCutSeverity } from "./drain.js";
import { keptPairs, targetGroupsOf } from "./elb-model.js";
import { stringOf, valuesOf } from "./iac-settings.js";
import { toNumber } from "../model/figures.js";

/** The deregistration delay is how long a draining target may finish its requests (LB-FACTS.md §1b). */
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
    const findings: Detection[] = [];
    for (const [before, after] of keptPairs(
      targetGroupsOf(file.dialect, file.before),
      targetGroupsOf(file.dialect, file.after),
    )) {
      if (stringOf(after.targetType) === "lambda") continue; // no deregistration delay for Lambda
      const values = valuesOf(before.deregistrationDelay, after.deregistrationDelay);
      const was = toNumber(values?.[0]);
      const now = toNumber(values?.[1]);
      if (was === undefined || now === undefined) continue;
      const severity = drainCutSeverity(was, now, params);
      if (!severity) continue;
      const setting = after.deregistrationDelay;
      findings.push({
        severity,
        line: setting.line,
        path: setting.path ?? after.path,
        message:
          `${after.label}: deregistration delay cut from ${formatSeconds(was)} to ${formatSeconds(now)}: ` +
          `${drainConsequence(now, "a target starts draining (deploy, scale-in)")}.`,
        before: was,
        after: now,
        figures: { drainSecondsBefore: was, drainSeconds: now },
        checklist: [
          `Confirm the slowest requests ${after.label} serves (uploads, reports, long polls, WebSockets) finish within ${formatSeconds(now)}.`,
        ],
      });
    }
    return findings;
  },
});
