import attributeOutOfRange from "../../../src/rules/aws/attribute-out-of-range.js";
import { ruleTable } from "../rule-table.js";
import { awsPath, tgBase } from "./builders.js";

ruleTable(attributeOutOfRange, {
  path: awsPath,
  cases: [
    {
      name: "deregistration delay above 3600 s",
      before: tgBase(""),
      after: tgBase("", "  deregistration_delay = 4000"),
      expect: [{ severity: "medium", line: "deregistration_delay = 4000", phrase: "0–3600 s" }],
    },
    {
      name: "slow start between 1 and 29 s",
      before: tgBase("", "  slow_start = 30"),
      after: tgBase("", "  slow_start = 10"),
      expect: [{ severity: "medium", line: "slow_start = 10", phrase: "0 (off) or 30–900 s" }],
    },
    {
      name: "slow start off",
      before: tgBase("", "  slow_start = 30"),
      after: tgBase("", "  slow_start = 0"),
      expect: [],
    },
  ],
});
