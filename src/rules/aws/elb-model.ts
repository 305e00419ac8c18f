import { memoByDialectTree } from "../model/memo.js";
// Elastic Load Balancing resources as the aws rules see them, from Terraform and CloudFormation.
// Defaults: terraform-provider-aws schemas (r/lb, r/lb_target_group, r/lb_listener, r/elb) and the
// AWS API / CloudFormation defaults (LB-FACTS.md §1–§3). Terraform's Optional+Computed attributes
// (health_check.path, matcher, timeout, ssl_policy, load_balancing_algorithm_type, internal, and a
// missing health_check block) keep their current value when removed: their default is undefined.
import type { Dialect } from "../../formats/dialect.js";
import { child, itemsOf, type Scalar, type TreeNode } from "../../formats/tree.js";
import { cloudFormationResources, type CloudFormationResource } from "../model/cloudformation.js";
import { firstBlock, terraformResources, type TerraformResource } from "../model/terraform.js";
import type { FileUnderReview } from "../types.js";
import {
  cloudFormationAttributePath,
  cloudFormationPath,
  createsBeforeDestroy,
  keyValueSetting,
  keyValueSettings,
  referenceOf,
  settingFromNode,
  settingOf,
  stringOf,
  terraformArguments,
  terraformPath,
  withInitial,
  type Setting,
  type SettingReader,
} from "./iac-settings.js";
import { keptPairs } from "./setting-changes.js";

/** Where an entity lives: its identity across versions, how to name it, where it is. */
export interface Located {
  readonly key: string;
  readonly label: string;
  readonly path: string;
  readonly line: number;
  readonly dialect: "terraform" | "cloudformation";
}

/** A setting that is not in this dialect or this kind of resource. */
const absent = (line: number): Setting => ({ kind: "default", value: undefined, line });

export interface HealthCheckSettings extends Located {
  readonly provider: "elbv2" | "classic";
  readonly enabled: Setting;
  readonly protocol: Setting;
  readonly port: Setting;
  readonly checkPath: Setting;
  readonly matcher: Setting;
  readonly interval: Setting;
  readonly timeout: Setting;
  readonly healthyThreshold: Setting;
  readonly unhealthyThreshold: Setting;
  /** The target group's own port: what `traffic-port` means. */
  readonly trafficPort: Setting;
  readonly grpc: boolean;
  readonly targetType: Setting;
  /** Setting names as written in this dialect, for messages. */
  readonly names: Readonly<Record<HealthField, string>>;
}

export type HealthField =
  | "enabled"
  | "protocol"
  | "port"
  | "checkPath"
  | "matcher"
  | "interval"
  | "timeout"
  | "healthyThreshold"
  | "unhealthyThreshold";

export interface TargetGroup extends Located {
  /** Terraform address (`aws_lb_target_group.web`) or CloudFormation logical id. */
  readonly address: string;
  readonly body: TreeNode | undefined;
  readonly createBeforeDestroy: boolean;
  readonly targetType: Setting;
  readonly protocol: Setting;
  readonly port: Setting;
  readonly deregistrationDelay: Setting;
  readonly slowStart: Setting;
  readonly algorithm: Setting;
  readonly proxyProtocolV2: Setting;
  readonly names: Readonly<Record<TargetGroupField, string>>;
}

export type TargetGroupField =
  "deregistrationDelay" | "slowStart" | "algorithm" | "proxyProtocolV2" | "port" | "protocol";

export interface LoadBalancer extends Located {
  readonly address: string;
  /** The resource body (Terraform) or Properties (CloudFormation). */
  readonly body: TreeNode | undefined;
  readonly classic: boolean;
  readonly lbType: Setting;
  /** true = internal, false = internet-facing. */
  readonly internal: Setting;
  readonly idleTimeout: Setting;
  readonly deletionProtection: Setting;
  readonly dropInvalidHeaders: Setting;
  readonly desyncMode: Setting;
  readonly connectionDraining: Setting;
  readonly connectionDrainingTimeout: Setting;
  readonly names: Readonly<Record<LoadBalancerField, string>>;
}

