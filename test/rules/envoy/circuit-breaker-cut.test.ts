import circuitBreakerCut from "../../../src/rules/envoy/circuit-breaker-cut.js";
import { ruleTable } from "../rule-table.js";
import { ENVOY_PATH, bootstrap, cluster } from "./builders.js";

ruleTable(circuitBreakerCut, {
  path: ENVOY_PATH,
  cases: [
    {
      name: "max_requests set to 100 cuts the 1024 default",
      before: bootstrap(""),
      after: bootstrap(cluster("circuit_breakers:", "  thresholds:", "  - max_requests: 100")),
      expect: [
        {
          severity: "high",
          line: 27,
          phrase:
            /DEFAULT circuit breakers: max_requests 1024 → 100.*Safe: keep `max_requests: 1024`/,
        },
      ],
    },
    {
      name: "max_retries cut is medium",
      before: bootstrap(cluster("circuit_breakers:", "  thresholds:", "  - max_retries: 10")),
      after: bootstrap(cluster("circuit_breakers:", "  thresholds:", "  - max_retries: 2")),
      expect: [{ severity: "medium", line: 27, phrase: "max_retries 10 → 2" }],
    },
    {
      name: "a raised limit does not fire",
      before: bootstrap(cluster("circuit_breakers:", "  thresholds:", "  - max_requests: 1000")),
      after: bootstrap(cluster("circuit_breakers:", "  thresholds:", "  - max_requests: 5000")),
      expect: [],
    },
  ],
});
