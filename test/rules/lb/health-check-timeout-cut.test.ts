import timeoutCut from "../../../src/rules/lb/health-check-timeout-cut.js";
import { ruleTable } from "../rule-table.js";
import { checkedPool, TRAEFIK_PATH } from "../traefik/builders.js";
import { K8S_PATH, PORTS, deployment } from "../kubernetes/builders.js";
import { targetGroup } from "./builders.js";

/** A readiness probe with the given timeoutSeconds. */
const readiness = (timeout: number) =>
  `        readinessProbe:\n          httpGet:\n            path: /healthz\n            port: http\n          periodSeconds: 10\n          timeoutSeconds: ${timeout}\n`;

ruleTable(timeoutCut, {
  path: TRAEFIK_PATH,
  cases: [
    {
      name: "Traefik: timeout 900ms added where the 5 s default applied is high",
      before: checkedPool("interval: 10s"),
      after: checkedPool("interval: 10s", "timeout: 900ms"),
      expect: [
        {
          severity: "high",
          line: "timeout: 900ms",
          phrase:
            /longer than 0.9 s, was 5 s by default, 5.6× shorter.*Safe: keep the timeout at 5 s/,
        },
      ],
    },
    {
      name: "Traefik: timeout 3 s added (the 5 s default cut by less than half) is not reported",
      before: checkedPool("interval: 10s"),
      after: checkedPool("interval: 10s", "timeout: 3s"),
      expect: [],
    },
    {
      name: "AWS target group: timeout 10 s → 2 s is high",
      path: "lb.tf",
      before: targetGroup("interval = 30\ntimeout = 10"),
      after: targetGroup("interval = 30\ntimeout = 2"),
      expect: [{ severity: "high", line: "timeout = 2", phrase: "was 10 s, 5× shorter" }],
    },
    {
      name: "AWS target group: timeout 20 s → 2 s while the interval drops 30 s → 10 s: the safe timeout stays below the new interval",
      path: "lb.tf",
      before: targetGroup("interval = 30\ntimeout = 20"),
      after: targetGroup("interval = 10\ntimeout = 2"),
      expect: [
        {
          severity: "high",
          line: "timeout = 2",
          phrase: /Safe: keep the timeout at 5 s, below the 10 s interval/,
        },
      ],
    },
    {
      name: "AWS target group: timeout 5 s → 2 s says the factor it is (2.5×), not a rounded 3×",
      path: "lb.tf",
      before: targetGroup("interval = 30\ntimeout = 5"),
      after: targetGroup("interval = 30\ntimeout = 2"),
      expect: [{ severity: "medium", line: "timeout = 2", phrase: "was 5 s, 2.5× shorter" }],
    },
    {
      name: "AWS target group: timeout 10 s → 5 s is medium",
      path: "lb.tf",
      before: targetGroup("interval = 30\ntimeout = 10"),
      after: targetGroup("interval = 30\ntimeout = 5"),
      expect: [{ severity: "medium", line: "timeout = 5", phrase: "was 10 s, 2× shorter" }],
    },
    {
      name: "Kubernetes readiness: timeoutSeconds 10 → 1 is high",
      path: K8S_PATH,
      before: deployment({ container: PORTS + readiness(10) }),
      after: deployment({ container: PORTS + readiness(1) }),
      expect: [{ severity: "high", line: "timeoutSeconds: 1", phrase: "10× shorter" }],
    },
    {
      name: "Kubernetes readiness: a timeout raised",
      path: K8S_PATH,
      before: deployment({ container: PORTS + readiness(1) }),
      after: deployment({ container: PORTS + readiness(5) }),
      expect: [],
    },
  ],
});