export type LoadBalancerField =
  | "internal"
  | "idleTimeout"
  | "deletionProtection"
  | "dropInvalidHeaders"
  | "desyncMode"
  | "connectionDraining"
  | "connectionDrainingTimeout";

export interface Listener extends Located {
  /** What the listener belongs to (a reference), to find other listeners of the same load balancer. */
  readonly owner: string | undefined;
  readonly classic: boolean;
  readonly rule: boolean;
  readonly port: Setting;
  readonly protocol: Setting;
  readonly sslPolicy: Setting;
  readonly certificate: Setting;
  readonly actions: readonly TreeNode[];
  readonly actionsLine: number;
  readonly actionsPath: string;
  readonly names: Readonly<Record<"port" | "protocol" | "sslPolicy" | "certificate", string>>;
}

const TF_TARGET_GROUPS = ["aws_lb_target_group", "aws_alb_target_group"];
const TF_LOAD_BALANCERS = ["aws_lb", "aws_alb"];
const TF_LISTENERS = ["aws_lb_listener", "aws_alb_listener"];
const TF_LISTENER_RULES = ["aws_lb_listener_rule", "aws_alb_listener_rule"];
const CFN_TARGET_GROUP = "AWS::ElasticLoadBalancingV2::TargetGroup";
const CFN_LOAD_BALANCER = "AWS::ElasticLoadBalancingV2::LoadBalancer";
const CFN_LISTENER = "AWS::ElasticLoadBalancingV2::Listener";
const CFN_LISTENER_RULE = "AWS::ElasticLoadBalancingV2::ListenerRule";
const CFN_CLASSIC = "AWS::ElasticLoadBalancing::LoadBalancer";

/** `aws_alb_*` is an alias of `aws_lb_*`: one identity for both spellings. */
const canonicalType = (type: string): string => type.replace(/^aws_alb/, "aws_lb");

/** A Terraform resource as an entity: `noun "name"`, one identity for both spellings of its type. */
function terraformEntity(resource: TerraformResource, noun: string): Located {
  return {
    key: `${canonicalType(resource.type)}.${resource.name}`,
    label: `${noun} "${resource.name}"`,
    path: resource.path,
    line: resource.line,
    dialect: "terraform",
  };
}

/** A CloudFormation resource as an entity, identified by its logical id. */
function cloudFormationEntity(resource: CloudFormationResource, noun: string): Located {
  return {
    key: resource.logicalId,
    label: `${noun} ${resource.logicalId}`,
    path: resource.path,
    line: resource.line,
    dialect: "cloudformation",
  };
}

/** Reads the properties of a CloudFormation resource; `line` stands for the absent ones. */
function cloudFormationProperties(resource: CloudFormationResource, line: number): SettingReader {
  return (name, fallback) =>
    settingOf(
      resource.properties,
      name,
      fallback,
      line,
      cloudFormationPath(resource.logicalId, name),
    );
}

/** Reads a CloudFormation `[{ Key, Value }]` attribute list (`TargetGroupAttributes`, ...). */
function cloudFormationAttributes(
  resource: CloudFormationResource,
  list: string,
  line: number,
): SettingReader {
  const attributes = keyValueSettings(child(resource.properties, list));
  return (name, fallback) =>
    keyValueSetting(
      attributes,
      name,
      fallback,
      line,
      cloudFormationAttributePath(resource.logicalId, list, name),
    );
}

// --- target groups ---

/** Extracted once per tree (many rules read it). */
export const targetGroupsOf = memoByDialectTree(extractTargetGroupsOf, (): TargetGroup[] => []);

