import healthCheckTargetChanged from "../../../src/rules/envoy/health-check-target-changed.js";
import { ruleTable } from "../rule-table.js";
import { ENVOY_PATH, bootstrap, check } from "./builders.js";

ruleTable(healthCheckTargetChanged, {
  path: ENVOY_PATH,
  cases: [
    {
      name: "the check path changes",
      before: bootstrap(check("")),
      after: bootstrap(check("").replace("/healthz", "/ready")),
      expect: [{ severity: "high", line: 26, phrase: "changes path /healthz → /ready" }],
    },
    {
      name: "a new interval is not a target change",
      before: bootstrap(check("")),
      after: bootstrap(check("").replace("interval: 5s", "interval: 10s")),
      expect: [],
    },
  ],
});
