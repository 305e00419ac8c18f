import classicConnectionDrainingOff from "../../../src/rules/aws/classic-connection-draining-off.js";
import { ruleTable } from "../rule-table.js";
import { awsPath, cfn, classic } from "./builders.js";

ruleTable(classicConnectionDrainingOff, {
  path: awsPath,
  cases: [
    {
      name: "true → false",
      before: classic("  connection_draining = true"),
      after: classic("  connection_draining = false"),
      expect: [{ severity: "high", line: "connection_draining = false", phrase: "cut at once" }],
    },
    {
      name: "CloudFormation policy disabled",
      before: cfn(`  Legacy:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      ConnectionDrainingPolicy:
        Enabled: true
        Timeout: 120
`),
      after: cfn(`  Legacy:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      ConnectionDrainingPolicy:
        Enabled: false
        Timeout: 120
`),
      expect: [{ severity: "high", line: "Enabled: false", phrase: "it allowed 2 min" }],
    },
    {
      name: "only the timeout changes",
      before: classic("  connection_draining = true\n  connection_draining_timeout = 300"),
      after: classic("  connection_draining = true\n  connection_draining_timeout = 400"),
      expect: [],
    },
  ],
});