function extractTargetGroupsOf(dialect: Dialect, tree: TreeNode | null): TargetGroup[] {
  if (!tree) return [];
  if (dialect === "terraform") {
    return terraformResources(tree, TF_TARGET_GROUPS).map((resource) => {
      const at = terraformArguments(resource);
      return {
        ...terraformEntity(resource, "target group"),
        address: `${resource.type}.${resource.name}`,
        body: resource.body,
        createBeforeDestroy: createsBeforeDestroy(resource.body),
        targetType: at("target_type", "instance"),
        protocol: at("protocol", undefined),
        port: at("port", undefined),
        deregistrationDelay: at("deregistration_delay", 300),
        slowStart: at("slow_start", 0),
        algorithm: at("load_balancing_algorithm_type", undefined),
        proxyProtocolV2: at("proxy_protocol_v2", false),
        names: {
          deregistrationDelay: "deregistration_delay",
          slowStart: "slow_start",
          algorithm: "load_balancing_algorithm_type",
          proxyProtocolV2: "proxy_protocol_v2",
          port: "port",
          protocol: "protocol",
        },
      } satisfies TargetGroup;
    });
  }
  if (dialect !== "cloudformation") return [];
  return cloudFormationResources(tree, [CFN_TARGET_GROUP]).map((resource) => {
    const line = resource.properties?.line ?? resource.line;
    const prop = cloudFormationProperties(resource, line);
    const attribute = cloudFormationAttributes(resource, "TargetGroupAttributes", line);
    return {
      ...cloudFormationEntity(resource, "target group"),
      address: resource.logicalId,
      body: resource.properties,
      // CloudFormation always creates the replacement before deleting the old resource.
      createBeforeDestroy: true,
      targetType: prop("TargetType", "instance"),
      protocol: prop("Protocol", undefined),
      port: prop("Port", undefined),
      deregistrationDelay: attribute("deregistration_delay.timeout_seconds", 300),
      slowStart: attribute("slow_start.duration_seconds", 0),
      algorithm: attribute("load_balancing.algorithm.type", "round_robin"),
      proxyProtocolV2: attribute("proxy_protocol_v2.enabled", false),
      names: {
        deregistrationDelay: "deregistration_delay.timeout_seconds",
        slowStart: "slow_start.duration_seconds",
        algorithm: "load_balancing.algorithm.type",
        proxyProtocolV2: "proxy_protocol_v2.enabled",
        port: "Port",
        protocol: "Protocol",
      },
    } satisfies TargetGroup;
  });
}

// --- health checks (ELBv2 target groups and Classic load balancers) ---

const TF_HEALTH_NAMES: Record<HealthField, string> = {
  enabled: "health_check.enabled",
  protocol: "health_check.protocol",
  port: "health_check.port",
  checkPath: "health_check.path",
  matcher: "health_check.matcher",
  interval: "health_check.interval",
  timeout: "health_check.timeout",
  healthyThreshold: "health_check.healthy_threshold",
  unhealthyThreshold: "health_check.unhealthy_threshold",
};

const CFN_HEALTH_NAMES: Record<HealthField, string> = {
  enabled: "HealthCheckEnabled",
  protocol: "HealthCheckProtocol",
  port: "HealthCheckPort",
  checkPath: "HealthCheckPath",
  matcher: "Matcher",
  interval: "HealthCheckIntervalSeconds",
  timeout: "HealthCheckTimeoutSeconds",
  healthyThreshold: "HealthyThresholdCount",
  unhealthyThreshold: "UnhealthyThresholdCount",
};

const CLASSIC_HEALTH_NAMES: Record<HealthField, string> = {
  enabled: "health check",
  protocol: "health check target protocol",
  port: "health check target port",
  checkPath: "health check target path",
  matcher: "health check",
  interval: "health check interval",
  timeout: "health check timeout",
  healthyThreshold: "health check healthy threshold",
  unhealthyThreshold: "health check unhealthy threshold",
};

/** Extracted once per tree (many rules read it). */
export const healthChecksOf = memoByDialectTree(
  extractHealthChecksOf,
  (): HealthCheckSettings[] => [],
);

function extractHealthChecksOf(dialect: Dialect, tree: TreeNode | null): HealthCheckSettings[] {
  if (!tree) return [];
  if (dialect === "terraform")
    return [...terraformTargetGroupChecks(tree), ...classicChecks(tree, false)];
  if (dialect === "cloudformation")
    return [...cloudFormationTargetGroupChecks(tree), ...classicChecks(tree, true)];
  return [];
}

