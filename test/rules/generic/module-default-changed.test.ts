import moduleDefaultChanged from "../../../src/rules/generic/module-default-changed.js";
import { ruleTable } from "../rule-table.js";

const variable = (name: string, value: string, description = "") =>
  `variable "${name}" {\n  description = "${description}"\n  default     = ${value}\n}\n`;

const TG_DEFAULTS = (stickiness: string, matcher: string) =>
  `variable "target_groups_defaults" {\n  description = "Default values for target groups"\n  default = {\n    cookie_duration    = 86400\n    stickiness_enabled = ${stickiness}\n    health_check_matcher = "${matcher}"\n  }\n}\n`;

const parameters = (body: string) => `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
${body}Resources:
  Topic:
    Type: AWS::SNS::Topic
`;
const parameter = (name: string, value: string) =>
  `  ${name}:\n    Type: String\n    Default: "${value}"\n    Description: "${name} of the load balancer"\n`;

ruleTable(moduleDefaultChanged, {
  path: "modules/alb/variables.tf",
  cases: [
    {
      name: "stickiness on by default turned off in a map default is high",
      before: TG_DEFAULTS("true", "200-299"),
      after: TG_DEFAULTS("false", "200-299"),
      expect: [
        {
          severity: "high",
          line: "stickiness_enabled",
          phrase: /stickiness is now off for every caller/,
        },
      ],
    },
    {
      name: "a matcher default removed with its variable falls back to AWS's 200: high",
      before: variable("health_check_matcher", '"200-299"') + variable("name", '"web"'),
      after: variable("name", '"web"'),
      expect: [
        {
          severity: "high",
          line: 'default     = "200-299"',
          side: "before",
          phrase: /health checks now fail on 99 status codes/,
        },
      ],
    },
    {
      name: "the default listener list replaced by empty ones is high",
      before: variable("alb_protocols", '["HTTP"]'),
      after: variable("http_tcp_listeners", "[]") + variable("https_listeners", "[]"),
      expect: [
        {
          severity: "high",
          line: 'default     = ["HTTP"]',
          side: "before",
          phrase: /get no listener/,
        },
      ],
    },
    {
      name: "a deregistration delay default cut from 300 to 10 is high",
      before: variable("deregistration_delay", "300"),
      after: variable("deregistration_delay", "10"),
      expect: [{ severity: "high", line: "default", phrase: /drained for 10 s instead of 300 s/ }],
    },
    {
      name: "a CloudFormation parameter default: internal true → false is high",
      path: "templates/alb.yaml",
      before: parameters(parameter("LoadBalancerInternal", "true")),
      after: parameters(parameter("LoadBalancerInternal", "false")),
      expect: [{ severity: "high", line: "Default:", phrase: /become internet-facing/ }],
    },
    {
      name: "a CloudFormation parameter default: stickiness on → off is high",
      path: "templates/alb.yaml",
      before: parameters(parameter("StickinessEnabled", "true")),
      after: parameters(parameter("StickinessEnabled", "false")),
      expect: [{ severity: "high", line: "Default:", phrase: /stickiness is now off/ }],
    },
    {
      name: "default health check made hair-trigger: interval 30 → 2 with threshold 2 is high",
      before:
        variable("health_check_interval", "30") + variable("health_check_unhealthy_threshold", "2"),
      after:
        variable("health_check_interval", "2") + variable("health_check_unhealthy_threshold", "2"),
      expect: [
        {
          severity: "high",
          line: "default     = 2",
          phrase: /now ejects a target after 4 s \(2 s × 2\), was 60 s/,
        },
      ],
    },
    {
      name: "the same through CloudFormation parameter defaults",
      path: "templates/alb.yaml",
      before: parameters(
        parameter("HealthCheckIntervalSeconds", "30") + parameter("UnhealthyThresholdCount", "5"),
      ),
      after: parameters(
        parameter("HealthCheckIntervalSeconds", "5") + parameter("UnhealthyThresholdCount", "2"),
      ),
      expect: [
        {
          severity: "high",
          line: 'Default: "5"',
          phrase: /ejects a target after 10 s .* was 150 s/,
        },
      ],
    },
    {
      name: "near: a variable renamed with the same default, stickiness turned on, matcher widened, Terraform timeouts cut",
      before:
        variable("load_balancer_is_internal", "true") +
        TG_DEFAULTS("false", "200") +
        variable("load_balancer_update_timeout", '"10m"'),
      after:
        variable("internal", "true") +
        TG_DEFAULTS("true", "200-299") +
        variable("load_balancer_update_timeout", '"1m"'),
      expect: [],
    },
    {
      name: "near: a default health check made calmer, and one halved",
      before: variable("health_check_interval", "10") + variable("unhealthy_threshold", "3"),
      after: variable("health_check_interval", "15") + variable("unhealthy_threshold", "2"),
      expect: [],
    },
    {
      name: "near: a matcher and stickiness default moved into a map default with the same values",
      before:
        variable("health_check_matcher", '"200-299"') + variable("stickiness_enabled", "true"),
      after: TG_DEFAULTS("true", "200-299"),
      expect: [],
    },
    {
      name: "near: a CloudFormation draining default raised",
      path: "templates/alb.yaml",
      before: parameters(parameter("DeregistrationDelay", "30")),
      after: parameters(parameter("DeregistrationDelay", "300")),
      expect: [],
    },
  ],
});
