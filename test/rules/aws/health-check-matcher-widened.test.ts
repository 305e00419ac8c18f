import healthCheckMatcherWidened from "../../../src/rules/aws/health-check-matcher-widened.js";
import { ruleTable } from "../rule-table.js";
import { awsPath, cfnTargetGroup, tgBase } from "./builders.js";

ruleTable(healthCheckMatcherWidened, {
  path: awsPath,
  cases: [
    {
      name: "200 → 200-499 hides errors",
      before: tgBase('    matcher = "200"'),
      after: tgBase('    matcher = "200-499"'),
      expect: [{ severity: "medium", line: 'matcher = "200-499"', phrase: "400-499 as healthy" }],
    },
    {
      name: "200 → 200-299 is low",
      before: cfnTargetGroup("      Matcher:\n        HttpCode: 200"),
      after: cfnTargetGroup("      Matcher:\n        HttpCode: 200-299"),
      expect: [{ severity: "low", line: "HttpCode", phrase: "also accepts 201-299" }],
    },
    {
      name: "the same codes in another order",
      before: tgBase('    matcher = "200,202"'),
      after: tgBase('    matcher = "202,200"'),
      expect: [],
    },
    {
      name: "a narrowed matcher is the other rule's",
      before: tgBase('    matcher = "200-399"'),
      after: tgBase('    matcher = "200"'),
      expect: [],
    },
  ],
});
