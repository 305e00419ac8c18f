import { at, child, entriesOf, itemsOf, scalarAt, type TreeNode } from "../../formats/tree.js";
import { formatPath, key } from "../../diff/path.js";
import type { Affinity } from "./affinity.js";
import type { DialectModel } from "./dialect-model.js";
import { numberAt, product, withDefault, type Figure } from "./figures.js";
import type { HealthCheck } from "./health-check.js";

export interface TerraformResource {
  readonly type: string;
  readonly name: string;
  readonly body: TreeNode;
  readonly line: number;
  readonly path: string;
}

/** Every `resource "TYPE" "NAME"` of the given types. */
export function terraformResources(tree: TreeNode, types: readonly string[]): TerraformResource[] {
  const out: TerraformResource[] = [];
  for (const type of types) {
    for (const [name, body] of entriesOf(at(tree, "resource", type))) {
      for (const instance of itemsOf(body)) {
        out.push({
          type,
          name,
          body: instance,
          line: instance.line,
          path: formatPath([key("resource"), key(type), key(name)]),
        });
      }
    }
  }
  return out;
}

/** A nested block written once (map) or several times (list): the first one. */
export function firstBlock(body: TreeNode, name: string): TreeNode | undefined {
  return itemsOf(child(body, name))[0];
}

const has = (node: TreeNode | undefined, name: string): boolean => child(node, name) !== undefined;

function figure(
  block: TreeNode | undefined,
  name: string,
  fallback: number | undefined,
  line: number,
): Figure | undefined {
  return withDefault(numberAt(block, name), fallback, line, has(block, name));
}

// Defaults: hashicorp/terraform-provider-aws docs r/lb_target_group (LB-FACTS.md §1a): interval 30,
// thresholds 3/3, timeout 6 s for HTTP, 10 s for HTTPS/TCP/TLS, 30 s for Lambda targets.
function awsTargetGroupChecks(tree: TreeNode): HealthCheck[] {
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
    const interval = figure(block, "interval", 30, line);
    const unhealthy = figure(block, "unhealthy_threshold", 3, line);
    out.push({
      key: resource.path,
      label: `target group "${resource.name}"`,
      provider: "aws-elbv2",
      path: block ? `${resource.path}.health_check` : resource.path,
      line,
      intervalSeconds: interval,
      timeoutSeconds: figure(block, "timeout", lambda ? 30 : protocol === "HTTP" ? 6 : 10, line),
      unhealthyThreshold: unhealthy,
      healthyThreshold: figure(block, "healthy_threshold", 3, line),
      ejectAfterSeconds: product(interval, unhealthy),
      timeoutRule: "below-interval",
      defaultsSource: "Terraform AWS provider defaults (interval 30 s, thresholds 3/3)",
    });
  }
  return out;
}

