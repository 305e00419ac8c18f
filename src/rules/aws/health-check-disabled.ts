import { defineRule, type Detection } from "../types.js";
import { keptPairsOf } from "../model/aws/elb-resources.js";
import { elbHealthChecksOf } from "../model/aws/health-checks.js";
import { boolOf, stringOf } from "../model/iac/settings.js";

/**
 * "If the target type is lambda, health checks are disabled by default but can be enabled. If the
 * target type is instance, ip, or alb, health checks are always enabled and can't be disabled."
 * (CreateTargetGroup API, HealthCheckEnabled.) So turning them off is a deploy problem or a no-op,
 * except on Lambda groups, whose single target gets traffic either way.
 */
export default defineRule({
  id: "aws.health-check.disabled",
  family: "aws",
  title: "Target-group health check turned off",
  description:
    "A target group's health check goes from enabled to disabled. AWS documents that instance, ip and alb " +
    "target groups cannot disable health checks, so the change is rejected or ignored (medium: the reviewed " +
    "value is not what runs); on a Lambda group it only stops checking the function (low).",
  severity: "medium",
  params: {},
  dialects: ["terraform", "cloudformation"],
  check(file) {
    const findings: Detection[] = [];
    for (const [before, after] of keptPairsOf(file, elbHealthChecksOf)) {
      if (after.provider !== "elbv2" || after.enabled.kind !== "literal") continue;
      if (boolOf(after.enabled) !== false || boolOf(before.enabled) !== true) continue;
      const targetType = stringOf(after.targetType);
      const lambda = targetType === "lambda";
      findings.push({
        severity: lambda ? "low" : "medium",
        line: after.enabled.line,
        path: after.enabled.path ?? after.path,
        message: lambda
          ? `${after.label} stops health-checking its Lambda function: the load balancer invokes it whether or not it works.`
          : `${after.label} turns its health check off, but AWS documents that ${targetType ?? "instance, ip and alb"} ` +
            "target groups cannot disable health checks: expect the deploy to fail, or the check to stay on.",
        before: true,
        after: false,
        checklist: lambda
          ? [
              `Confirm errors from the function of ${after.label} are caught by alarms rather than health checks.`,
            ]
          : [
              `Keep the health check of ${after.label} and tune it (interval, thresholds, matcher) instead of disabling it.`,
            ],
      });
    }
    return findings;
  },
});
