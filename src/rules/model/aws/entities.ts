// ELBv2 target groups and Classic load balancers from Terraform and CloudFormation as the cross-format
// entities: one HealthCheck per target group or Classic check, one Affinity (stickiness) per target group.
// Not derived from health-checks.ts (the aws rules' view): here checks pair by resource path (aws_alb_* apart
// from aws_lb_*), an unset Terraform timeout takes the provider's default (6/10/30 s) instead of being kept, and
// a CloudFormation check sits on the line of HealthCheckIntervalSeconds at `….Properties`: deriving moves findings.
import { child, scalarAt, type TreeNode } from "../../../formats/tree.js";
import type { Affinity } from "../affinity.js";
import { figureAt, numberAt, product, toNumber } from "../figures.js";
import type { HealthCheck } from "../health-check.js";
import { cloudFormationResources, keyValueSettings } from "../iac/cloudformation.js";
import { firstBlock, terraformResources } from "../iac/terraform.js";

// Defaults: hashicorp/terraform-provider-aws docs r/lb_target_group (docs/lb-facts.md §1a): interval 30,
// thresholds 3/3, timeout 6 s for HTTP, 10 s for HTTPS/TCP/TLS, 30 s for Lambda targets.
function terraformTargetGroupChecks(tree: TreeNode): HealthCheck[] {
  const out: HealthCheck[] = [];
  for (const resource of terraformResources(tree, [
    "aws_lb_target_group",
    "aws_alb_target_group",
  ])) {
    const block = firstBlock(resource.body, "health_check");
    if (scalarAt(block, "enabled") === false) continue;
    const line = block?.line ?? resource.line;
    const lambda = scalarAt(resource.body, "target_type") === "lambda";
    const protocol = String(
      scalarAt(block, "protocol") ?? scalarAt(resource.body, "protocol") ?? "HTTP",
    ).toUpperCase();
    const interval = figureAt(block, "interval", 30, line);
    const unhealthy = figureAt(block, "unhealthy_threshold", 3, line);
    out.push({
      key: resource.path,
      label: `target group "${resource.name}"`,
      provider: "aws-elbv2",
      path: block ? `${resource.path}.health_check` : resource.path,
      line,
      intervalSeconds: interval,
      timeoutSeconds: figureAt(block, "timeout", lambda ? 30 : protocol === "HTTP" ? 6 : 10, line),
      unhealthyThreshold: unhealthy,
      healthyThreshold: figureAt(block, "healthy_threshold", 3, line),
      ejectAfterSeconds: product(interval, unhealthy),
      timeoutRule: "below-interval",
      defaultsSource: "Terraform AWS provider defaults (interval 30 s, thresholds 3/3)",
    });
  }
  return out;
}

// Classic ELB: every health_check field is required (terraform-provider-aws r/elb).
function terraformClassicChecks(tree: TreeNode): HealthCheck[] {
  return terraformResources(tree, ["aws_elb"]).flatMap((resource) => {
    const block = firstBlock(resource.body, "health_check");
    if (!block) return [];
    const interval = numberAt(block, "interval");
    const unhealthy = numberAt(block, "unhealthy_threshold");
    return [
      {
        key: resource.path,
        label: `classic load balancer "${resource.name}"`,
        provider: "aws-elb" as const,
        path: `${resource.path}.health_check`,
        line: block.line,
        intervalSeconds: interval,
        timeoutSeconds: numberAt(block, "timeout"),
        unhealthyThreshold: unhealthy,
        healthyThreshold: numberAt(block, "healthy_threshold"),
        ejectAfterSeconds: product(interval, unhealthy),
        timeoutRule: "below-interval" as const,
      },
    ];
  });
}

// Stickiness block defaults: enabled true when the block is present, cookie_duration 86400 s
// (terraform-provider-aws r/lb_target_group; docs/lb-facts.md §1b). No block: stickiness off.
function terraformStickiness(tree: TreeNode): Affinity[] {
  return terraformResources(tree, ["aws_lb_target_group", "aws_alb_target_group"]).map(
    (resource) => {
      const block = firstBlock(resource.body, "stickiness");
      const line = block?.line ?? resource.line;
      const enabled = block !== undefined && scalarAt(block, "enabled") !== false;
      const type = scalarAt(block, "type");
      return {
        key: resource.path,
        label: `target group "${resource.name}"`,
        path: block ? `${resource.path}.stickiness` : resource.path,
        line,
        enabled,
        mode: typeof type === "string" ? type : undefined,
        cookieName: stringOrUndefined(scalarAt(block, "cookie_name")),
        durationSeconds:
          type === "source_ip"
            ? undefined
            : figureAt(block, "cookie_duration", block ? 86400 : undefined, line),
      };
    },
  );
}

