import { defineRule, type Detection } from "../types.js";
import { nameList } from "../message.js";
import { capacityLoss, describeLoss, capacityAdvice } from "../model/pool-capacity.js";
import { sectionPairs } from "../model/haproxy/sections.js";
import { countServers, flag, isActive, serverPath, serversOf } from "../model/haproxy/servers.js";
import { safe } from "../model/advice.js";

/** Servers deleted from a backend take their share of capacity with them; the rest carry it. */
export default defineRule({
  id: "haproxy.server.removed",
  family: "haproxy",
  title: "Servers removed from a backend",
  description:
    "Server lines disappear from a backend or listen section that stays (a renamed server at the same address is " +
    "not a removal). The remaining active servers carry the load: high when a third or more of the active " +
    "capacity goes, or the last active server; medium otherwise. Removing the last backup server is medium.",
  severity: "high",
  params: {
    // docs/lb-facts.md §P7 Capacity: more than a third of servers taken out.
    highSharePercent: {
      default: 33,
      description: "Share of the active servers (percent) whose removal is high.",
    },
  },
  dialects: ["haproxy"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of sectionPairs(file.before, file.after)) {
      const was = serversOf(before);
      const now = serversOf(after);
      if (was.length === 0) continue;
      const keys = new Set(now.map((server) => server.key));
      const addresses = new Set(now.flatMap((server) => server.address ?? []));
      const removed = was.filter(
        (server) =>
          !keys.has(server.key) && (server.address === undefined || !addresses.has(server.address)),
      );
      if (removed.length === 0) continue;
      const first = removed[0]!;
      const path = serverPath(first);
      const loss = capacityLoss(
        countServers(was, isActive),
        countServers(now, isActive),
        params.highSharePercent,
      );
      const names = removed.map((server) => server.name);
      if (loss.lost === 0) {
        // Only backups went, or the servers were replaced: capacity holds, unless no backup is left.
        const backupsBefore = countServers(was, (server) => flag(server, "backup"));
        const backupsAfter = countServers(now, (server) => flag(server, "backup"));
        if (backupsBefore > 0 && backupsAfter === 0 && removed.some((s) => flag(s, "backup"))) {
          findings.push({
            severity: "medium",
            line: first.line,
            path,
            message: `${after.label} loses its last backup server (${nameList(names)}): when every active server is down, HAProxy now answers 503 instead of failing over.`,
            before: names,
            after: null,
            figures: { backupServersBefore: backupsBefore, backupServersAfter: 0 },
            checklist: [
              `Confirm ${after.label} no longer needs a fallback when all its servers fail.`,
            ],
          });
        }
        continue;
      }
      const { activeBefore, activeAfter } = loss;
      const rest =
        activeAfter === 0
          ? "no active server is left: HAProxy answers 503 (or uses backups)"
          : activeAfter === 1
            ? "the remaining server must carry all of it"
            : `the remaining ${activeAfter} servers must carry its load`;
      findings.push({
        severity: loss.severe ? "high" : "medium",
        line: first.line,
        path,
        message: `${after.label} ${describeLoss(loss, "active server", names)}: ${rest}.${loss.severe ? safe(capacityAdvice(loss, "server", names, params.highSharePercent)) : ""}`,
        before: names,
        after: null,
        figures: {
          activeServersBefore: activeBefore,
          activeServersAfter: activeAfter,
          capacityLostPercent: loss.sharePercent,
        },
        checklist: [
          `Confirm the remaining servers of ${after.label} can carry its peak load.`,
          "Confirm the removed servers were drained (weight 0 or maintenance) before the reload.",
        ],
      });
    }
    return findings;
  },
});
