import lbRuleIdleTimeoutCut from "../../../src/rules/azure/lb-rule-idle-timeout-cut.js";
import { ruleTable } from "../rule-table.js";
import { lbRule } from "./builders.js";

ruleTable(lbRuleIdleTimeoutCut, {
  path: "lb.tf",
  cases: [
    {
      name: "30 → 4 minutes, TCP reset off: cut by 7.5× (docs/risk.md: cut sharply), high",
      before: lbRule("  idle_timeout_in_minutes = 30"),
      after: lbRule("  idle_timeout_in_minutes = 4"),
      expect: [
        {
          severity: "high",
          line: "idle_timeout_in_minutes = 4",
          phrase: /silently.*Safe: keep idle_timeout_in_minutes = 30/,
        },
      ],
    },
    {
      name: "30 → 10 minutes, TCP reset off: cut by 3×, medium",
      before: lbRule("  idle_timeout_in_minutes = 30"),
      after: lbRule("  idle_timeout_in_minutes = 10"),
      expect: [{ severity: "medium", line: "idle_timeout_in_minutes = 10", phrase: "silently" }],
    },
    {
      name: "30 → 20 minutes with TCP reset",
      before: lbRule("  idle_timeout_in_minutes = 30\n  tcp_reset_enabled = true"),
      after: lbRule("  idle_timeout_in_minutes = 20\n  tcp_reset_enabled = true"),
      expect: [
        { severity: "low", line: "idle_timeout_in_minutes = 20", phrase: "with a TCP reset" },
      ],
    },
    {
      name: "above 100 minutes",
      before: lbRule(""),
      after: lbRule("  idle_timeout_in_minutes = 120"),
      expect: [
        {
          severity: "medium",
          line: "idle_timeout_in_minutes = 120",
          phrase: "the deploy will fail",
        },
      ],
    },
    {
      name: "a raise",
      before: lbRule(""),
      after: lbRule("  idle_timeout_in_minutes = 10"),
      expect: [],
    },
  ],
});
