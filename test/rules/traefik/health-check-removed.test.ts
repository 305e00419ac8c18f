import healthCheckRemoved from "../../../src/rules/traefik/health-check-removed.js";
import { ruleTable } from "../rule-table.js";
import { THREE, TRAEFIK_PATH, balancer, check, dynamic } from "./builders.js";

ruleTable(healthCheckRemoved, {
  path: TRAEFIK_PATH,
  cases: [
    {
      name: "removed from a service with three servers is high",
      before: dynamic(balancer(THREE, check("/health"))),
      after: dynamic(balancer(THREE)),
      expect: [{ severity: "high", line: 13, phrase: "no longer health-checks its 3 servers" }],
    },
    {
      name: "an interval change is not a removal",
      before: dynamic(balancer(THREE, check("/health"))),
      after: dynamic(balancer(THREE, check("/health", "30s"))),
      expect: [],
    },
  ],
});
