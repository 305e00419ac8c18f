import classicConnectionDrainingCut from "../../../src/rules/aws/classic-connection-draining-cut.js";
import { ruleTable } from "../rule-table.js";
import { awsPath, classic } from "./builders.js";

ruleTable(classicConnectionDrainingCut, {
  path: awsPath,
  cases: [
    {
      name: "300 s → 5 s",
      before: classic("  connection_draining = true"),
      after: classic("  connection_draining = true\n  connection_draining_timeout = 5"),
      expect: [
        {
          severity: "high",
          line: "connection_draining_timeout = 5",
          phrase: "from 5 min to 5 s",
        },
      ],
    },
    {
      name: "draining off is the other rule's",
      before: classic("  connection_draining = true"),
      after: classic("  connection_draining = false\n  connection_draining_timeout = 5"),
      expect: [],
    },
  ],
});
