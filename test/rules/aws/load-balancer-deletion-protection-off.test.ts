import loadBalancerDeletionProtectionOff from "../../../src/rules/aws/load-balancer-deletion-protection-off.js";
import { ruleTable } from "../rule-table.js";
import { attribute, awsPath, cfnLoadBalancer, lb } from "./builders.js";

ruleTable(loadBalancerDeletionProtectionOff, {
  path: awsPath,
  cases: [
    {
      name: "true → false",
      before: lb("  enable_deletion_protection = true"),
      after: lb("  enable_deletion_protection = false"),
      expect: [
        {
          severity: "high",
          line: "enable_deletion_protection = false",
          phrase: "loses its deletion protection",
        },
      ],
    },
    {
      name: "CloudFormation attribute removed (default false)",
      before: cfnLoadBalancer(
        "      Scheme: internal",
        attribute("deletion_protection.enabled", "'true'"),
      ),
      after: cfnLoadBalancer("      Scheme: internal"),
      expect: [{ severity: "high", line: "Properties:", phrase: "deletion protection" }],
    },
    {
      name: "false → true",
      before: lb("  enable_deletion_protection = false"),
      after: lb("  enable_deletion_protection = true"),
      expect: [],
    },
  ],
});
