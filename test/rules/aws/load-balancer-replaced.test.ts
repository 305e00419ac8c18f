import loadBalancerReplaced from "../../../src/rules/aws/load-balancer-replaced.js";
import { ruleTable } from "../rule-table.js";
import { awsPath, cfn, cfnLoadBalancer, lb } from "./builders.js";

ruleTable(loadBalancerReplaced, {
  path: awsPath,
  cases: [
    {
      name: "a new name",
      before: lb("  internal = false"),
      after: lb("  internal = false").replace('name    = "main"', 'name    = "main-v2"'),
      expect: [{ severity: "high", line: 'name    = "main-v2"', phrase: "new DNS name" }],
    },
    {
      name: "CloudFormation: a Classic load balancer becomes an ALB under the same logical id",
      before: cfn(`  LoadBalancer:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Listeners:
        - LoadBalancerPort: 80
          InstancePort: 8080
          Protocol: HTTP
`),
      after: cfnLoadBalancer("      Scheme: internet-facing"),
      expect: [{ severity: "high", line: "  LoadBalancer:", phrase: '"classic" → "application"' }],
    },
    {
      name: "removing the name keeps it in Terraform",
      before: lb("  internal = false"),
      after: lb("  internal = false").replace('  name    = "main"\n', ""),
      expect: [],
    },
  ],
});
