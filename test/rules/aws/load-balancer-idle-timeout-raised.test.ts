import loadBalancerIdleTimeoutRaised from "../../../src/rules/aws/load-balancer-idle-timeout-raised.js";
import { ruleTable } from "../rule-table.js";
import { LISTENER_80, attribute, awsPath, cfnLoadBalancer, classic, lb } from "./builders.js";

ruleTable(loadBalancerIdleTimeoutRaised, {
  path: awsPath,
  cases: [
    {
      name: "60 s → 120 s passes nginx's keep-alive",
      before: lb("  idle_timeout = 60"),
      after: lb("  idle_timeout = 120"),
      expect: [{ severity: "medium", line: "idle_timeout = 120", phrase: "intermittent 502s" }],
    },
    {
      name: "CloudFormation attribute 60 → 70 s",
      before: cfnLoadBalancer(
        "      Scheme: internal",
        attribute("idle_timeout.timeout_seconds", "'60'"),
      ),
      after: cfnLoadBalancer(
        "      Scheme: internal",
        attribute("idle_timeout.timeout_seconds", "'70'"),
      ),
      expect: [{ severity: "low", line: "Value: '70'", phrase: "longer than 70 s" }],
    },
    {
      name: "a Classic load balancer with an HTTP listener",
      before: classic("  idle_timeout = 60"),
      after: classic("  idle_timeout = 600"),
      expect: [
        { severity: "medium", line: "idle_timeout = 600", phrase: "raised from 60 s to 10 min" },
      ],
    },
    {
      name: "a Classic load balancer with TCP listeners only",
      before: classic("  idle_timeout = 60", LISTENER_80.replaceAll('"http"', '"tcp"')),
      after: classic("  idle_timeout = 600", LISTENER_80.replaceAll('"http"', '"tcp"')),
      expect: [],
    },
  ],
});
