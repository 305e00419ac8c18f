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
