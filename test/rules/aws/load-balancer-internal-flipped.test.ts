import loadBalancerInternalFlipped from "../../../src/rules/aws/load-balancer-internal-flipped.js";
import { ruleTable } from "../rule-table.js";
import { awsPath, cfnLoadBalancer, lb } from "./builders.js";

ruleTable(loadBalancerInternalFlipped, {
  path: awsPath,
  cases: [
    {
      name: "becomes internal",
      before: lb("  internal = false"),
      after: lb("  internal = true"),
      expect: [{ severity: "high", line: "internal = true", phrase: "can no longer reach it" }],
    },
    {
      name: "CloudFormation scheme becomes internet-facing",
      before: cfnLoadBalancer("      Scheme: internal"),
      after: cfnLoadBalancer("      Scheme: internet-facing"),
      expect: [
        {
          severity: "high",
          line: "Scheme: internet-facing",
          phrase: "reachable from the internet",
        },
      ],
    },
    {
      name: "the default made explicit",
      before: lb(""),
      after: lb("  internal = false"),
      expect: [],
    },
  ],
});
