import resourceRemoved from "../../../src/rules/azure/resource-removed.js";
import { ruleTable } from "../rule-table.js";
import { lbRule, probe } from "./builders.js";

ruleTable(resourceRemoved, {
  path: "lb.tf",
  cases: [
    {
      name: "a load-balancing rule",
      before: probe("  port = 80") + lbRule(""),
      after: probe("  port = 80"),
      expect: [
        {
          severity: "high",
          line: 'resource "azurerm_lb_rule"',
          phrase: "no longer balanced",
          side: "before",
        },
      ],
    },
    {
      name: "a probe a rule still uses",
      before: probe("  port = 80") + lbRule(""),
      after: lbRule(""),
      expect: [
        {
          severity: "medium",
          line: 'resource "azurerm_lb_probe"',
          phrase: "azurerm_lb_rule.web still refers",
          side: "before",
        },
      ],
    },
    {
      name: "forgotten with a removed block",
      before: probe("  port = 80") + lbRule(""),
      after:
        probe("  port = 80") +
        "removed {\n  from = azurerm_lb_rule.web\n  lifecycle {\n    destroy = false\n  }\n}\n",
      expect: [],
    },
  ],
});
