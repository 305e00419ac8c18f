import timeoutNotBelowInterval from "../../../src/rules/lb/health-check-timeout-not-below-interval.js";
import { ruleTable } from "../rule-table.js";
import { ENVOY_PATH, timedCheck } from "../envoy/builders.js";
import { checkedPool, TRAEFIK_PATH } from "../traefik/builders.js";
import { targetGroup } from "./builders.js";

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
      name: "a problem the change did not touch",
      before: targetGroup("interval = 10\ntimeout = 10\nhealthy_threshold = 3"),
      after: targetGroup("interval = 10\ntimeout = 10\nhealthy_threshold = 4"),
      expect: [],
    },
  ],
});
