import { child, entriesOf, itemsOf, scalarAt, type TreeNode } from "../../formats/tree.js";
import { formatPath, key } from "../../diff/path.js";
import type { Affinity } from "./affinity.js";
import type { DialectModel } from "./dialect-model.js";
import { numberAt, product, toNumber, withDefault, type Figure } from "./figures.js";
import type { HealthCheck } from "./health-check.js";

export interface CloudFormationResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: TreeNode | undefined;
  readonly line: number;
  readonly path: string;
}

export function cloudFormationResources(
  tree: TreeNode,
  types: readonly string[],
): CloudFormationResource[] {
  const documents = tree.kind === "list" ? tree.items : [tree];
  return documents.flatMap((document) =>
    entriesOf(child(document, "Resources")).flatMap(([logicalId, resource]) => {
      const type = scalarAt(resource, "Type");
      if (typeof type !== "string" || !types.includes(type)) return [];
      return [
        {
          logicalId,
          type,
          properties: child(resource, "Properties"),
          line: resource.line,
          path: formatPath([key("Resources"), key(logicalId)]),
        },
      ];
    }),
  );
}

/** `TargetGroupAttributes: [{ Key, Value }]` as a lookup with lines. */
export function targetGroupAttributes(
  properties: TreeNode | undefined,
): Map<string, { value: unknown; line: number }> {
  const attributes = new Map<string, { value: unknown; line: number }>();
  for (const entry of itemsOf(child(properties, "TargetGroupAttributes"))) {
    const name = scalarAt(entry, "Key");
    const value = child(entry, "Value");
    if (typeof name === "string") {
      attributes.set(name, {
        value: value?.kind === "scalar" ? value.value : undefined,
        line: value?.line ?? entry.line,
      });
    }
  }
  return attributes;
}

function property(
  properties: TreeNode | undefined,
  name: string,
  fallback: number | undefined,
  line: number,
): Figure | undefined {
  return withDefault(
    numberAt(properties, name),
    fallback,
    line,
    child(properties, name) !== undefined,
  );
}

// AWS API / CloudFormation defaults differ from Terraform's: interval 30 s (Lambda 35),
// healthy 5, unhealthy 2 (Lambda 5), timeout 6 s HTTP, 10 s otherwise, 30 s Lambda (LB-FACTS.md §1a, S1/S2).
function targetGroupChecks(tree: TreeNode): HealthCheck[] {
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
      const interval = property(p, "HealthCheckIntervalSeconds", lambda ? 35 : 30, line);
      const unhealthy = property(p, "UnhealthyThresholdCount", lambda ? 5 : 2, line);
      return [
        {
          key: resource.path,
          label: `target group ${resource.logicalId}`,
          provider: "aws-elbv2" as const,
          path: `${resource.path}.Properties`,
          line,
          intervalSeconds: interval,
          timeoutSeconds: property(
            p,
            "HealthCheckTimeoutSeconds",
            lambda ? 30 : protocol === "HTTP" ? 6 : 10,
            line,
          ),
          unhealthyThreshold: unhealthy,
          healthyThreshold: property(p, "HealthyThresholdCount", 5, line),
          ejectAfterSeconds: product(interval, unhealthy),
          timeoutRule: "below-interval" as const,
          defaultsSource: "AWS API defaults (interval 30 s, healthy 5, unhealthy 2)",
        },
      ];
    },
  );
}

function classicChecks(tree: TreeNode): HealthCheck[] {
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
// (describe-target-group-attributes, LB-FACTS.md §1b).
function targetGroupStickiness(tree: TreeNode): Affinity[] {
  return cloudFormationResources(tree, ["AWS::ElasticLoadBalancingV2::TargetGroup"]).map(
    (resource) => {
      const attributes = targetGroupAttributes(resource.properties);
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

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export const cloudFormationModel: DialectModel = {
  healthChecks: (tree) => [...targetGroupChecks(tree), ...classicChecks(tree)],
  affinities: targetGroupStickiness,
};
