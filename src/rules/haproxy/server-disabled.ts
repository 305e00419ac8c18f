import { defineRule, type Detection } from "../types.js";
import { nameList, plural } from "../message.js";
import { sectionPairs } from "../model/haproxy/sections.js";
import {
  countServers,
  type HaproxyServer,
  isActive,
  isDisabled,
  param,
  serverPairs,
  serverPath,
  serversOf,
  weightOf,
} from "../model/haproxy/servers.js";
import { capacityLoss, capacityAdvice } from "../model/pool-capacity.js";
import { safe } from "../model/advice.js";

type Reason = "disabled" | "weight 0" | "backup";

// What each way of taking a server out means for traffic (HAProxy manual §5.2, docs/lb-facts.md §P1).
const MEANING: Readonly<Record<Reason, string>> = {
  disabled: "a disabled server is in maintenance and gets no traffic at all",
  "weight 0":
    "a server with weight 0 still receives sessions pinned to it by cookie or stick table",
  backup: "a backup server only serves when every active server is down",
};

/** Why an active server stops taking load-balanced traffic, and where that is written. */
function reasonOf(server: HaproxyServer): { reason: Reason; line: number } {
  if (isDisabled(server))
    return { reason: "disabled", line: param(server, "disabled")?.line ?? server.line };
  if (weightOf(server) === 0)
    return { reason: "weight 0", line: param(server, "weight")?.line ?? server.line };
  return { reason: "backup", line: param(server, "backup")?.line ?? server.line };
}

/** Servers kept in the file but taken out of the rotation: capacity drops as if they were removed. */
export default defineRule({
  id: "haproxy.server.disabled",
  family: "haproxy",
  title: "Servers disabled, set to weight 0 or made backup",
  description:
    "Servers that took load-balanced traffic become `disabled`, get `weight 0` or the `backup` flag (on their line " +
    "or through default-server). High when more than a third of the active servers go, or the last one; medium " +
    "otherwise. Weight 0 still receives persistent (sticky) traffic.",
  severity: "high",
  params: {
    // docs/lb-facts.md §P7 Capacity: more than a third of servers disabled or set to weight 0.
    highSharePercent: {
      default: 33,
      description: "Share of the active servers (percent) taken out of rotation that is high.",
    },
  },
  dialects: ["haproxy"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of sectionPairs(file.before, file.after)) {
      const out = serverPairs(before, after).filter(
        ([was, now]) => isActive(was) && !isActive(now),
      );
      if (out.length === 0) continue;
      const taken = out.reduce((sum, [, now]) => sum + now.count, 0);
      const loss = capacityLoss(
        countServers(serversOf(before), isActive),
        countServers(serversOf(after), isActive),
        params.highSharePercent,
        taken,
      );
      const { activeBefore, activeAfter, sharePercent } = loss;
      const reasons = [...new Set(out.map(([, now]) => reasonOf(now).reason))];
      const first = out[0]![1];
      const stillSticky = reasons.includes("weight 0");
      findings.push({
        severity: loss.severe ? "high" : "medium",
        line: reasonOf(first).line,
        path: serverPath(first),
        message:
          `${after.label} takes ${plural(taken, "server")} of ${activeBefore} out of rotation ` +
          `(${nameList(out.map(([, now]) => `${now.name} ${reasonOf(now).reason}`))}), ${sharePercent}% of its capacity; ` +
          `${activeAfter === 0 ? "no active server is left" : `${plural(activeAfter, "active server remains", "active servers remain")}`}. ` +
          `${reasons.map((reason) => MEANING[reason]).join("; ")}.`.replace(/^./, (c) =>
            c.toUpperCase(),
          ) +
          (loss.severe
            ? safe(
                capacityAdvice(
                  loss,
                  "server",
                  out.map(([, now]) => now.name),
                  params.highSharePercent,
                ),
              )
            : ""),
        before: Object.fromEntries(out.map(([was]) => [was.name, "active"])),
        after: Object.fromEntries(out.map(([, now]) => [now.name, reasonOf(now).reason])),
        figures: {
          activeServersBefore: activeBefore,
          activeServersAfter: activeAfter,
          capacityOutPercent: sharePercent,
        },
        checklist: [
          `Confirm the remaining servers of ${after.label} can carry its peak load.`,
          ...(stillSticky
            ? ["Weight 0 keeps sticky sessions on the server: confirm it stays up until they end."]
            : []),
        ],
      });
    }
    return findings;
  },
});