function terraformTargetGroupChecks(tree: TreeNode): HealthCheckSettings[] {
  return terraformResources(tree, TF_TARGET_GROUPS).map((resource) => {
    const body = resource.body;
    const block = firstBlock(body, "health_check");
    const line = block?.line ?? resource.line;
    const targetType = settingOf(body, "target_type", "instance", resource.line);
    const lambda = stringOf(targetType) === "lambda";
    const grpc =
      stringOf(settingOf(body, "protocol_version", undefined, line))?.toUpperCase() === "GRPC";
    const protocol = stringOf(settingOf(body, "protocol", undefined, line))?.toUpperCase();
    const http = protocol === "HTTP" || protocol === "HTTPS";
    // What AWS gives a group whose file never set the value (LB-FACTS.md §1a).
    const initial: Record<string, Scalar | undefined> = {
      enabled: !lambda,
      protocol: protocol === undefined ? undefined : http ? "HTTP" : "TCP",
      port: "traffic-port",
      path: grpc ? "/AWS.ALB/healthcheck" : "/",
      matcher: grpc ? "12" : protocol === undefined ? undefined : http ? "200" : "200-399",
    };
    // Without a health_check block (Optional+Computed), Terraform keeps the group's current check.
    const attr = (name: string, fallback: Scalar | undefined): Setting => {
      const path = terraformPath(resource.type, resource.name, "health_check", name);
      const setting = block
        ? settingOf(block, name, fallback, line, path)
        : { ...absent(line), path };
      return withInitial(setting, initial[name]);
    };
    return {
      ...terraformEntity(resource, "target group"),
      path: block ? `${resource.path}.health_check` : resource.path,
      line,
      provider: "elbv2",
      enabled: attr("enabled", true),
      protocol: attr("protocol", "HTTP"),
      port: attr("port", "traffic-port"),
      checkPath: attr("path", undefined),
      matcher: attr("matcher", undefined),
      interval: attr("interval", 30),
      timeout: attr("timeout", undefined),
      healthyThreshold: attr("healthy_threshold", 3),
      unhealthyThreshold: attr("unhealthy_threshold", 3),
      trafficPort: settingOf(body, "port", undefined, resource.line),
      grpc,
      targetType,
      names: TF_HEALTH_NAMES,
    } satisfies HealthCheckSettings;
  });
}

function cloudFormationTargetGroupChecks(tree: TreeNode): HealthCheckSettings[] {
  return cloudFormationResources(tree, [CFN_TARGET_GROUP]).map((resource) => {
    const p = resource.properties;
    const id = resource.logicalId;
    const line = p?.line ?? resource.line;
    const prop = cloudFormationProperties(resource, line);
    const targetType = prop("TargetType", "instance");
    const lambda = stringOf(targetType) === "lambda";
    const protocol = stringOf(prop("Protocol", undefined))?.toUpperCase();
    const grpc = stringOf(prop("ProtocolVersion", undefined))?.toUpperCase() === "GRPC";
    const http = protocol === "HTTP" || protocol === "HTTPS";
    // AWS API defaults (LB-FACTS.md §1a): ALB checks over HTTP with matcher 200 (gRPC: 12);
    // NLB and GWLB check over TCP, and NLB HTTP checks accept 200-399.
    const defaultProtocol = lambda || protocol === undefined ? undefined : http ? "HTTP" : "TCP";
    const matcherNode = child(p, "Matcher");
    const codeField = grpc ? "GrpcCode" : "HttpCode";
    const matcher: Setting = matcherNode
      ? settingFromNode(
          child(matcherNode, codeField),
          undefined,
          matcherNode.line,
          cloudFormationPath(id, "Matcher", codeField),
        )
      : {
          kind: "default",
          value: grpc ? "12" : protocol === undefined ? undefined : http ? "200" : "200-399",
          line,
          path: cloudFormationPath(id, "Matcher"),
        };
    return {
      ...cloudFormationEntity(resource, "target group"),
      path: cloudFormationPath(id),
      line,
      provider: "elbv2",
      enabled: prop("HealthCheckEnabled", !lambda),
      protocol: prop("HealthCheckProtocol", defaultProtocol),
      port: prop("HealthCheckPort", "traffic-port"),
      checkPath: prop("HealthCheckPath", grpc ? "/AWS.ALB/healthcheck" : "/"),
      matcher,
      interval: prop("HealthCheckIntervalSeconds", lambda ? 35 : 30),
      timeout: prop("HealthCheckTimeoutSeconds", undefined),
      healthyThreshold: prop("HealthyThresholdCount", 5),
      unhealthyThreshold: prop("UnhealthyThresholdCount", lambda ? 5 : 2),
      trafficPort: prop("Port", undefined),
      grpc,
      targetType,
      names: CFN_HEALTH_NAMES,
    } satisfies HealthCheckSettings;
  });
}

