import loadBalancerIdleTimeoutCut from "../../../src/rules/aws/load-balancer-idle-timeout-cut.js";
import { ruleTable } from "../rule-table.js";
import { awsPath, lb } from "./builders.js";

ruleTable(loadBalancerIdleTimeoutCut, {
  path: awsPath,
  cases: [
    {
      name: "60 s → 20 s",
      before: lb(""),
      after: lb("  idle_timeout = 20"),
      expect: [{ severity: "medium", line: "idle_timeout = 20", phrase: "ends in a 504" }],
    },
    {
      name: "3600 s → 60 s: cut by 5× or more (docs/risk.md), high",
      before: lb("  idle_timeout = 3600"),
      after: lb("  idle_timeout = 60"),
      expect: [
        {
          severity: "high",
          line: "idle_timeout = 60",
          phrase: /from 1 h to 60 s.*Safe: keep the idle timeout at 1 h/,
        },
      ],
    },
    {
      name: "60 s → 50 s",
      before: lb("  idle_timeout = 60"),
      after: lb("  idle_timeout = 50"),
      expect: [{ severity: "low", line: "idle_timeout = 50", phrase: "from 60 s to 50 s" }],
    },
    {
      name: "a Network Load Balancer has no idle timeout here",
      before: lb('  load_balancer_type = "network"\n  idle_timeout = 60'),
      after: lb('  load_balancer_type = "network"\n  idle_timeout = 20'),
      expect: [],
    },
  ],
});
