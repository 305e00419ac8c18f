import timeoutNotBelowInterval from "../../../src/rules/lb/health-check-timeout-not-below-interval.js";
import { ruleTable } from "../rule-table.js";
import { ENVOY_PATH, timedCheck } from "../envoy/builders.js";
import { checkedPool, TRAEFIK_PATH } from "../traefik/builders.js";
import { readinessProbe, targetGroup } from "./builders.js";
import { healthCheck } from "../gcp/builders.js";

const tcpProbe = "  tcp_health_check {\n    port = 80\n  }";
import { config, DEFAULTS, HAPROXY_PATH, THREE } from "../haproxy/builders.js";

ruleTable(timeoutNotBelowInterval, {
  wholeAnalysis: true,
  path: "lb.tf",
  cases: [
    {
      name: "the change makes the timeout reach the interval",
      before: targetGroup("interval = 10\ntimeout = 5"),
      after: targetGroup("interval = 10\ntimeout = 10"),
      expect: [
        {
          severity: "high",
          line: "timeout = 10",
          phrase:
            /times a check out after 10 s with checks every 10 s: no slack between checks.*Safe: a timeout below the interval, e.g. 5 s/,
        },
      ],
    },
    {
      name: "a timeout below the interval",
      before: targetGroup("interval = 10\ntimeout = 5"),
      after: targetGroup("interval = 10\ntimeout = 9"),
      expect: [],
    },
    {
      name: "Envoy: a new cluster whose timeout (3 s) is above its interval (2 s) is hair-trigger: high",
      path: ENVOY_PATH,
      before: null,
      after: timedCheck("2s", 3, "3s"),
      expect: [
        {
          severity: "high",
          line: "timeout: 3s",
          phrase: 'new health check of cluster "app" times a check out after 3 s',
        },
      ],
    },
    {
      name: "Envoy: a new cluster whose timeout is below its interval",
      path: ENVOY_PATH,
      before: null,
      after: timedCheck("2s", 3, "1s"),
      expect: [],
    },
    {
      name: "Traefik: a timeout raised to the interval",
      path: TRAEFIK_PATH,
      before: checkedPool("interval: 10s", "timeout: 3s"),
      after: checkedPool("interval: 10s", "timeout: 10s"),
      expect: [
        { severity: "high", line: "timeout: 10s", phrase: "after 10 s with checks every 10 s" },
      ],
    },
    {
      name: "Traefik: a timing that could not be read before (a placeholder) is not known to be introduced: medium",
      path: TRAEFIK_PATH,
      before: checkedPool("interval: foobar", "timeout: foobar"),
      after: checkedPool("interval: 42s", "timeout: 42s"),
      expect: [{ severity: "medium", line: "timeout: 42s", phrase: "no slack between checks" }],
    },
    {
      name: "Kubernetes: a new readiness probe timing out at its 1 s period: the safe edit raises the period (timeoutSeconds is whole seconds, at least 1)",
      path: "deployment.yaml",
      before: null,
      after: readinessProbe("periodSeconds: 1", "timeoutSeconds: 1", "failureThreshold: 6"),
      expect: [
        {
          severity: "high",
          line: "timeoutSeconds: 1",
          phrase:
            "Safe: a longer periodSeconds, e.g. periodSeconds 2 (1 s is the shortest timeoutSeconds Kubernetes accepts).",
        },
      ],
    },
    {
      name: "Google Cloud: a timeout above a 1 s interval: half the interval is below the 1 s minimum, so the advice (and the fix) is a longer interval",
      before: healthCheck(tcpProbe, "  check_interval_sec = 5\n  timeout_sec        = 2"),
      after: healthCheck(tcpProbe, "  check_interval_sec = 1\n  timeout_sec        = 2"),
      expect: [
        {
          severity: "high",
          line: "timeout_sec",
          phrase:
            'health check "web" times a check out after 2 s with checks every 1 s: no slack between checks, a hair-trigger check. Google Cloud rejects a timeout above the interval, so the deploy fails. Safe: a longer interval, e.g. 3 s.',
        },
      ],
      others: ["lb.health-check.detection-too-fast:high"],
    },
    {
      name: "Kubernetes: a probe's period cut to its 1 s timeout: timeoutSeconds is at Kubernetes' minimum, so the advice (and the fix) is a longer period",
      path: "deployment.yaml",
      before: readinessProbe("periodSeconds: 10", "timeoutSeconds: 1"),
      after: readinessProbe("periodSeconds: 1", "timeoutSeconds: 1"),
      expect: [
        {
          severity: "high",
          line: "timeoutSeconds: 1",
          phrase:
            'readiness probe of container "app" in Deployment web times a check out after 1 s with checks every 1 s: no slack between checks, a hair-trigger check. Safe: a longer periodSeconds, e.g. periodSeconds 2 (1 s is the shortest timeoutSeconds Kubernetes accepts).',
        },
      ],
      others: ["lb.health-check.detection-too-fast:high"],
    },
    {
      name: "AWS: a timeout at an interval AWS does not take (3 s): half of it is below AWS's 2 s minimum timeout, so the advice is the 5 s minimum interval",
      before: targetGroup("interval = 30\n    timeout = 5"),
      after: targetGroup("interval = 3\n    timeout = 3"),
      expect: [
        {
          severity: "high",
          line: "timeout = 3",
          phrase:
            "AWS rejects this (the interval must be greater than the timeout), so the deploy fails. Safe: a longer interval, e.g. 5 s.",
        },
      ],
      others: ["aws.health-check.out-of-range:medium", "lb.health-check.detection-too-fast:high"],
    },
    {
      name: "Kubernetes: a new readiness probe whose timeout is below its period",
      path: "deployment.yaml",
      before: null,
      after: readinessProbe("periodSeconds: 2", "timeoutSeconds: 1"),
      expect: [],
    },
    {
      name: "HAProxy: a new config whose defaults set `timeout check 10s` over the default 2 s inter: the read timeout after the connect, no overlap (HAProxy waits for a check to end), not reported",
      path: HAPROXY_PATH,
      before: null,
      after: config(THREE, `${DEFAULTS}  timeout check 10s\n`),
      expect: [],
    },
    {
      name: "HAProxy: a new config whose servers set `inter 2s` under a `timeout check 10s`: high",
      path: HAPROXY_PATH,
      before: null,
      after: config(
        "  server web1 10.0.0.1:80 check inter 2s\n",
        `${DEFAULTS}  timeout check 10s\n`,
      ),
      expect: [
        { severity: "high", line: "timeout check 10s", phrase: "times a check out after 10 s" },
      ],
    },
    {
      name: "a problem the change did not touch",
      before: targetGroup("interval = 10\ntimeout = 10\nhealthy_threshold = 3"),
      after: targetGroup("interval = 10\ntimeout = 10\nhealthy_threshold = 4"),
      expect: [],
    },
  ],
});
