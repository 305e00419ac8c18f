import lbProbeBelowMinimum from "../../../src/rules/azure/lb-probe-below-minimum.js";
import { ruleTable } from "../rule-table.js";
import { probe } from "./builders.js";

ruleTable(lbProbeBelowMinimum, {
  path: "lb.tf",
  cases: [
    {
      name: "interval × number_of_probes below 10 s",
      before: probe("  port = 80\n  interval_in_seconds = 15\n  number_of_probes = 2"),
      after: probe("  port = 80\n  interval_in_seconds = 5\n  number_of_probes = 1"),
      expect: [
        {
          severity: "medium",
          line: "number_of_probes = 1",
          phrase: "5 s × 1 = 5 s, below the 10 s minimum",
        },
      ],
    },
    {
      name: "interval below 5 s",
      before: probe("  port = 80\n  number_of_probes = 3"),
      after: probe("  port = 80\n  number_of_probes = 3\n  interval_in_seconds = 4"),
      expect: [
        {
          severity: "medium",
          line: "interval_in_seconds = 4",
          phrase: "below the 5 s minimum",
        },
      ],
    },
    {
      name: "probe_threshold 0",
      before: probe("  port = 80"),
      after: probe("  port = 80\n  probe_threshold = 0"),
      expect: [{ severity: "medium", line: "probe_threshold = 0", phrase: "outside 1–100" }],
    },
    {
      name: "exactly 10 s",
      before: probe("  port = 80"),
      after: probe("  port = 80\n  interval_in_seconds = 5"),
      expect: [],
    },
    {
      name: "a violation the change did not touch",
      before: probe("  port = 80\n  interval_in_seconds = 4\n  number_of_probes = 3"),
      after: probe("  port = 81\n  interval_in_seconds = 4\n  number_of_probes = 3"),
      expect: [],
    },
  ],
});
