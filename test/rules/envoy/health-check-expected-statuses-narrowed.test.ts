import healthCheckExpectedStatusesNarrowed from "../../../src/rules/envoy/health-check-expected-statuses-narrowed.js";
import { ruleTable } from "../rule-table.js";
import { ENVOY_PATH, bootstrap, check } from "./builders.js";

ruleTable(healthCheckExpectedStatusesNarrowed, {
  path: ENVOY_PATH,
  cases: [
    {
      name: "2xx-3xx narrowed to 200",
      before: bootstrap(check("expected_statuses:\n- { start: 200, end: 400 }")),
      after: bootstrap(check("expected_statuses:\n- { start: 200, end: 201 }")),
      expect: [
        {
          severity: "high",
          line: 32,
          phrase:
            /no longer accepts 201-399.*Safe: keep `expected_statuses: \[\{ start: 200, end: 400 \}\]` \(200-399\) until every host answers 200/,
        },
      ],
    },
    {
      name: "widened does not fire",
      before: bootstrap(check("")),
      after: bootstrap(check("expected_statuses:\n- { start: 200, end: 300 }")),
      expect: [],
    },
  ],
});
