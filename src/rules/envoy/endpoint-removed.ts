import { defineRule, type Detection } from "../types.js";
import { assignmentsOf } from "../model/envoy/endpoints.js";
import { capacityLoss, describeLoss, capacityAdvice } from "../model/pool-capacity.js";
import { keptPairsBy } from "../model/pairs.js";
import { safe } from "../model/advice.js";

/** Endpoints removed (or set to draining/unhealthy) take their capacity with them. */
export default defineRule({
  id: "envoy.endpoint.removed",
  family: "envoy",
  title: "Endpoints removed from a cluster",
  description:
    "The active endpoints of a cluster's load assignment (priority 0, not reported UNHEALTHY, DRAINING or " +
    "TIMEOUT) decrease: removed, moved to a failover priority or marked out. High when a third or more of them " +
    "go, or the last one; medium otherwise. Replacing an endpoint by another is not a loss.",
  severity: "high",
  params: {
    // docs/lb-facts.md §P7 Capacity: more than a third of servers taken out.
    highSharePercent: {
      default: 33,
      description: "Share of the active endpoints (percent) whose loss is high.",
    },
  },
  dialects: ["envoy"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of keptPairsBy(
      assignmentsOf(file.before),
      assignmentsOf(file.after),
      (assignment) => assignment.name,
    )) {
      const activeBefore = before.endpoints.filter((endpoint) => endpoint.active);
      const activeAfter = after.endpoints.filter((endpoint) => endpoint.active);
      const loss = capacityLoss(activeBefore.length, activeAfter.length, params.highSharePercent);
      if (loss.lost === 0) continue;
      const still = new Set(activeAfter.map((endpoint) => endpoint.address));
      const gone = activeBefore.filter((endpoint) => !still.has(endpoint.address));
      findings.push({
        severity: loss.severe ? "high" : "medium",
        line: gone[0]?.line ?? 1,
        path: after.path,
        message: `${after.label} ${describeLoss(
          loss,
          "active endpoint",
          gone.map((endpoint) => endpoint.address),
        )}${activeAfter.length === 0 ? ": no active endpoint is left" : ""}.${
          loss.severe
            ? safe(
                capacityAdvice(
                  loss,
                  "endpoint",
                  gone.map((endpoint) => endpoint.address),
                  params.highSharePercent,
                ),
              )
            : ""
        }`,
        before: gone.map((endpoint) => endpoint.address),
        after: null,
        figures: {
          activeEndpointsBefore: activeBefore.length,
          activeEndpointsAfter: activeAfter.length,
          capacityLostPercent: loss.sharePercent,
        },
        checklist: [`Confirm the remaining endpoints of ${after.label} can carry its peak load.`],
      });
    }
    return findings;
  },
});
