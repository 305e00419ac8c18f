// ELBv2 (Application, Network, Gateway) and Classic load balancers: scheme, idle timeout, protections and
// Classic connection draining (docs/lb-facts.md §2, §3).
import type { Dialect } from "../../../formats/dialect.js";
import { child, type Scalar, type TreeNode } from "../../../formats/tree.js";
import type { FileUnderReview } from "../../types.js";
import {
  cloudFormationAttributes,
  cloudFormationPath,
  cloudFormationResources,
} from "../iac/cloudformation.js";
import { settingChanges } from "../iac/setting-changes.js";
import { settingOf, stringOf, type Setting } from "../iac/settings.js";
import { terraformArguments, terraformResources } from "../iac/terraform.js";
import { toNumber } from "../figures.js";
import { memoByDialectTree } from "../memo.js";
import { keptPairs } from "../pairs.js";
import type { Transition } from "../transitions.js";
import {
  CFN_CLASSIC,
  CFN_LOAD_BALANCER,
  TF_LOAD_BALANCERS,
  absent,
  cloudFormationEntity,
  terraformEntity,
  type ElbEntity,
} from "./elb-resources.js";

export interface LoadBalancer extends ElbEntity {
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
export const loadBalancersOf = memoByDialectTree(extractLoadBalancersOf);

function extractLoadBalancersOf(dialect: Dialect, tree: TreeNode): LoadBalancer[] {
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

/** Load balancers on both sides that stay the same kind (Classic or ELBv2). */
function keptLoadBalancers(
  dialect: Dialect,
  before: TreeNode | null,
  after: TreeNode | null,
): [LoadBalancer, LoadBalancer][] {
  return keptPairs(loadBalancersOf(dialect, before), loadBalancersOf(dialect, after)).filter(
    ([was, now]) => was.classic === now.classic,
  );
}

/** How one setting of the load balancers a change keeps (as the same kind) moves; see `settingChanges`. */
export function loadBalancerChanges<V extends string | number | boolean>(
  file: Pick<FileUnderReview, "dialect" | "before" | "after">,
  setting: (lb: LoadBalancer) => Setting,
  read: (value: Scalar) => V | undefined,
  initial?: Scalar,
): Transition<LoadBalancer, V>[] {
  return settingChanges(
    keptLoadBalancers(file.dialect, file.before, file.after),
    setting,
    read,
    initial,
  );
}

/** Idle-timeout changes that apply: Application and Classic load balancers only (NLB has none here). */
export function idleTimeoutChanges(
  file: Pick<FileUnderReview, "dialect" | "before" | "after">,
): Transition<LoadBalancer, number>[] {
  return loadBalancerChanges(file, (lb) => lb.idleTimeout, toNumber).filter(
    ({ after }) => after.classic || stringOf(after.lbType) === "application",
  );
}
