import { defineRule, type Detection } from "../types.js";
import { loadBalancersOf } from "../model/aws/load-balancers.js";
import { targetGroupsOf } from "../model/aws/target-groups.js";
import { numberOf, type Setting, stringOf, valuesOf } from "../model/iac/settings.js";
import { withPrevious } from "../model/pairs.js";

interface Limit {
  readonly setting: Setting;
  readonly before: Setting | undefined;
  readonly label: string;
  readonly name: string;
  readonly valid: (value: number) => boolean;
  readonly range: string;
}

/**
 * Documented ranges (docs/lb-facts.md §1b, §2, §3): deregistration_delay 0–3600 s; slow_start 0 or 30–900 s
 * (terraform-provider-aws validation); ALB idle_timeout 1–4000 s; Classic connection-draining timeout
 * 1–3600 s and CloudFormation ConnectionSettings.IdleTimeout 1–3600 s.
 */
export default defineRule({
  id: "aws.attribute.out-of-range",
  family: "aws",
  title: "Load-balancer attribute outside the range AWS accepts",
  description:
    "A target-group or load-balancer attribute is set outside its documented range (deregistration delay " +
    "0–3600 s, slow start 0 or 30–900 s, ALB idle timeout 1–4000 s, Classic draining timeout 1–3600 s): " +
    "AWS or Terraform rejects it and the deploy will fail.",
  severity: "medium",
  params: {},
  dialects: ["terraform", "cloudformation"],
  check(file) {
    const limits: Limit[] = [];
    for (const [previous, group] of withPrevious(
      targetGroupsOf(file.dialect, file.before),
      targetGroupsOf(file.dialect, file.after),
    )) {
      limits.push(
        {
          setting: group.deregistrationDelay,
          before: previous?.deregistrationDelay,
          label: group.label,
          name: group.names.deregistrationDelay,
          valid: (v) => v >= 0 && v <= 3600,
          range: "0–3600 s",
        },
        {
          setting: group.slowStart,
          before: previous?.slowStart,
          label: group.label,
          name: group.names.slowStart,
          valid: (v) => v === 0 || (v >= 30 && v <= 900),
          range: "0 (off) or 30–900 s",
        },
      );
    }
    for (const [previous, lb] of withPrevious(
      loadBalancersOf(file.dialect, file.before),
      loadBalancersOf(file.dialect, file.after),
    )) {
      if (!lb.classic && stringOf(lb.lbType) === "application") {
        limits.push({
          setting: lb.idleTimeout,
          before: previous?.idleTimeout,
          label: lb.label,
          name: lb.names.idleTimeout,
          valid: (v) => v >= 1 && v <= 4000,
          range: "1–4000 s",
        });
      }
      if (lb.classic) {
        limits.push({
          setting: lb.connectionDrainingTimeout,
          before: previous?.connectionDrainingTimeout,
          label: lb.label,
          name: lb.names.connectionDrainingTimeout,
          valid: (v) => v >= 1 && v <= 3600,
          range: "1–3600 s",
        });
        if (lb.dialect === "cloudformation") {
          limits.push({
            setting: lb.idleTimeout,
            before: previous?.idleTimeout,
            label: lb.label,
            name: lb.names.idleTimeout,
            valid: (v) => v >= 1 && v <= 3600,
            range: "1–3600 s",
          });
        }
      }
    }
    return limits.flatMap((limit) => judge(limit));
  },
});

function judge(limit: Limit): Detection[] {
  const { setting } = limit;
  const value = numberOf(setting);
  if (setting.kind !== "literal" || value === undefined || limit.valid(value)) return [];
  if (limit.before && valuesOf(limit.before, limit.before)?.[0] === setting.value) return [];
  return [
    {
      severity: "medium",
      line: setting.line,
      path: setting.path,
      message: `${limit.label} sets ${limit.name} to ${value}, outside the ${limit.range} AWS accepts: the deploy will fail.`,
      before: limit.before ? (numberOf(limit.before) ?? null) : null,
      after: value,
      figures: { value },
      checklist: [`Set ${limit.name} of ${limit.label} within ${limit.range}.`],
    },
  ];
}
