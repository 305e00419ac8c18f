import { describe, expect, it } from "vitest";
import detectionTooFast from "../../../src/rules/lb/health-check-detection-too-fast.js";
import { findingsOf, ruleTable } from "../rule-table.js";
import { lines, NGINX_PATH, site, THREE } from "../nginx/builders.js";
import { checkedPool, TRAEFIK_PATH } from "../traefik/builders.js";
import { ENVOY_PATH, timedCheck } from "../envoy/builders.js";
import { CFN_DELAY, cfnTargetGroup, readinessProbe, targetGroup } from "./builders.js";

/** An NGINX Plus pool of three servers whose location runs `health_check ${params}`. */
const plus = (params: string): string => site(THREE, `            health_check ${params};`);

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
      name: "AWS: the safe timing keeps to what AWS accepts (interval at least 5 s, threshold 2–10), not 4 s × 3",
      before: targetGroup("interval = 4\nunhealthy_threshold = 3"),
      after: targetGroup("interval = 1\nunhealthy_threshold = 2"),
      expect: [
        {
          severity: "high",
          line: "interval = 1",
          phrase:
            'target group "web" ejects a failing target after 2 s instead of 12 s (1 s × 2, was 4 s × 3): below the 20 s floor, now hair-trigger (2 s of failed checks eject it, under the 5 s hair-trigger floor), 83% sooner. Safe: keep ejection ≥ 12 s, e.g. interval 5 s × unhealthy threshold 3.',
        },
      ],
      others: ["aws.health-check.out-of-range:medium"],
    },
    {
      name: "Kubernetes: the advice names the probe's own fields (periodSeconds × failureThreshold), and its fix passes",
      path: "deployment.yaml",
      before: readinessProbe("periodSeconds: 10"),
      after: readinessProbe("periodSeconds: 1"),
      expect: [
        {
          severity: "high",
          line: "periodSeconds: 1",
          phrase:
            'readiness probe of container "app" in Deployment web ejects a failing target after 3 s instead of 30 s (1 s × 3, was 10 s × 3): below the 20 s floor, 90% sooner. Safe: keep ejection ≥ 20 s, e.g. periodSeconds 7 × failureThreshold 3.',
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
      name: "NGINX Plus: interval 5 s (default) → 2 s with fails 1 (default) becomes hair-trigger: high",
      path: NGINX_PATH,
      before: plus("match=ok"),
      after: plus("interval=2s match=ok"),
      expect: [
        {
          severity: "high",
          line: "health_check interval=2s",
          phrase: /after 2 s instead of 5 s.*now hair-trigger.*Safe: keep ejection ≥ 5 s/,
        },
      ],
    },
    {
      name: "NGINX Plus: 5 s → 2 s with fails=3 stays above the hair-trigger floor: medium",
      path: NGINX_PATH,
      before: plus("fails=3"),
      after: plus("interval=2s fails=3"),
      expect: [
        { severity: "medium", line: "health_check interval=2s", phrase: "below the 20 s floor" },
      ],
    },
    {
      name: "NGINX Plus: a new pool checked every 1 s with the default fails 1 is hair-trigger",
      path: NGINX_PATH,
      before: site(THREE),
      after: plus("uri=/ interval=1s"),
      expect: [
        {
          severity: "high",
          line: "health_check uri=/",
          phrase:
            /new health check of upstream app ejects a failing target after 1 s \(1 s × 1\): hair-trigger/,
        },
      ],
    },
    {
      name: "NGINX Plus: a new pool with the default check (5 s × 1) is not hair-trigger",
      path: NGINX_PATH,
      before: site(THREE),
      after: plus("uri=/"),
      expect: [],
    },
    {
      name: "Traefik: a new pool checked every 1 s (one failed check marks a server down) is hair-trigger",
      path: TRAEFIK_PATH,
      before: null,
      after: checkedPool("interval: 1s", "timeout: 900ms"),
      expect: [
        { severity: "high", line: "interval: 1s", phrase: /after 1 s \(1 s × 1\): hair-trigger/ },
      ],
    },
    {
      name: "Traefik: a new pool checked every 10 s is not",
      path: TRAEFIK_PATH,
      before: null,
      after: checkedPool("interval: 10s", "timeout: 3s"),
      expect: [],
    },
    {
      name: "Envoy: a new cluster ejecting after 2 s × 1 is hair-trigger",
      path: ENVOY_PATH,
      before: null,
      after: timedCheck("2s", 1),
      expect: [{ severity: "high", line: "interval: 2s", phrase: "hair-trigger" }],
    },
    {
      name: "Envoy: a new cluster ejecting after 2 s × 3 = 6 s is not",
      path: ENVOY_PATH,
      before: null,
      after: timedCheck("2s", 3),
      expect: [],
    },
    {
      name: "Envoy: unhealthy threshold 3 → 1 is high (a single failed check ejects)",
      path: ENVOY_PATH,
      before: timedCheck("10s", 3),
      after: timedCheck("10s", 1),
      expect: [
        {
          severity: "high",
          line: "unhealthy_threshold: 1",
          phrase: "a single failed check now counts (threshold 3 → 1)",
        },
      ],
    },
    {
      name: "nginx passive: max_fails 3 → 1 keeps the 60 s window and shows the threshold that changed, not 60 → 60",
      path: NGINX_PATH,
      before: site(lines("server 10.0.0.1:80 max_fails=3", "server 10.0.0.2:80 max_fails=3")),
      after: site(lines("server 10.0.0.1:80 max_fails=1", "server 10.0.0.2:80 max_fails=3")),
      expect: [
        {
          severity: "medium",
          line: "max_fails=1",
          phrase:
            "server 10.0.0.1:80 of upstream app ejects a target after a single failed request (threshold 3 → 1)",
        },
      ],
    },
    {
      name: "a renamed pool keeps its hair-trigger check: not new",
      path: NGINX_PATH,
      before: plus("interval=1s"),
      after: plus("interval=1s").replace(/\bapp\b/g, "shop"),
      expect: [],
      others: ["generic.lb-resource.deleted:low"],
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
