import targetGroupSlowStartChanged from "../../../src/rules/aws/target-group-slow-start-changed.js";
import { ruleTable } from "../rule-table.js";
import { awsPath, tgBase } from "./builders.js";

ruleTable(targetGroupSlowStartChanged, {
  path: awsPath,
  cases: [
    {
      name: "turned off",
      before: tgBase("", "  slow_start = 60"),
      after: tgBase("", "  slow_start = 0"),
      expect: [{ severity: "medium", line: "slow_start = 0", phrase: "full share of requests" }],
    },
    {
      name: "turned on",
      before: tgBase(""),
      after: tgBase("", "  slow_start = 120"),
      expect: [{ severity: "low", line: "slow_start = 120", phrase: "ramp up over 2 min" }],
    },
    {
      name: "the default made explicit",
      before: tgBase(""),
      after: tgBase("", "  slow_start = 0"),
      expect: [],
    },
  ],
});
