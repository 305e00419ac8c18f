import lbRuleFloatingIpFlipped from "../../../src/rules/azure/lb-rule-floating-ip-flipped.js";
import { ruleTable } from "../rule-table.js";
import { lbRule } from "./builders.js";

ruleTable(lbRuleFloatingIpFlipped, {
  path: "lb.tf",
  cases: [
    {
      name: "turned on (v3 name)",
      before: lbRule(""),
      after: lbRule("  enable_floating_ip = true"),
      expect: [{ severity: "high", line: "enable_floating_ip = true", phrase: "loopback" }],
    },
    {
      name: "turned off (v4 name)",
      before: lbRule("  floating_ip_enabled = true"),
      after: lbRule("  floating_ip_enabled = false"),
      expect: [
        {
          severity: "high",
          line: "floating_ip_enabled = false",
          phrase: "direct server return",
        },
      ],
    },
    {
      name: "the default made explicit",
      before: lbRule(""),
      after: lbRule("  floating_ip_enabled = false"),
      expect: [],
    },
  ],
});
