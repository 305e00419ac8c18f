import healthCheckPathChanged from "../../../src/rules/traefik/health-check-path-changed.js";
import { ruleTable } from "../rule-table.js";
import { THREE, TRAEFIK_PATH, balancer, check, dynamic } from "./builders.js";

ruleTable(healthCheckPathChanged, {
  path: TRAEFIK_PATH,
  cases: [
    {
      name: "the check path changes",
      before: dynamic(balancer(THREE, check("/health"))),
      after: dynamic(balancer(THREE, check("/ready"))),
      expect: [{ severity: "high", line: 13, phrase: "changes path /health → /ready" }],
    },
    {
      name: "the same path with another key case is no change",
      before: dynamic(balancer(THREE, check("/health"))),
      after: dynamic(
        balancer(THREE, "        healthcheck:\n          Path: /health\n          interval: 10s\n"),
      ),
      expect: [],
    },
  ],
});
