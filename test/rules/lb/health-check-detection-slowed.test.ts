import detectionSlowed from "../../../src/rules/lb/health-check-detection-slowed.js";
import { ruleTable } from "../rule-table.js";
import { targetGroup } from "./builders.js";

ruleTable(detectionSlowed, {
  wholeAnalysis: true,
  path: "lb.tf",
  cases: [
    {
      name: "much calmer checks are medium at most",
      before: targetGroup("interval = 10\nunhealthy_threshold = 3"),
      after: targetGroup("interval = 60\nunhealthy_threshold = 3"),
      expect: [
        {
          severity: "medium",
          line: "interval = 60",
          phrase: "keeps a dead target in service for 3 min instead of 30 s",
        },
      ],
    },
    {
      name: "a small slowdown",
      before: targetGroup("interval = 10\nunhealthy_threshold = 2"),
      after: targetGroup("interval = 12\nunhealthy_threshold = 2"),
      expect: [],
    },
  ],
});
