// Azure load-balancer probes and rules from Terraform (terraform-provider-azurerm), as the azure rules
// see them. Defaults: docs/lb-facts.md §6. azurerm v4 renamed some attributes
// (enable_floating_ip → floating_ip_enabled, enable_tcp_reset → tcp_reset_enabled): both are read.
import { child, scalarAt, type Scalar, type TreeNode } from "../../../formats/tree.js";
import type { Setting } from "../iac/settings.js";
import { terraformArguments, terraformResources } from "../iac/terraform.js";
import { memoByNode } from "../memo.js";

export interface LbProbe {
  readonly key: string;
  readonly label: string;
  readonly path: string;
  readonly line: number;
  readonly protocol: Setting;
  readonly port: Setting;
  readonly requestPath: Setting;
  readonly interval: Setting;
  readonly numberOfProbes: Setting;
  readonly probeThreshold: Setting;
}

export function lbProbesOf(tree: TreeNode | null): LbProbe[] {
  return tree ? lbProbesOfTree(tree) : [];
}

/** Extracted once per tree (several rules read it). */
const lbProbesOfTree = memoByNode((tree: TreeNode): LbProbe[] =>
  terraformResources(tree, ["azurerm_lb_probe"]).map((resource) => {
    const at = terraformArguments(resource);
    return {
      key: `azurerm_lb_probe.${resource.name}`,
      label: `load balancer probe "${resource.name}"`,
      path: resource.path,
      line: resource.line,
      protocol: at("protocol", "Tcp"),
      port: at("port", undefined),
      requestPath: at("request_path", undefined),
      interval: at("interval_in_seconds", 15),
      numberOfProbes: at("number_of_probes", 2),
      probeThreshold: at("probe_threshold", 1),
    };
  }),
);

export interface LbRule {
  readonly key: string;
  readonly label: string;
  readonly path: string;
  readonly line: number;
  readonly loadBalancer: string | undefined;
  readonly idleTimeout: Setting;
  readonly floatingIp: Setting;
  readonly disableOutboundSnat: Setting;
  readonly tcpReset: Setting;
}

export function lbRulesOf(tree: TreeNode | null): LbRule[] {
  return tree ? lbRulesOfTree(tree) : [];
}

/** Extracted once per tree (several rules read it). */
const lbRulesOfTree = memoByNode((tree: TreeNode): LbRule[] =>
  terraformResources(tree, ["azurerm_lb_rule"]).map((resource) => {
    const body = resource.body;
    const at = terraformArguments(resource);
    const renamed = (v3: string, v4: string, fallback: Scalar): Setting =>
      child(body, v4) !== undefined ? at(v4, fallback) : at(v3, fallback);
    const lb = scalarAt(body, "loadbalancer_id");
    return {
      key: `azurerm_lb_rule.${resource.name}`,
      label: `load balancer rule "${resource.name}"`,
      path: resource.path,
      line: resource.line,
      loadBalancer: typeof lb === "string" ? lb : undefined,
      idleTimeout: at("idle_timeout_in_minutes", 4),
      floatingIp: renamed("enable_floating_ip", "floating_ip_enabled", false),
      disableOutboundSnat: at("disable_outbound_snat", false),
      tcpReset: renamed("enable_tcp_reset", "tcp_reset_enabled", false),
    };
  }),
);