/** Classic ELB: `target = "HTTP:80/health"` carries protocol, port and path (LB-FACTS.md §3). */
function classicChecks(tree: TreeNode, cloudFormation: boolean): HealthCheckSettings[] {
  const sources = cloudFormation
    ? cloudFormationResources(tree, [CFN_CLASSIC]).map((resource) => ({
        key: resource.logicalId,
        label: `classic load balancer ${resource.logicalId}`,
        path: (field?: string) =>
          cloudFormationPath(resource.logicalId, "HealthCheck", ...(field ? [field] : [])),
        block: child(resource.properties, "HealthCheck"),
        fields: ["Target", "Interval", "Timeout", "HealthyThreshold", "UnhealthyThreshold"],
      }))
    : terraformResources(tree, ["aws_elb"]).map((resource) => ({
        key: `aws_elb.${resource.name}`,
        label: `classic load balancer "${resource.name}"`,
        path: (field?: string) =>
          terraformPath("aws_elb", resource.name, "health_check", ...(field ? [field] : [])),
        block: firstBlock(resource.body, "health_check"),
        fields: ["target", "interval", "timeout", "healthy_threshold", "unhealthy_threshold"],
      }));
  return sources.flatMap((source) => {
    const block = source.block;
    if (!block) return [];
    const line = block.line;
    const [targetName, intervalName, timeoutName, healthyName, unhealthyName] = source.fields as [
      string,
      string,
      string,
      string,
      string,
    ];
    const field = (name: string): Setting =>
      settingOf(block, name, undefined, line, source.path(name));
    const parsed = parseClassicTarget(field(targetName));
    return [
      {
        key: source.key,
        label: source.label,
        path: source.path(),
        line,
        dialect: cloudFormation ? "cloudformation" : "terraform",
        provider: "classic",
        enabled: { kind: "default", value: true, line },
        protocol: parsed.protocol,
        port: parsed.port,
        checkPath: parsed.path,
        // Classic HTTP(S) checks pass only on 200 OK (LB-FACTS.md §3, S14/S15).
        matcher: { kind: "default", value: "200", line },
        interval: field(intervalName),
        timeout: field(timeoutName),
        healthyThreshold: field(healthyName),
        unhealthyThreshold: field(unhealthyName),
        trafficPort: absent(line),
        grpc: false,
        targetType: { kind: "default", value: "instance", line },
        names: CLASSIC_HEALTH_NAMES,
      } satisfies HealthCheckSettings,
    ];
  });
}

function parseClassicTarget(target: Setting): { protocol: Setting; port: Setting; path: Setting } {
  const { line, path } = target;
  const unknown: Setting = { kind: "unknown", line, path };
  const match =
    target.kind === "literal" && typeof target.value === "string"
      ? /^\s*([A-Za-z]+):(\d+)(\/\S*)?\s*$/.exec(target.value)
      : null;
  if (!match) return { protocol: unknown, port: unknown, path: unknown };
  const protocol = match[1]!.toUpperCase();
  const http = protocol === "HTTP" || protocol === "HTTPS";
  return {
    protocol: { kind: "literal", value: protocol, line, path },
    port: { kind: "literal", value: Number(match[2]), line, path },
    path: http
      ? { kind: "literal", value: match[3] ?? "/", line, path }
      : { kind: "default", value: undefined, line, path },
  };
}

// --- load balancers ---

