import healthCheckPathChanged from "../../../src/rules/aws/health-check-path-changed.js";
import { ruleTable } from "../rule-table.js";
import { awsPath, cfnTargetGroup, classic, tgBase } from "./builders.js";

ruleTable(healthCheckPathChanged, {
  path: awsPath,
  cases: [
    {
      name: "a new path",
      before: tgBase('    path = "/"'),
      after: tgBase('    path = "/health"'),
      expect: [{ severity: "high", line: 'path = "/health"', phrase: "fails open" }],
    },
    {
      name: "a path where Terraform had the default",
      before: tgBase("    interval = 30"),
      after: tgBase('    interval = 30\n    path = "/ready"'),
      expect: [{ severity: "high", line: 'path = "/ready"', phrase: 'instead of "/"' }],
    },
    {
      name: "CloudFormation: from the default / to /status",
      before: cfnTargetGroup("      HealthCheckIntervalSeconds: 30"),
      after: cfnTargetGroup("      HealthCheckIntervalSeconds: 30\n      HealthCheckPath: /status"),
      expect: [{ severity: "high", line: "HealthCheckPath", phrase: '"/status"' }],
    },
    {
      name: "Classic check target path",
      before: classic(""),
      after: classic("").replace('"HTTP:80/"', '"HTTP:80/health"'),
      expect: [{ severity: "high", line: "HTTP:80/health", phrase: "nowhere to send requests" }],
    },
    {
      name: "removing path in Terraform keeps the current one",
      before: tgBase('    path = "/health"'),
      after: tgBase("    interval = 30"),
      expect: [],
    },
    {
      name: "a TCP check ignores the path",
      before: tgBase('    protocol = "TCP"\n    path = "/a"'),
      after: tgBase('    protocol = "TCP"\n    path = "/b"'),
      expect: [],
    },
    {
      name: "an expression cannot be judged",
      before: tgBase('    path = "/"'),
      after: tgBase("    path = var.health_path"),
      expect: [],
    },
  ],
});
