import targetGroupAlgorithmChanged from "../../../src/rules/aws/target-group-algorithm-changed.js";
import { ruleTable } from "../rule-table.js";
import { awsPath, tgBase } from "./builders.js";

ruleTable(targetGroupAlgorithmChanged, {
  path: awsPath,
  cases: [
    {
      name: "round robin → least outstanding requests",
      before: tgBase(""),
      after: tgBase("", '  load_balancing_algorithm_type = "least_outstanding_requests"'),
      expect: [
        {
          severity: "medium",
          line: "load_balancing_algorithm_type",
          phrase: "instead of round_robin",
        },
      ],
    },
    {
      name: "the default made explicit",
      before: tgBase(""),
      after: tgBase("", '  load_balancing_algorithm_type = "round_robin"'),
      expect: [],
    },
  ],
});
