import healthcheckHairTrigger from "../../../src/rules/compose/healthcheck-hair-trigger.js";
import { ruleTable } from "../rule-table.js";
import { COMPOSE_PATH, compose, healthcheck, service } from "./builders.js";

const web = (...fields: string[]) => compose(service("web", healthcheck(...fields)));

ruleTable(healthcheckHairTrigger, {
  path: COMPOSE_PATH,
  cases: [
    {
      name: "an explicit timeout raised to the interval is high",
      before: web("interval: 10s", "timeout: 3s"),
      after: web("interval: 10s", "timeout: 10s"),
      expect: [
        {
          severity: "high",
          line: "timeout: 10s",
          phrase: /^healthcheck timeout of Service web \(10 s\) is not below its interval \(10 s\)/,
        },
      ],
    },
    {
      name: "a timeout cut sharply (120 s to 10 s) to its interval is high, though it was above it before",
      before: web("interval: 10s", "timeout: 120s", "retries: 10"),
      after: web("interval: 10s", "timeout: 10s", "retries: 10"),
      expect: [
        {
          severity: "high",
          line: "timeout: 10s",
          phrase:
            /^healthcheck timeout of Service web \(10 s, cut from 2 min\) is not below its interval \(10 s\)/,
        },
      ],
    },
    {
      name: "a new service whose timeout exceeds its interval is high",
      before: compose(service("db")),
      after: compose(service("db"), service("web", healthcheck("interval: 5s", "timeout: 10s"))),
      expect: [{ severity: "high", line: "timeout: 10s", phrase: /in a new healthcheck/ }],
    },
    {
      name: "a new service writing out Docker's own default timing (interval 30 s, timeout 30 s) is not hair-trigger",
      before: compose(service("db")),
      after: compose(
        service("db"),
        service("web", healthcheck("interval: 30s", "timeout: 30s", "retries: 3")),
      ),
      expect: [],
    },
    {
      name: "a new service with interval 1m and timeout 1m (above Docker's defaults) is not hair-trigger",
      before: compose(service("db")),
      after: compose(service("db"), service("web", healthcheck("interval: 1m", "timeout: 1m"))),
      expect: [],
    },
    {
      name: "detection cut from the defaults (90 s) to 2 s × 3 is high",
      before: web(),
      after: web("interval: 2s"),
      expect: [
        {
          severity: "high",
          line: "interval: 2s",
          phrase:
            /^healthcheck of Service web marks it unhealthy after 6 s \(interval 2 s × retries 3 by default\), was 90 s/,
        },
      ],
    },
    {
      name: "a new service checked every second, one failure enough, is high",
      before: compose(service("db")),
      after: compose(service("db"), service("web", healthcheck("interval: 1s", "retries: 1"))),
      expect: [
        {
          severity: "high",
          line: "interval: 1s",
          phrase: /^new healthcheck of Service web marks it unhealthy after 1 s/,
        },
      ],
    },
    {
      name: "detection halved (90 s to 45 s) is medium",
      before: web(),
      after: web("interval: 15s"),
      expect: [{ severity: "medium", line: "interval: 15s", phrase: /after 45 s .*was 90 s/ }],
    },
    {
      // Docker runs checks one after another: a default 30 s timeout over a short interval only slows
      // detection; only a timeout the author set at or above the interval is the hair-trigger shape.
      name: "an interval shorter than the default timeout, timeout left out, is not reported",
      before: compose(service("db")),
      after: compose(service("db"), service("web", healthcheck("interval: 10s"))),
      expect: [],
    },
    {
      name: "a service renamed with its fast check as it was is not a new check",
      before: compose(service("web", healthcheck("interval: 1s", "retries: 1"))),
      after: compose(service("frontend", healthcheck("interval: 1s", "retries: 1"))),
      expect: [],
    },
    {
      name: "a new check at the defaults is not reported",
      before: compose(service("db")),
      after: compose(service("db"), service("web", healthcheck())),
      expect: [],
    },
    {
      name: "calmer timing (longer interval, more retries) is not reported",
      before: web("interval: 10s", "retries: 3"),
      after: web("interval: 1m", "retries: 5"),
      expect: [],
    },
    {
      name: "the same timing written another way (1m30s = 90s) is not reported",
      before: web("interval: 90s", "timeout: 5s"),
      after: web("interval: 1m30s", "timeout: 5000ms", "retries: 3"),
      expect: [],
    },
    {
      name: "a timeout that already reached the interval, left as it was, is not reported again",
      before: web("interval: 10s", "timeout: 10s"),
      after: web("interval: 10s", "timeout: 10s", "start_period: 30s"),
      expect: [],
    },
  ],
});
