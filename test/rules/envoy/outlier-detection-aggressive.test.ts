import { describe, expect, it } from "vitest";
import outlierDetectionAggressive from "../../../src/rules/envoy/outlier-detection-aggressive.js";
import { findingsOf, ruleTable } from "../rule-table.js";
import { ENVOY_PATH, bootstrap, cluster } from "./builders.js";

ruleTable(outlierDetectionAggressive, {
  path: ENVOY_PATH,
  cases: [
    {
      name: "max_ejection_percent 100 can empty the pool",
      before: bootstrap(cluster("outlier_detection:", "  consecutive_5xx: 5")),
      after: bootstrap(
        cluster("outlier_detection:", "  consecutive_5xx: 5", "  max_ejection_percent: 100"),
      ),
      expect: [{ severity: "high", line: 27, phrase: "max_ejection_percent 10 → 100" }],
    },
    {
      name: "consecutive_5xx 1 flaps",
      before: bootstrap(cluster("outlier_detection:", "  consecutive_5xx: 5")),
      after: bootstrap(cluster("outlier_detection:", "  consecutive_5xx: 1")),
      expect: [{ severity: "medium", line: 26, phrase: "consecutive_5xx 5 → 1" }],
    },
    {
      name: "gateway failures enforced where they were only counted",
      before: bootstrap(cluster("outlier_detection: {}")),
      after: bootstrap(
        cluster("outlier_detection:", "  enforcing_consecutive_gateway_failure: 100"),
      ),
      expect: [
        { severity: "medium", line: 26, phrase: "enforcing_consecutive_gateway_failure 0 → 100" },
      ],
    },
    {
      name: "a calmer outlier detection does not fire",
      before: bootstrap(cluster("outlier_detection:", "  consecutive_5xx: 3")),
      after: bootstrap(
        cluster("outlier_detection:", "  consecutive_5xx: 7", "  max_ejection_percent: 30"),
      ),
      expect: [],
    },
  ],
});

// docs/lb-facts.md "Product limits the advice respects": max_ejection_percent is a percent, 0 to 100.
describe("envoy.outlier-detection.aggressive advice", () => {
  it("restores the old share as a plain percent", () => {
    const [finding] = findingsOf(
      outlierDetectionAggressive.id,
      ENVOY_PATH,
      bootstrap(cluster("outlier_detection:", "  max_ejection_percent: 20")),
      bootstrap(cluster("outlier_detection:", "  max_ejection_percent: 100")),
    );
    expect(finding?.message).toContain("Safe: keep `max_ejection_percent: 20`");
    expect(finding?.fix?.replacement.trim()).toBe("max_ejection_percent: 20");
  });

  it("writes no fix over the { value } wrapper", () => {
    const [finding] = findingsOf(
      outlierDetectionAggressive.id,
      ENVOY_PATH,
      bootstrap(cluster("outlier_detection:", "  consecutive_5xx: 5")),
      bootstrap(cluster("outlier_detection:", "  max_ejection_percent: { value: 100 }")),
    );
    expect(finding?.severity).toBe("high");
    expect(finding?.fix).toBeUndefined();
  });
});
