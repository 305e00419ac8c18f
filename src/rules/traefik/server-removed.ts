import { defineRule, type Detection } from "../types.js";
import { balancerOf, serversOf, servicePairs } from "../model/traefik/services.js";
import { capacityLoss, describeLoss, capacityAdvice } from "../model/pool-capacity.js";
import { safe } from "../model/advice.js";

/** Servers removed from a load balancer (or set to weight 0) leave the rest to carry their traffic. */
export default defineRule({
  id: "traefik.server.removed",
  family: "traefik",
  title: "Servers removed from a load balancer",
  description:
    "A service's load balancer loses servers (removed from `servers`, or set to weight 0) while the service stays. " +
    "High when a third or more of the servers that took traffic go, or the last one; medium otherwise. A server " +
    "replaced by another is not a loss.",
  severity: "high",
  params: {
    // docs/lb-facts.md §P7 Capacity: more than a third of servers taken out.
    highSharePercent: {
      default: 33,
      description: "Share of the active servers (percent) whose loss is high.",
    },
  },
  dialects: ["traefik"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of servicePairs(file.before, file.after)) {
      // A service that stops being a load balancer (now weighted, mirroring, failover) changed kind: no removal.
      if (!balancerOf(after)) continue;
      const was = serversOf(before).filter((server) => server.weight !== 0);
      const now = serversOf(after).filter((server) => server.weight !== 0);
      const loss = capacityLoss(was.length, now.length, params.highSharePercent);
      if (was.length === 0 || loss.lost === 0) continue;
      const still = new Set(now.map((server) => server.key));
      const gone = was.filter((server) => !still.has(server.key));
      const remaining = new Map(serversOf(after).map((server) => [server.key, server]));
      const describe = (key: string): string => (remaining.has(key) ? `${key} (weight 0)` : key);
      const first = gone[0];
      findings.push({
        severity: loss.severe ? "high" : "medium",
        line: (first && remaining.get(first.key)?.line) ?? first?.line ?? 1,
        path: (first && remaining.get(first.key)?.path) ?? first?.path ?? "",
        message: `${after.label} ${describeLoss(
          loss,
          "server",
          gone.map((server) => describe(server.key)),
          " taking traffic",
        )}${now.length === 0 ? ": no server is left, Traefik answers 503" : ""}.${
          loss.severe
            ? safe(
                capacityAdvice(
                  loss,
                  "server",
                  gone.map((server) => describe(server.key)),
                  params.highSharePercent,
                ),
              )
            : ""
        }`,
        before: gone.map((server) => server.key),
        after: null,
        figures: {
          serversBefore: was.length,
          serversAfter: now.length,
          capacityLostPercent: loss.sharePercent,
        },
        checklist: [`Confirm the remaining servers of ${after.label} can carry its peak load.`],
      });
    }
    return findings;
  },
});
