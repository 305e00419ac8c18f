import healthCheckMatcherNarrowed from "../../../src/rules/aws/health-check-matcher-narrowed.js";
import { ruleTable } from "../rule-table.js";
import { awsPath, tgBase } from "./builders.js";

ruleTable(healthCheckMatcherNarrowed, {
  path: awsPath,
  cases: [
    {
      name: "200-399 → 200",
      before: tgBase('    matcher = "200-399"'),
      after: tgBase('    matcher = "200"'),
      expect: [{ severity: "high", line: 'matcher = "200"', phrase: "no longer accepts 201-399" }],
    },
    {
      name: "a widened matcher",
      before: tgBase('    matcher = "200"'),
      after: tgBase('    matcher = "200-399"'),
      expect: [],
    },
  ],
});