const TF_LB_NAMES: Record<LoadBalancerField, string> = {
  internal: "internal",
  idleTimeout: "idle_timeout",
  deletionProtection: "enable_deletion_protection",
  dropInvalidHeaders: "drop_invalid_header_fields",
  desyncMode: "desync_mitigation_mode",
  connectionDraining: "connection_draining",
  connectionDrainingTimeout: "connection_draining_timeout",
};

const CFN_LB_NAMES: Record<LoadBalancerField, string> = {
  internal: "Scheme",
  idleTimeout: "idle_timeout.timeout_seconds",
  deletionProtection: "deletion_protection.enabled",
  dropInvalidHeaders: "routing.http.drop_invalid_header_fields.enabled",
  desyncMode: "routing.http.desync_mitigation_mode",
  connectionDraining: "ConnectionDrainingPolicy.Enabled",
  connectionDrainingTimeout: "ConnectionDrainingPolicy.Timeout",
};

const CFN_CLASSIC_NAMES: Record<LoadBalancerField, string> = {
  ...CFN_LB_NAMES,
  idleTimeout: "ConnectionSettings.IdleTimeout",
};

/** Extracted once per tree (many rules read it). */
export const loadBalancersOf = memoByDialectTree(extractLoadBalancersOf, (): LoadBalancer[] => []);

function extractLoadBalancersOf(dialect: Dialect, tree: TreeNode | null): LoadBalancer[] {
  if (!tree) return [];
  if (dialect === "terraform") return terraformLoadBalancers(tree);
  if (dialect === "cloudformation") return cloudFormationLoadBalancers(tree);
  return [];
}

function terraformLoadBalancers(tree: TreeNode): LoadBalancer[] {
  const resources = terraformResources(tree, [...TF_LOAD_BALANCERS, "aws_elb"]);
  return resources.map((resource) => {
    const line = resource.line;
    const classic = resource.type === "aws_elb";
    const at = terraformArguments(resource);
    return {
      ...terraformEntity(resource, classic ? "classic load balancer" : "load balancer"),
      address: `${resource.type}.${resource.name}`,
      body: resource.body,
      classic,
      lbType: classic
        ? { kind: "default", value: "classic", line }
        : at("load_balancer_type", "application"),
      internal: at("internal", undefined),
      idleTimeout: at("idle_timeout", 60),
      deletionProtection: classic ? absent(line) : at("enable_deletion_protection", false),
      dropInvalidHeaders: classic ? absent(line) : at("drop_invalid_header_fields", false),
      desyncMode: at("desync_mitigation_mode", "defensive"),
      connectionDraining: classic ? at("connection_draining", false) : absent(line),
      connectionDrainingTimeout: classic ? at("connection_draining_timeout", 300) : absent(line),
      names: TF_LB_NAMES,
    } satisfies LoadBalancer;
  });
}

function cloudFormationLoadBalancers(tree: TreeNode): LoadBalancer[] {
  return cloudFormationResources(tree, [CFN_LOAD_BALANCER, CFN_CLASSIC]).map((resource) => {
    const p = resource.properties;
    const id = resource.logicalId;
    const line = p?.line ?? resource.line;
    const classic = resource.type === CFN_CLASSIC;
    const prop = (fallback: Scalar | undefined, ...names: string[]): Setting => {
      const owner = names.slice(0, -1).reduce<TreeNode | undefined>((node, n) => child(node, n), p);
      return settingOf(
        owner,
        names[names.length - 1]!,
        fallback,
        owner?.line ?? line,
        cloudFormationPath(id, ...names),
      );
    };
    const attribute = cloudFormationAttributes(resource, "LoadBalancerAttributes", line);
    const drainingOn = prop(false, "ConnectionDrainingPolicy", "Enabled");
    return {
      ...cloudFormationEntity(resource, classic ? "classic load balancer" : "load balancer"),
      address: id,
      body: p,
      classic,
      lbType: classic ? { kind: "default", value: "classic", line } : prop("application", "Type"),
      internal: schemeSetting(prop("internet-facing", "Scheme")),
      idleTimeout: classic
        ? prop(60, "ConnectionSettings", "IdleTimeout")
        : attribute("idle_timeout.timeout_seconds", 60),
      deletionProtection: classic ? absent(line) : attribute("deletion_protection.enabled", false),
      dropInvalidHeaders: classic
        ? absent(line)
        : attribute("routing.http.drop_invalid_header_fields.enabled", false),
      desyncMode: classic
        ? absent(line)
        : attribute("routing.http.desync_mitigation_mode", "defensive"),
      connectionDraining: classic ? drainingOn : absent(line),
      connectionDrainingTimeout: classic
        ? prop(300, "ConnectionDrainingPolicy", "Timeout")
        : absent(line),
      names: classic ? CFN_CLASSIC_NAMES : CFN_LB_NAMES,
    } satisfies LoadBalancer;
  });
}

