import { describe, expect, it } from "vitest";
import detectionTooFast from "../../../src/rules/lb/health-check-detection-too-fast.js";
import { findingsOf, ruleTable } from "../rule-table.js";
import { CFN_DELAY, cfnTargetGroup, targetGroup } from "./builders.js";

ruleTable(detectionTooFast, {
  wholeAnalysis: true,
  path: "lb.tf",
  cases: [
    {
      name: "90 s → 10 s is high",
      before: targetGroup("interval = 30\nunhealthy_threshold = 3"),
      after: targetGroup("interval = 5\nunhealthy_threshold = 2"),
      expect: [
        {
          severity: "high",
          line: "interval = 5",
          phrase: "after 10 s instead of 90 s (5 s × 2, was 30 s × 3): below the 20 s floor",
        },
      ],
    },
    {
      name: "a large drop above the floor is medium",
      before: targetGroup("interval = 300\nunhealthy_threshold = 3"),
      after: targetGroup("interval = 60\nunhealthy_threshold = 3"),
      expect: [{ severity: "medium", line: "interval = 60", phrase: "80% sooner" }],
    },
    {
      name: "CloudFormation uses the AWS API defaults (30 s × 2 = 60 s)",
      path: "t.yaml",
      before: cfnTargetGroup(30, 2, CFN_DELAY),
      after: cfnTargetGroup(5, 2, CFN_DELAY),
      expect: [
        {
          severity: "high",
          line: "HealthCheckIntervalSeconds",
          phrase: "after 10 s instead of 60 s (5 s × 2, was 30 s × 2)",
        },
      ],
    },
    {
      name: "a small drop is not a finding",
      before: targetGroup("interval = 30\nunhealthy_threshold = 3"),
      after: targetGroup("interval = 25\nunhealthy_threshold = 3"),
      expect: [],
    },
    {
      name: "defaults (30 × 3) made explicit are no change",
      before: targetGroup(""),
      after: targetGroup("interval = 30\nunhealthy_threshold = 3"),
      expect: [],
    },
    {
      name: "an expression cannot be judged",
      before: targetGroup("interval = 30"),
      after: targetGroup("interval = var.interval"),
      expect: [],
    },
  ],
});

describe("lb.health-check.detection-too-fast figures", () => {
  it("carries the detection times before and after, in seconds (CloudFormation: 30 s × 2 → 5 s × 2)", () => {
    const found = findingsOf(
      detectionTooFast.id,
      "t.yaml",
      cfnTargetGroup(30, 2, CFN_DELAY),
      cfnTargetGroup(5, 2, CFN_DELAY),
    );
    expect(found).toMatchObject([{ line: 9, before: 60, after: 10 }]);
  });
});
