import healthCheckDisabled from "../../../src/rules/aws/health-check-disabled.js";
import { ruleTable } from "../rule-table.js";
import { awsPath, tg, tgBase } from "./builders.js";

ruleTable(healthCheckDisabled, {
  path: awsPath,
  cases: [
    {
      name: "instance group: AWS does not allow it",
      before: tgBase("    enabled = true"),
      after: tgBase("    enabled = false"),
      expect: [
        {
          severity: "medium",
          line: "enabled = false",
          phrase: "cannot disable health checks",
        },
      ],
    },
    {
      name: "Lambda group",
      before: tg('  name        = "fn"\n  target_type = "lambda"', "    enabled = true"),
      after: tg('  name        = "fn"\n  target_type = "lambda"', "    enabled = false"),
      expect: [
        {
          severity: "low",
          line: "enabled = false",
          phrase: "invokes it whether or not it works",
        },
      ],
    },
    {
      name: "still enabled",
      before: tgBase("    enabled = true"),
      after: tgBase("    enabled = true\n    interval = 20"),
      expect: [],
    },
  ],
});