/** CloudFormation `Scheme: internal | internet-facing` as the Terraform-style `internal` flag. */
function schemeSetting(scheme: Setting): Setting {
  if (scheme.kind === "unknown") return scheme;
  if (typeof scheme.value !== "string")
    return { kind: "unknown", line: scheme.line, path: scheme.path };
  const internal = scheme.value.toLowerCase() === "internal";
  return { kind: scheme.kind, value: internal, line: scheme.line, path: scheme.path };
}

// --- listeners and listener rules ---

const TF_LISTENER_NAMES = {
  port: "port",
  protocol: "protocol",
  sslPolicy: "ssl_policy",
  certificate: "certificate_arn",
} as const;

/** Extracted once per tree (many rules read it). */
export const listenersOf = memoByDialectTree(extractListenersOf, (): Listener[] => []);

function extractListenersOf(dialect: Dialect, tree: TreeNode | null): Listener[] {
  if (!tree) return [];
  if (dialect === "terraform")
    return [...terraformListeners(tree), ...classicListeners(tree, false)];
  if (dialect === "cloudformation")
    return [...cloudFormationListeners(tree), ...classicListeners(tree, true)];
  return [];
}

function terraformListeners(tree: TreeNode): Listener[] {
  const resources = terraformResources(tree, [...TF_LISTENERS, ...TF_LISTENER_RULES]);
  return resources.map((resource) => {
    const body = resource.body;
    const line = resource.line;
    const rule = TF_LISTENER_RULES.includes(resource.type);
    const argument = terraformArguments(resource);
    const at = (name: string, fallback: Scalar | undefined): Setting =>
      rule ? absent(line) : argument(name, fallback);
    const actionsName = rule ? "action" : "default_action";
    const actions = itemsOf(child(body, actionsName));
    return {
      ...terraformEntity(resource, rule ? "listener rule" : "listener"),
      owner: referenceOf(child(body, rule ? "listener_arn" : "load_balancer_arn")),
      classic: false,
      rule,
      port: at("port", undefined),
      // Optional+Computed: removing them keeps the listener's current protocol and policy.
      protocol: at("protocol", undefined),
      sslPolicy: at("ssl_policy", undefined),
      certificate: at("certificate_arn", undefined),
      actions,
      actionsLine: actions[0]?.line ?? line,
      actionsPath: terraformPath(resource.type, resource.name, actionsName),
      names: TF_LISTENER_NAMES,
    } satisfies Listener;
  });
}

function cloudFormationListeners(tree: TreeNode): Listener[] {
  return cloudFormationResources(tree, [CFN_LISTENER, CFN_LISTENER_RULE]).map((resource) => {
    const p = resource.properties;
    const id = resource.logicalId;
    const line = p?.line ?? resource.line;
    const rule = resource.type === CFN_LISTENER_RULE;
    const property = cloudFormationProperties(resource, line);
    const prop = (name: string): Setting => (rule ? absent(line) : property(name, undefined));
    const certificates = child(p, "Certificates");
    const certificate: Setting = rule
      ? absent(line)
      : certificates && certificates.kind !== "list"
        ? { kind: "unknown", line: certificates.line }
        : settingOf(
            itemsOf(certificates)[0],
            "CertificateArn",
            undefined,
            certificates?.line ?? line,
            cloudFormationPath(id, "Certificates"),
          );
    const actionsName = rule ? "Actions" : "DefaultActions";
    return {
      ...cloudFormationEntity(resource, rule ? "listener rule" : "listener"),
      owner: referenceOf(child(p, rule ? "ListenerArn" : "LoadBalancerArn")),
      classic: false,
      rule,
      port: prop("Port"),
      protocol: prop("Protocol"),
      sslPolicy: prop("SslPolicy"),
      certificate,
      actions: itemsOf(child(p, actionsName)),
      actionsLine: child(p, actionsName)?.line ?? line,
      actionsPath: cloudFormationPath(id, actionsName),
      names: {
        port: "Port",
        protocol: "Protocol",
        sslPolicy: "SslPolicy",
        certificate: "Certificates[0].CertificateArn",
      },
    } satisfies Listener;
  });
}

