import healthCheckOutOfRange from "../../../src/rules/aws/health-check-out-of-range.js";
import { ruleTable } from "../rule-table.js";
import { awsPath, cfnTargetGroup, classic, tgBase } from "./builders.js";

ruleTable(healthCheckOutOfRange, {
  path: awsPath,
  cases: [
    {
      name: "an interval of 3 s is rejected",
      before: tgBase("    interval = 30"),
      after: tgBase("    interval = 3"),
      expect: [
        {
          severity: "medium",
          line: "interval = 3",
          phrase: "outside the 5–300 s AWS accepts",
        },
      ],
    },
    {
      name: "CloudFormation timeout above 120 s",
      before: cfnTargetGroup("      HealthCheckTimeoutSeconds: 5"),
      after: cfnTargetGroup("      HealthCheckTimeoutSeconds: 150"),
      expect: [
        {
          severity: "medium",
          line: "HealthCheckTimeoutSeconds",
          phrase: "the deploy will fail",
        },
      ],
    },
    {
      name: "Classic timeout above 60 s",
      before: classic(""),
      after: classic("").replace("timeout             = 5", "timeout             = 90"),
      expect: [{ severity: "medium", line: "timeout             = 90", phrase: "2–60 s" }],
    },
    {
      name: "an interval of 5 s is accepted",
      before: tgBase("    interval = 30"),
      after: tgBase("    interval = 5"),
      expect: [],
    },
    {
      name: "an invalid value the change did not touch",
      before: tgBase('    interval = 3\n    path = "/a"'),
      after: tgBase('    interval = 3\n    path = "/b"'),
      expect: [],
    },
    {
      name: "an expression cannot be judged",
      before: tgBase("    interval = 30"),
      after: tgBase("    interval = var.interval"),
      expect: [],
    },
  ],
});
