import { defineRule, type Detection } from "../types.js";
import {
  elbHealthChecksOf,
  type HealthCheckSettings,
  type HealthField,
} from "../model/aws/health-checks.js";
import { numberOf, valueOf } from "../model/iac/settings.js";
import { withPrevious } from "../model/pairs.js";
import { CHECK_LIMITS, type CheckLimits } from "../model/limits.js";

type Range = readonly [min: number, max: number];

/** The ranges of docs/lb-facts.md "Product limits the advice respects" (§1a ELBv2, §3 Classic), as this rule reads them. */
function rangesOf(limits: CheckLimits): Partial<Record<HealthField, Range>> {
  const pair = (range: { min: number; max?: number } | undefined): Range | undefined =>
    range?.max === undefined ? undefined : [range.min, range.max];
  return {
    interval: pair(limits.interval),
    timeout: pair(limits.timeout),
    healthyThreshold: pair(limits.healthyThreshold),
    unhealthyThreshold: pair(limits.unhealthyThreshold),
  };
}

const ELBV2 = rangesOf(CHECK_LIMITS["aws-elbv2"]!);
const CLASSIC = rangesOf(CHECK_LIMITS["aws-elb"]!);

const UNIT: Partial<Record<HealthField, string>> = { interval: " s", timeout: " s" };

/** A figure AWS rejects fails the apply (terraform plan validation, or the CloudFormation update). */
export default defineRule({
  id: "aws.health-check.out-of-range",
  family: "aws",
  title: "Health-check figure outside the range AWS accepts",
  description:
    "A target-group or Classic load-balancer health check sets an interval, timeout or threshold outside the " +
    "documented range (ELBv2: interval 5–300 s, timeout 2–120 s, thresholds 2–10; Classic: timeout 2–60 s). " +
    "AWS (or Terraform's validation) rejects it, so the deploy will fail.",
  severity: "medium",
  params: {},
  dialects: ["terraform", "cloudformation"],
  check(file) {
    const findings: Detection[] = [];
    for (const [previous, check] of withPrevious(
      elbHealthChecksOf(file.dialect, file.before),
      elbHealthChecksOf(file.dialect, file.after),
    )) {
      const ranges = check.provider === "classic" ? CLASSIC : ELBV2;
      for (const [field, range] of Object.entries(ranges) as [HealthField, Range | undefined][]) {
        if (!range) continue;
        const finding = judge(check, previous, field, range);
        if (finding) findings.push(finding);
      }
    }
    return findings;
  },
});

function judge(
  check: HealthCheckSettings,
  previous: HealthCheckSettings | undefined,
  field: HealthField,
  [min, max]: Range,
): Detection | undefined {
  const setting = check[field];
  const value = numberOf(setting);
  if (setting.kind !== "literal" || value === undefined || (value >= min && value <= max))
    return undefined;
  // Not introduced by this change: the same value was already there.
  if (previous && valueOf(previous[field]) === valueOf(setting)) return undefined;
  const unit = UNIT[field] ?? "";
  const name = check.names[field];
  return {
    severity: "medium",
    line: setting.line,
    path: setting.path ?? check.path,
    message:
      `${check.label} sets ${name} to ${value}${unit}, outside the ${min}–${max}${unit} AWS accepts: ` +
      "the deploy will fail.",
    before: previous ? (numberOf(previous[field]) ?? null) : null,
    after: value,
    figures: { value, min, max },
    checklist: [`Set ${name} of ${check.label} within ${min}–${max}${unit}.`],
  };
}
