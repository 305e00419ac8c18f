import panicThresholdChanged from "../../../src/rules/envoy/panic-threshold-changed.js";
import { ruleTable } from "../rule-table.js";
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
