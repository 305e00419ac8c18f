import { defineRule, type Detection } from "../types.js";
import {
  balancerOf,
  healthCheckOf,
  runsHealthCheck,
  servicePairs,
  servicePath,
  serversOf,
} from "../model/traefik/services.js";
import { safe } from "../model/advice.js";

/** Without an active check a dead server keeps its share of requests. */
export default defineRule({
  id: "traefik.health-check.removed",
  family: "traefik",
  title: "Health check removed from a service",
  description:
    "A service's load balancer stops running active health checks (healthCheck removed, or its path emptied): a " +
    "dead server keeps receiving its share of requests. High when the service has several servers to fail over " +
    "to; medium with a single server (there is nowhere else to send its traffic).",
  severity: "high",
  params: {},
  dialects: ["traefik"],
  check(file) {
    const findings: Detection[] = [];
    for (const [before, after] of servicePairs(file.before, file.after)) {
      // The check goes with a load balancer that became another kind of service: not a removal.
      if (!runsHealthCheck(before) || runsHealthCheck(after) || !balancerOf(after)) continue;
      const servers = serversOf(after).length;
      const block = healthCheckOf(before)!;
      const kept = healthCheckOf(after);
      findings.push({
        severity: servers > 1 ? "high" : "medium",
        line: kept?.line ?? block.line,
        path: servicePath(before, ...(before.version === 1 ? [] : ["loadBalancer"]), "healthCheck"),
        message: `${after.label} no longer health-checks its ${servers > 1 ? `${servers} servers` : "server"}: ${servers > 1 ? "a dead server keeps receiving its share of requests" : "failures are no longer detected or reported"}.${servers > 1 ? safe(`keep the healthCheck block (e.g. \`path: /health\`, \`interval: 10s\`) on its ${servers} servers`) : ""}`,
        before: true,
        after: false,
        checklist: [
          `Confirm another mechanism (passive health check, orchestrator) takes dead servers of ${after.label} out.`,
        ],
      });
    }
    return findings;
  },
});
