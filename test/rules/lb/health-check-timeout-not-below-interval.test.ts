import timeoutNotBelowInterval from "../../../src/rules/lb/health-check-timeout-not-below-interval.js";
import { ruleTable } from "../rule-table.js";
import { targetGroup } from "./builders.js";

ruleTable(timeoutNotBelowInterval, {
  wholeAnalysis: true,
  path: "lb.tf",
  cases: [
    {
      name: "the change makes the timeout reach the interval",
      before: targetGroup("interval = 10\ntimeout = 5"),
      after: targetGroup("interval = 10\ntimeout = 10"),
      expect: [
        {
          severity: "medium",
          line: "timeout = 10",
          phrase: "times a check out after 10 s with checks every 10 s: no slack between checks",
        },
      ],
    },
    {
      name: "a timeout below the interval",
      before: targetGroup("interval = 10\ntimeout = 5"),
      after: targetGroup("interval = 10\ntimeout = 9"),
      expect: [],
    },
    {
      name: "a problem the change did not touch",
      before: targetGroup("interval = 10\ntimeout = 10\nhealthy_threshold = 3"),
      after: targetGroup("interval = 10\ntimeout = 10\nhealthy_threshold = 4"),
      expect: [],
    },
  ],
});
