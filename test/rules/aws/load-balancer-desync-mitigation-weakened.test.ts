import loadBalancerDesyncMitigationWeakened from "../../../src/rules/aws/load-balancer-desync-mitigation-weakened.js";
import { ruleTable } from "../rule-table.js";
import { awsPath, lb } from "./builders.js";

ruleTable(loadBalancerDesyncMitigationWeakened, {
  path: awsPath,
  cases: [
    {
      name: "strictest → monitor",
      before: lb('  desync_mitigation_mode = "strictest"'),
      after: lb('  desync_mitigation_mode = "monitor"'),
      expect: [{ severity: "high", line: '"monitor"', phrase: "request smuggling" }],
    },
    {
      name: "strictest → the default (defensive)",
      before: lb('  desync_mitigation_mode = "strictest"'),
      after: lb(""),
      expect: [
        {
          severity: "medium",
          line: 'resource "aws_lb"',
          phrase: "from strictest to defensive",
        },
      ],
    },
    {
      name: "defensive → strictest",
      before: lb(""),
      after: lb('  desync_mitigation_mode = "strictest"'),
      expect: [],
    },
  ],
});