// Classic ELB: every health_check field is required (terraform-provider-aws r/elb).
function awsClassicChecks(tree: TreeNode): HealthCheck[] {
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

// GCP: check_interval_sec 5, timeout_sec 5, thresholds 2/2; timeout may not exceed the interval
// (Compute API HealthCheck field docs, LB-FACTS.md §5a).
function gcpChecks(tree: TreeNode): HealthCheck[] {
  const types = [
    "google_compute_health_check",
    "google_compute_region_health_check",
    "google_compute_http_health_check",
    "google_compute_https_health_check",
  ];
  return terraformResources(tree, types).map((resource) => {
    const interval = figure(resource.body, "check_interval_sec", 5, resource.line);
    const unhealthy = figure(resource.body, "unhealthy_threshold", 2, resource.line);
    return {
      key: resource.path,
      label: `health check "${resource.name}"`,
      provider: "gcp" as const,
      path: resource.path,
      line: resource.line,
      intervalSeconds: interval,
      timeoutSeconds: figure(resource.body, "timeout_sec", 5, resource.line),
      unhealthyThreshold: unhealthy,
      healthyThreshold: figure(resource.body, "healthy_threshold", 2, resource.line),
      ejectAfterSeconds: product(interval, unhealthy),
      timeoutRule: "at-most-interval" as const,
      defaultsSource: "GCP Compute API defaults (5 s, 5 s, 2/2)",
    };
  });
}

// Azure LB probe: interval 15 s; probe_threshold 1 replaces the legacy number_of_probes
// (terraform-provider-azurerm r/lb_probe, LB-FACTS.md §6a). No timeout field.
function azureChecks(tree: TreeNode): HealthCheck[] {
  const probes: HealthCheck[] = terraformResources(tree, ["azurerm_lb_probe"]).map((resource) => {
    const interval = figure(resource.body, "interval_in_seconds", 15, resource.line);
    const threshold = figure(resource.body, "probe_threshold", 1, resource.line);
    return {
      key: resource.path,
      label: `load balancer probe "${resource.name}"`,
      provider: "azure" as const,
      path: resource.path,
      line: resource.line,
      intervalSeconds: interval,
      unhealthyThreshold: threshold,
      ejectAfterSeconds: product(interval, threshold),
      timeoutRule: "none" as const,
      defaultsSource: "azurerm defaults (interval 15 s, probe_threshold 1)",
    };
  });
  // Application Gateway probes: interval, timeout and unhealthy_threshold are required.
  for (const gateway of terraformResources(tree, ["azurerm_application_gateway"])) {
    for (const probe of itemsOf(child(gateway.body, "probe"))) {
      const name = String(scalarAt(probe, "name") ?? probe.line);
      const interval = numberAt(probe, "interval");
      const unhealthy = numberAt(probe, "unhealthy_threshold");
      probes.push({
        key: `${gateway.path}.probe[name=${name}]`,
        label: `probe "${name}" of application gateway "${gateway.name}"`,
        provider: "azure",
        path: `${gateway.path}.probe[name=${name}]`,
        line: probe.line,
        intervalSeconds: interval,
        timeoutSeconds: numberAt(probe, "timeout"),
        unhealthyThreshold: unhealthy,
        ejectAfterSeconds: product(interval, unhealthy),
        timeoutRule: "none",
      });
    }
  }
  return probes;
}

// Stickiness block defaults: enabled true when the block is present, cookie_duration 86400 s
// (terraform-provider-aws r/lb_target_group; LB-FACTS.md §1b). No block: stickiness off.
function awsStickiness(tree: TreeNode): Affinity[] {
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
            : figure(block, "cookie_duration", block ? 86400 : undefined, line),
      };
    },
  );
}

// GCP backend services: session_affinity NONE by default; affinity_cookie_ttl_sec 0 = session cookie.
function gcpAffinity(tree: TreeNode): Affinity[] {
  return terraformResources(tree, [
    "google_compute_backend_service",
    "google_compute_region_backend_service",
  ]).flatMap((resource) => {
    // An expression (`var.affinity`) is unknowable: no entity, so no rule judges it.
    if (isExpression(child(resource.body, "session_affinity"))) return [];
    const mode = String(scalarAt(resource.body, "session_affinity") ?? "NONE");
    const ttl = numberAt(resource.body, "affinity_cookie_ttl_sec");
    return {
      key: resource.path,
      label: `backend service "${resource.name}"`,
      path: resource.path,
      line: child(resource.body, "session_affinity")?.line ?? resource.line,
      enabled: mode !== "NONE",
      mode,
      durationSeconds: ttl && ttl.value > 0 ? ttl : undefined,
    };
  });
}

// Azure LB rules: load_distribution "Default" is a 5-tuple hash (no affinity).
function azureAffinity(tree: TreeNode): Affinity[] {
  return terraformResources(tree, ["azurerm_lb_rule"]).flatMap((resource) => {
    if (isExpression(child(resource.body, "load_distribution"))) return [];
    const written = String(scalarAt(resource.body, "load_distribution") ?? "Default");
    // The portal names (None, Client IP, Client IP and Protocol) are accepted aliases (S27).
    const mode = AZURE_DISTRIBUTION_ALIASES[written.toLowerCase()] ?? written;
    return {
      key: resource.path,
      label: `load balancer rule "${resource.name}"`,
      path: resource.path,
      line: child(resource.body, "load_distribution")?.line ?? resource.line,
      enabled: mode !== "Default" && mode !== "None",
      mode,
    };
  });
}

const AZURE_DISTRIBUTION_ALIASES: Record<string, string> = {
  default: "Default",
  sourceip: "SourceIP",
  sourceipprotocol: "SourceIPProtocol",
  none: "Default",
  "client ip": "SourceIP",
  "client ip and protocol": "SourceIPProtocol",
};

function isExpression(node: TreeNode | undefined): boolean {
  return node !== undefined && (node.kind !== "scalar" || node.expression === true);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export const terraformModel: DialectModel = {
  healthChecks: (tree) => [
    ...awsTargetGroupChecks(tree),
    ...awsClassicChecks(tree),
    ...gcpChecks(tree),
    ...azureChecks(tree),
  ],
  affinities: (tree) => [...awsStickiness(tree), ...gcpAffinity(tree), ...azureAffinity(tree)],
};
