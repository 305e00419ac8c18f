import {
  composeServices,
  healthcheckOf,
  runningHealthcheck,
  servicePath,
} from "../model/compose.js";
import { scalarAt } from "../../formats/tree.js";
import { defineRule, type Detection } from "../types.js";
import type { ComposeService } from "../model/compose.js";

/** Services of the file that wait for `name` to be healthy before they start. */
function waitingForHealthy(services: Iterable<ComposeService>, name: string): string[] {
  const waiting: string[] = [];
  for (const service of services)
    if (scalarAt(service.node, "depends_on", name, "condition") === "service_healthy")
      waiting.push(service.name);
  return waiting;
}

/** A service that stops being health-checked: failures go unseen, and what waits for its health cannot start. */
export default defineRule({
  id: "compose.healthcheck.removed",
  family: "compose",
  title: "Service healthcheck removed or disabled",
  description:
    "A docker-compose service's healthcheck is removed, set to `disable: true` or to the test `NONE`: Docker no " +
    "longer marks a failing container unhealthy, so Swarm and health-aware proxies keep sending it requests " +
    "(medium). High when another service still waits for it with `depends_on: condition: service_healthy`: Compose " +
    "then refuses to start that service, since the dependency has no healthcheck to pass.",
  severity: "high",
  params: {},
  dialects: ["compose"],
  check(file) {
    const findings: Detection[] = [];
    const before = composeServices(file.before);
    const after = composeServices(file.after);
    for (const service of after.values()) {
      const was = runningHealthcheck(before.get(service.name));
      if (!was || runningHealthcheck(service)) continue;
      const now = healthcheckOf(service);
      const how = now?.disabled ? "disables its healthcheck" : "no longer has a healthcheck";
      const waiting = waitingForHealthy(after.values(), service.name);
      findings.push({
        severity: waiting.length > 0 ? "high" : "medium",
        line: now?.line ?? service.line,
        path: servicePath(service, "healthcheck"),
        message:
          waiting.length > 0
            ? `Service ${service.name} ${how}, while ${waiting.join(", ")} still ${waiting.length === 1 ? "waits" : "wait"} for it with \`condition: service_healthy\`: Compose will not start ${waiting.length === 1 ? "it" : "them"}. Safe: keep the healthcheck, or change those conditions to "service_started".`
            : `Service ${service.name} ${how}: Docker no longer marks a failing container unhealthy, so whatever reads its health keeps sending it requests.`,
        before: true,
        after: false,
        checklist: [
          `Confirm something else notices when ${service.name} stops answering (its image's own HEALTHCHECK, an orchestrator, a proxy check).`,
        ],
      });
    }
    return findings;
  },
});
