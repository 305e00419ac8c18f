import { defineRule, type Detection } from "../types.js";
import { nameList, plural } from "../message.js";
import { ownDirective } from "../model/nginx/blocks.js";
import {
  isActive,
  methodOf,
  remapsOnChange,
  serverPath,
  upstreamPairs,
} from "../model/nginx/upstreams.js";
import { capacityLoss, describeLoss, capacityAdvice } from "../model/pool-capacity.js";
import { safe } from "../model/advice.js";

/** Servers deleted from an upstream take their capacity with them; under ip_hash they also remap clients. */
export default defineRule({
  id: "nginx.upstream.server-removed",
  family: "nginx",
  title: "Servers removed from an upstream",
  description:
    "`server` lines disappear from an upstream group that stays. High when a third or more of the active servers " +
    "go, or the last one; medium otherwise. Under ip_hash or a non-consistent hash, any removal (even a " +
    "replacement) remaps most clients to other servers: nginx advises marking the server `down` instead.",
  severity: "high",
  params: {
    // docs/lb-facts.md §P7 Capacity: more than a third of servers taken out.
    highSharePercent: {
      default: 33,
      description: "Share of the active servers (percent) whose removal is high.",
    },
  },
  dialects: ["nginx"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of upstreamPairs(file.before, file.after)) {
      // With `state FILE` (NGINX Plus) the servers live in the state file, managed through the API.
      if (ownDirective(after.body, "state")) continue;
      const kept = new Set(after.servers.map((server) => server.key));
      const removed = before.servers.filter((server) => !kept.has(server.key));
      if (removed.length === 0) continue;
      const loss = capacityLoss(
        before.servers.filter(isActive).length,
        after.servers.filter(isActive).length,
        params.highSharePercent,
      );
      const method = methodOf(after);
      const remaps = remapsOnChange(method) && removed.some(isActive);
      if (loss.lost === 0 && !remaps) continue;
      const names = removed.map((server) => server.address);
      const capacity =
        loss.lost > 0
          ? `${describeLoss(loss, "active server", names)}${loss.activeAfter === 0 ? ": no active server is left" : ""}`
          : `replaces ${plural(removed.length, "server")} (${nameList(names)})`;
      const remap = remaps
        ? `; under ${method} this remaps most clients to other servers (mark a server \`down\` instead to keep the mapping)`
        : "";
      findings.push({
        severity: loss.severe ? "high" : "medium",
        line: removed[0]!.line,
        path: serverPath(before, removed[0]!),
        message: `${after.label} ${capacity}${remap}.${loss.severe ? safe(capacityAdvice(loss, "server", names, params.highSharePercent)) : ""}`,
        before: names,
        after: null,
        figures: {
          activeServersBefore: loss.activeBefore,
          activeServersAfter: loss.activeAfter,
          capacityLostPercent: loss.sharePercent,
        },
        checklist: [
          `Confirm the remaining servers of ${after.label} can carry its peak load.`,
          ...(remaps
            ? ["Confirm clients re-mapped to another server keep their session (shared store)."]
            : []),
        ],
      });
    }
    return findings;
  },
});