/** Classic listeners, one per load-balancer port: `listener { lb_port lb_protocol ... }` / `Listeners`. */
function classicListeners(tree: TreeNode, cloudFormation: boolean): Listener[] {
  const owners = cloudFormation
    ? cloudFormationResources(tree, [CFN_CLASSIC]).map((resource) => ({
        key: resource.logicalId,
        label: `classic load balancer ${resource.logicalId}`,
        path: cloudFormationPath(resource.logicalId, "Listeners"),
        listeners: itemsOf(child(resource.properties, "Listeners")),
        fields: ["LoadBalancerPort", "Protocol", "SSLCertificateId"] as const,
      }))
    : terraformResources(tree, ["aws_elb"]).map((resource) => ({
        key: `aws_elb.${resource.name}`,
        label: `classic load balancer "${resource.name}"`,
        path: terraformPath("aws_elb", resource.name, "listener"),
        // A `dynamic "listener"` block stands for listeners whose ports are not in the file.
        listeners: [
          ...itemsOf(child(resource.body, "listener")),
          ...itemsOf(child(child(resource.body, "dynamic"), "listener")),
        ],
        fields: ["lb_port", "lb_protocol", "ssl_certificate_id"] as const,
      }));
  return owners.flatMap((owner) =>
    owner.listeners.flatMap((listener, index) => {
      const [portName, protocolName, certificateName] = owner.fields;
      const line = listener.line;
      const port = settingOf(listener, portName, undefined, line, owner.path);
      const portValue = stringOf(port);
      return [
        {
          // Identified by port; a port that is not a literal gets a key no other version shares.
          key: portValue === undefined ? `${owner.key}:#${index}` : `${owner.key}:${portValue}`,
          label: `port ${portValue ?? "(expression)"} of ${owner.label}`,
          path: owner.path,
          line,
          dialect: cloudFormation ? "cloudformation" : "terraform",
          owner: owner.key,
          classic: true,
          rule: false,
          port,
          protocol: settingOf(listener, protocolName, undefined, line, owner.path),
          sslPolicy: absent(line),
          certificate: settingOf(listener, certificateName, undefined, line, owner.path),
          actions: [],
          actionsLine: line,
          actionsPath: owner.path,
          names: {
            port: portName,
            protocol: protocolName,
            sslPolicy: "policy",
            certificate: certificateName,
          },
        } satisfies Listener,
      ];
    }),
  );
}

/** Load balancers on both sides that stay the same kind (Classic or ELBv2). */
export function keptLoadBalancers(
  dialect: Dialect,
  before: TreeNode | null,
  after: TreeNode | null,
): [LoadBalancer, LoadBalancer][] {
  return keptPairs(loadBalancersOf(dialect, before), loadBalancersOf(dialect, after)).filter(
    ([was, now]) => was.classic === now.classic,
  );
}

/** The entities `entitiesOf` finds on both sides of the file's change, paired by key. */
export function keptPairsOf<T extends Located>(
  file: Pick<FileUnderReview, "dialect" | "before" | "after">,
  entitiesOf: (dialect: Dialect, tree: TreeNode | null) => T[],
): [T, T][] {
  return keptPairs(entitiesOf(file.dialect, file.before), entitiesOf(file.dialect, file.after));
}
