import lbRuleOutboundSnatDisabled from "../../../src/rules/azure/lb-rule-outbound-snat-disabled.js";
import { ruleTable } from "../rule-table.js";
import { lbRule } from "./builders.js";

const outboundRule = `resource "azurerm_lb_outbound_rule" "egress" {
  name                    = "egress"
  loadbalancer_id         = azurerm_lb.main.id
  protocol                = "All"
  backend_address_pool_id = azurerm_lb_backend_address_pool.web.id
  frontend_ip_configuration {
    name = "public"
  }
}
`;

ruleTable(lbRuleOutboundSnatDisabled, {
  path: "lb.tf",
  cases: [
    {
      name: "no outbound rule in the file",
      before: lbRule(""),
      after: lbRule("  disable_outbound_snat = true"),
      expect: [
        {
          severity: "high",
          line: "disable_outbound_snat = true",
          phrase: "may lose outbound internet access",
        },
      ],
    },
    {
      name: "an outbound rule takes over",
      before: lbRule(""),
      after: lbRule("  disable_outbound_snat = true") + outboundRule,
      expect: [
        {
          severity: "medium",
          line: "disable_outbound_snat = true",
          phrase: "outbound rule or NAT gateway defined in this file",
        },
      ],
    },
    {
      name: "SNAT turned back on",
      before: lbRule("  disable_outbound_snat = true"),
      after: lbRule("  disable_outbound_snat = false"),
      expect: [],
    },
  ],
});
