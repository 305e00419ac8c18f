import targetGroupReplaced from "../../../src/rules/aws/target-group-replaced.js";
import { ruleTable } from "../rule-table.js";
import { awsPath, cfnTargetGroup, tg } from "./builders.js";

const tgAttrs = (port: string, extra = "") =>
  tg(
    `  name     = "web"\n  port     = ${port}\n  protocol = "HTTP"\n  vpc_id   = "vpc-123"${extra}`,
    "",
  );

ruleTable(targetGroupReplaced, {
  path: awsPath,
  cases: [
    {
      name: "a new port without create_before_destroy",
      before: tgAttrs("80"),
      after: tgAttrs("8080"),
      expect: [{ severity: "high", line: "port     = 8080", phrase: "ResourceInUse" }],
    },
    {
      name: "with create_before_destroy and a fixed name the deploy fails",
      before: tgAttrs("80", "\n  lifecycle {\n    create_before_destroy = true\n  }"),
      after: tgAttrs("8080", "\n  lifecycle {\n    create_before_destroy = true\n  }"),
      expect: [{ severity: "medium", line: "port     = 8080", phrase: "DuplicateTargetGroupName" }],
    },
    {
      name: "name → name_prefix with create_before_destroy",
      before: tg(
        '  name     = "web"\n  port     = 80\n  protocol = "HTTP"\n  vpc_id   = "vpc-123"\n  lifecycle {\n    create_before_destroy = true\n  }',
      ),
      after: tg(
        '  name_prefix = "web-"\n  port        = 80\n  protocol    = "HTTP"\n  vpc_id      = "vpc-123"\n  lifecycle {\n    create_before_destroy = true\n  }',
      ),
      expect: [
        {
          severity: "medium",
          line: "name_prefix",
          phrase: "starts with no registered targets",
        },
      ],
    },
    {
      name: "CloudFormation Port",
      before: cfnTargetGroup("      HealthCheckPath: /"),
      after: cfnTargetGroup("      HealthCheckPath: /").replace("Port: 80", "Port: 8080"),
      expect: [{ severity: "medium", line: "Port: 8080", phrase: "will be replaced" }],
    },
    {
      name: '"80" and 80 are the same port',
      before: tgAttrs('"80"'),
      after: tgAttrs("80"),
      expect: [],
    },
    {
      name: "an expression cannot be judged",
      before: tgAttrs("var.port"),
      after: tgAttrs("var.other_port"),
      expect: [],
    },
    {
      name: "adding the default protocol_version",
      before: tgAttrs("80"),
      after: tgAttrs("80", '\n  protocol_version = "HTTP1"'),
      expect: [],
    },
  ],
});
