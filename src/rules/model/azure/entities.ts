// Azure load-balancer probes, Application Gateway probes and load-balancer rules from Terraform as the
// cross-format entities.
import { child, itemsOf, scalarAt, type TreeNode } from "../../../formats/tree.js";
import type { Affinity } from "../affinity.js";
import { figureAt, numberAt, product } from "../figures.js";
import type { HealthCheck } from "../health-check.js";
import { isExpression } from "../iac/settings.js";
import { terraformResources } from "../iac/terraform.js";

// Azure LB probe: interval 15 s; probe_threshold 1 replaces the legacy number_of_probes
// (terraform-provider-azurerm r/lb_probe, docs/lb-facts.md §6a). No timeout field.
export function azureHealthChecks(tree: TreeNode): HealthCheck[] {
  const probes: HealthCheck[] = terraformResources(tree, ["azurerm_lb_probe"]).map((resource) => {
    const interval = figureAt(resource.body, "interval_in_seconds", 15, resource.line);
    const threshold = figureAt(resource.body, "probe_threshold", 1, resource.line);
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

// Azure LB rules: load_distribution "Default" is a 5-tuple hash (no affinity).
export function azureAffinities(tree: TreeNode): Affinity[] {
  return terraformResources(tree, ["azurerm_lb_rule"]).flatMap((resource) => {
    if (isExpression(child(resource.body, "load_distribution"))) return [];
    const written = String(scalarAt(resource.body, "load_distribution") ?? "Default");
    // The portal names (None, Client IP, Client IP and Protocol) are accepted aliases (docs/lb-facts.md §6b).
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
