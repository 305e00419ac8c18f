import { defineRule } from "../types.js";
import { removalFindings, type RemovableKind } from "../model/iac/removed-resources.js";

const KINDS: Record<string, RemovableKind> = {
  azurerm_lb: {
    noun: "load balancer",
    severity: "high",
    consequence: "its frontend IPs stop accepting traffic and all its rules go with it",
  },
  azurerm_application_gateway: {
    noun: "application gateway",
    severity: "high",
    consequence: "its listeners stop accepting traffic",
  },
  azurerm_lb_rule: {
    noun: "load balancer rule",
    severity: "high",
    consequence: "traffic to its frontend port is no longer balanced to the backends",
  },
  azurerm_lb_backend_address_pool: {
    noun: "backend address pool",
    severity: "high",
    consequence: "the rules that sent traffic to it have no backends",
  },
  azurerm_lb_outbound_rule: {
    noun: "outbound rule",
    severity: "high",
    consequence: "its backends lose the outbound SNAT it provided",
  },
  azurerm_lb_nat_rule: {
    noun: "inbound NAT rule",
    severity: "medium",
    consequence: "the port it forwarded to a backend stops answering",
  },
  azurerm_lb_nat_pool: {
    noun: "inbound NAT pool",
    severity: "medium",
    consequence: "the ports it forwarded to scale-set instances stop answering",
  },
  azurerm_lb_probe: {
    noun: "load balancer probe",
    severity: "medium",
    consequence: "the rules that used it lose their health checking",
  },
  azurerm_lb_backend_address_pool_address: {
    noun: "backend pool address",
    severity: "medium",
    consequence: "that backend stops receiving traffic",
  },
  azurerm_network_interface_backend_address_pool_association: {
    noun: "backend pool association",
    severity: "medium",
    consequence: "that network interface leaves the pool and stops receiving traffic",
  },
  azurerm_network_interface_application_gateway_backend_address_pool_association: {
    noun: "gateway backend pool association",
    severity: "medium",
    consequence: "that network interface leaves the gateway's pool and stops receiving traffic",
  },
};

/** The Azure-specific deletion rule (the generic family skips Terraform files). */
export default defineRule({
  id: "azure.resource.removed",
  family: "azure",
  title: "Azure load-balancing resource deleted",
  description:
    "A load balancer, application gateway, load-balancing rule, backend pool or outbound rule (high), or a NAT " +
    "rule, probe or pool membership (medium), disappears from a Terraform file, so it is destroyed. The finding " +
    "names the resources that referred to it; if the new file still refers to it, the plan fails instead (medium).",
  severity: "high",
  params: {},
  dialects: ["terraform"],
  check(file) {
    return removalFindings(file, (type) => KINDS[type]);
  },
});
