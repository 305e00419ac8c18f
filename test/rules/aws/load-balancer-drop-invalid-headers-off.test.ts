import loadBalancerDropInvalidHeadersOff from "../../../src/rules/aws/load-balancer-drop-invalid-headers-off.js";
import { ruleTable } from "../rule-table.js";
import { attribute, awsPath, cfnLoadBalancer, lb } from "./builders.js";

ruleTable(loadBalancerDropInvalidHeadersOff, {
  path: awsPath,
  cases: [
    {
      name: "CloudFormation attribute true → false",
      before: cfnLoadBalancer(
        "      Scheme: internal",
        attribute("routing.http.drop_invalid_header_fields.enabled", "'true'"),
      ),
      after: cfnLoadBalancer(
        "      Scheme: internal",
        attribute("routing.http.drop_invalid_header_fields.enabled", "'false'"),
      ),
      expect: [{ severity: "high", line: "Value: 'false'", phrase: "invalid header fields" }],
    },
    {
      name: "Terraform true → false",
      before: lb("  drop_invalid_header_fields = true"),
      after: lb("  drop_invalid_header_fields = false"),
      expect: [
        {
          severity: "high",
          line: "drop_invalid_header_fields = false",
          phrase: "stops dropping invalid header fields",
        },
      ],
    },
    {
      name: "the default made explicit",
      before: lb(""),
      after: lb("  drop_invalid_header_fields = false"),
      expect: [],
    },
  ],
});
