import listenerSslPolicyDowngraded from "../../../src/rules/aws/listener-ssl-policy-downgraded.js";
import { ruleTable } from "../rule-table.js";
import { awsPath, cfnListener, httpsListener } from "./builders.js";

ruleTable(listenerSslPolicyDowngraded, {
  path: awsPath,
  cases: [
    {
      name: "TLS 1.2+ → 2016-08",
      before: httpsListener("ELBSecurityPolicy-TLS13-1-2-2021-06"),
      after: httpsListener("ELBSecurityPolicy-2016-08"),
      expect: [{ severity: "high", line: "ELBSecurityPolicy-2016-08", phrase: "TLS 1.0" }],
    },
    {
      name: "legacy ciphers added at the same floor",
      before: httpsListener("ELBSecurityPolicy-TLS13-1-2-2021-06"),
      after: httpsListener("ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06"),
      expect: [{ severity: "medium", line: "Ext2", phrase: "legacy cipher suites" }],
    },
    {
      name: "a new HTTPS listener without a policy",
      before: "",
      after: httpsListener(""),
      expect: [
        {
          severity: "medium",
          line: 'resource "aws_lb_listener"',
          phrase: "ELBSecurityPolicy-2016-08",
        },
      ],
    },
    {
      name: "Terraform keeps a removed policy",
      before: httpsListener("ELBSecurityPolicy-TLS13-1-2-2021-06"),
      after: httpsListener(""),
      expect: [
        {
          severity: "low",
          line: 'resource "aws_lb_listener"',
          phrase: "Terraform keeps the current policy",
        },
      ],
    },
    {
      name: "CloudFormation: a removed policy falls back to 2016-08",
      before: cfnListener(
        "      Port: 443\n      Protocol: HTTPS\n      SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06",
      ),
      after: cfnListener("      Port: 443\n      Protocol: HTTPS"),
      expect: [{ severity: "high", line: "Properties:", phrase: "as the policy is removed" }],
    },
    {
      // docs/risk.md, TLS: "the minimum protocol raised (old clients fail)" is high (was low).
      name: "raising the floor is high",
      before: httpsListener("ELBSecurityPolicy-2016-08"),
      after: httpsListener("ELBSecurityPolicy-TLS13-1-3-2021-06"),
      expect: [{ severity: "high", line: "TLS13-1-3", phrase: "can no longer connect" }],
    },
    {
      name: "another policy with the same protocols",
      before: httpsListener("ELBSecurityPolicy-TLS13-1-2-2021-06"),
      after: httpsListener("ELBSecurityPolicy-TLS13-1-2-Res-2021-06"),
      expect: [],
    },
  ],
});
