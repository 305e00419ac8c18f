import outlierDetectionRemoved from "../../../src/rules/envoy/outlier-detection-removed.js";
import { ruleTable } from "../rule-table.js";
import { ENVOY_PATH, bootstrap, check, cluster } from "./builders.js";

ruleTable(outlierDetectionRemoved, {
  path: ENVOY_PATH,
  cases: [
    {
      name: "removed with no active check is high (before-side line)",
      before: bootstrap(cluster("outlier_detection:", "  consecutive_5xx: 5")),
      after: bootstrap(""),
      expect: [{ severity: "high", line: 25, phrase: "has no active health check" }],
    },
    {
      name: "removed with active checks left is medium",
      before: bootstrap(cluster("outlier_detection:", "  consecutive_5xx: 5") + check("")),
      after: bootstrap(check("")),
      expect: [{ severity: "medium", line: 25, phrase: "only its active health checks remain" }],
    },
    {
      name: "a tuned outlier detection is not a removal",
      before: bootstrap(cluster("outlier_detection:", "  consecutive_5xx: 5")),
      after: bootstrap(cluster("outlier_detection:", "  consecutive_5xx: 7")),
      expect: [],
    },
  ],
});