// AWS API / CloudFormation defaults differ from Terraform's: interval 30 s (Lambda 35),
// healthy 5, unhealthy 2 (Lambda 5), timeout 6 s HTTP, 10 s otherwise, 30 s Lambda (docs/lb-facts.md §1a).
function cloudFormationTargetGroupChecks(tree: TreeNode): HealthCheck[] {
  return cloudFormationResources(tree, ["AWS::ElasticLoadBalancingV2::TargetGroup"]).flatMap(
    (resource) => {
      const p = resource.properties;
      if (
        scalarAt(p, "HealthCheckEnabled") === false ||
        scalarAt(p, "HealthCheckEnabled") === "false"
      )
        return [];
      const lambda = scalarAt(p, "TargetType") === "lambda";
      const protocol = String(
        scalarAt(p, "HealthCheckProtocol") ?? scalarAt(p, "Protocol") ?? "HTTP",
      ).toUpperCase();
      const line = child(p, "HealthCheckIntervalSeconds")?.line ?? p?.line ?? resource.line;
      const interval = figureAt(p, "HealthCheckIntervalSeconds", lambda ? 35 : 30, line);
      const unhealthy = figureAt(p, "UnhealthyThresholdCount", lambda ? 5 : 2, line);
      return [
        {
          key: resource.path,
          label: `target group ${resource.logicalId}`,
          provider: "aws-elbv2" as const,
          path: `${resource.path}.Properties`,
          line,
          intervalSeconds: interval,
          timeoutSeconds: figureAt(
            p,
            "HealthCheckTimeoutSeconds",
            lambda ? 30 : protocol === "HTTP" ? 6 : 10,
            line,
          ),
          unhealthyThreshold: unhealthy,
          healthyThreshold: figureAt(p, "HealthyThresholdCount", 5, line),
          ejectAfterSeconds: product(interval, unhealthy),
          timeoutRule: "below-interval" as const,
          defaultsSource: "AWS API defaults (interval 30 s, healthy 5, unhealthy 2)",
        },
      ];
    },
  );
}

function cloudFormationClassicChecks(tree: TreeNode): HealthCheck[] {
  return cloudFormationResources(tree, ["AWS::ElasticLoadBalancing::LoadBalancer"]).flatMap(
    (resource) => {
      const check = child(resource.properties, "HealthCheck");
      if (!check) return [];
      const interval = numberAt(check, "Interval");
      const unhealthy = numberAt(check, "UnhealthyThreshold");
      return [
        {
          key: resource.path,
          label: `classic load balancer ${resource.logicalId}`,
          provider: "aws-elb" as const,
          path: `${resource.path}.Properties.HealthCheck`,
          line: check.line,
          intervalSeconds: interval,
          timeoutSeconds: numberAt(check, "Timeout"),
          unhealthyThreshold: unhealthy,
          healthyThreshold: numberAt(check, "HealthyThreshold"),
          ejectAfterSeconds: product(interval, unhealthy),
          timeoutRule: "below-interval" as const,
        },
      ];
    },
  );
}

// Target group attributes: stickiness.enabled false by default; lb_cookie duration 86400 s
// (describe-target-group-attributes, docs/lb-facts.md §1b).
function cloudFormationStickiness(tree: TreeNode): Affinity[] {
  return cloudFormationResources(tree, ["AWS::ElasticLoadBalancingV2::TargetGroup"]).map(
    (resource) => {
      const attributes = attributeValues(child(resource.properties, "TargetGroupAttributes"));
      const enabledAttribute = attributes.get("stickiness.enabled");
      const enabled = enabledAttribute?.value === true || enabledAttribute?.value === "true";
      const type = attributes.get("stickiness.type");
      const mode = typeof type?.value === "string" ? type.value : enabled ? "lb_cookie" : undefined;
      const durationKey =
        mode === "app_cookie"
          ? "stickiness.app_cookie.duration_seconds"
          : "stickiness.lb_cookie.duration_seconds";
      const duration = attributes.get(durationKey);
      const durationValue = toNumber(duration?.value);
      const line = enabledAttribute?.line ?? resource.line;
      return {
        key: resource.path,
        label: `target group ${resource.logicalId}`,
        path: `${resource.path}.Properties.TargetGroupAttributes`,
        line,
        enabled,
        mode,
        cookieName: stringOrUndefined(attributes.get("stickiness.app_cookie.cookie_name")?.value),
        durationSeconds:
          mode === "source_ip"
            ? undefined
            : durationValue !== undefined
              ? { value: durationValue, line: duration!.line, explicit: true }
              : duration
                ? undefined
                : { value: 86400, line, explicit: false },
      };
    },
  );
}

/** A key/value list's scalar values, each on the line of its `Value` (else of its entry). */
function attributeValues(
  list: TreeNode | undefined,
): Map<string, { value: unknown; line: number }> {
  const out = new Map<string, { value: unknown; line: number }>();
  for (const [name, { node, line }] of keyValueSettings(list))
    out.set(name, {
      value: node?.kind === "scalar" ? node.value : undefined,
      line: node?.line ?? line,
    });
  return out;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Health checks of ELBv2 target groups and Classic load balancers in a Terraform file. */
export const awsTerraformHealthChecks = (tree: TreeNode): HealthCheck[] => [
  ...terraformTargetGroupChecks(tree),
  ...terraformClassicChecks(tree),
];

export const awsTerraformAffinities = terraformStickiness;

/** Health checks of ELBv2 target groups and Classic load balancers in a CloudFormation template. */
export const awsCloudFormationHealthChecks = (tree: TreeNode): HealthCheck[] => [
  ...cloudFormationTargetGroupChecks(tree),
  ...cloudFormationClassicChecks(tree),
];

export const awsCloudFormationAffinities = cloudFormationStickiness;
