import { describe, expect, it } from "vitest";
import panicThresholdChanged from "../../../src/rules/envoy/panic-threshold-changed.js";
import { findingsOf, ruleTable } from "../rule-table.js";
import { ENVOY_PATH, bootstrap, cluster } from "./builders.js";

ruleTable(panicThresholdChanged, {
  path: ENVOY_PATH,
  cases: [
    {
      name: "panic mode turned off",
      before: bootstrap(""),
      after: bootstrap(cluster("common_lb_config:", "  healthy_panic_threshold: { value: 0 }")),
      expect: [
        {
          severity: "high",
          line: 26,
          phrase: "turns panic mode off (healthy_panic_threshold 50% → 0)",
        },
      ],
    },
    {
      name: "raised to 90 %",
      before: bootstrap(""),
      after: bootstrap(cluster("common_lb_config:", "  healthy_panic_threshold: { value: 90 }")),
      expect: [
        { severity: "high", line: 26, phrase: "once more than 10% of its hosts are unhealthy" },
      ],
    },
    {
      name: "a threshold of 30 % does not fire",
      before: bootstrap(""),
      after: bootstrap(cluster("common_lb_config:", "  healthy_panic_threshold: { value: 30 }")),
      expect: [],
    },
  ],
});

// docs/lb-facts.md "Product limits the advice respects": a Percent is written `{ value: N }`, 0 to 100.
describe("envoy.panic-threshold.changed advice", () => {
  it("names the setting as Envoy's YAML writes it and restores the old value", () => {
    const [finding] = findingsOf(
      panicThresholdChanged.id,
      ENVOY_PATH,
      bootstrap(""),
      bootstrap(cluster("common_lb_config:", "  healthy_panic_threshold: { value: 0 }")),
    );
    expect(finding?.message).toContain("Safe: keep `healthy_panic_threshold: { value: 50 }`");
    expect(finding?.fix?.replacement.trim()).toBe("healthy_panic_threshold: { value: 50 }");
  });
});
