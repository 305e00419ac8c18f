import { child } from "../../formats/tree.js";
import { defineRule, type Detection } from "../types.js";
import { nameList, plural } from "../message.js";
import {
  hasFlag,
  isActive,
  methodOf,
  serverPairs,
  serverPath,
  upstreamPairs,
} from "../model/nginx/upstreams.js";
import { capacityLoss, capacityAdvice } from "../model/pool-capacity.js";
import { safe } from "../model/advice.js";

/** Servers kept in the group but marked `down` or `backup` stop taking traffic like removed ones. */
export default defineRule({
  id: "nginx.upstream.server-down",
  family: "nginx",
  title: "Upstream servers marked down or backup",
  description:
    "Active servers of an upstream get `down` (no traffic) or `backup` (traffic only when every primary is " +
    "unavailable). High when a third or more of the active servers go, or the last one; medium otherwise. " +
    "`backup` under hash, ip_hash or random is rejected by nginx: the reload fails (medium).",
  severity: "high",
  params: {
    // docs/lb-facts.md §P7 Capacity: more than a third of servers disabled.
    highSharePercent: {
      default: 33,
      description: "Share of the active servers (percent) taken out that is high.",
    },
  },
  dialects: ["nginx"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of upstreamPairs(file.before, file.after)) {
      const out = serverPairs(before, after).filter(
        ([was, now]) => isActive(was) && !isActive(now),
      );
      if (out.length === 0) continue;
      const first = out[0]![1];
      const flagName = hasFlag(first, "down") ? "down" : "backup";
      const line = child(first.params, flagName)?.line ?? first.line;
      const path = serverPath(after, first);
      const method = methodOf(after);
      const backups = out.filter(([, now]) => !hasFlag(now, "down")).map(([, now]) => now.address);
      if (backups.length > 0 && /^(ip_hash|hash|random)\b/.test(method)) {
        // ngx_http_upstream_module: "backup" cannot be used with the hash, ip_hash and random methods.
        findings.push({
          severity: "medium",
          line,
          path,
          message: `${after.label} marks ${nameList(backups)} as backup under ${method}, which nginx rejects: the reload will fail.`,
          before: null,
          after: "backup",
          checklist: [
            `Use \`down\` or remove the server from ${after.label} instead of \`backup\`.`,
          ],
        });
        continue;
      }
      const loss = capacityLoss(
        before.servers.filter(isActive).length,
        after.servers.filter(isActive).length,
        params.highSharePercent,
        out.length,
      );
      const { activeBefore, activeAfter, sharePercent } = loss;
      const describe = ([, now]: (typeof out)[number]): string =>
        `${now.address} ${hasFlag(now, "down") ? "down" : "backup"}`;
      findings.push({
        severity: loss.severe ? "high" : "medium",
        line,
        path,
        message: `${after.label} takes ${plural(out.length, "server")} of ${activeBefore} out of rotation (${nameList(out.map(describe))}), ${sharePercent}% of its capacity; ${activeAfter === 0 ? "no active server is left" : `${plural(activeAfter, "active server")} remain`}.${
          loss.severe
            ? safe(
                capacityAdvice(
                  loss,
                  "server",
                  out.map(([, now]) => now.address),
                  params.highSharePercent,
                ),
              )
            : ""
        }`,
        before: out.map(([was]) => was.address),
        after: out.map(describe),
        figures: {
          activeServersBefore: activeBefore,
          activeServersAfter: activeAfter,
          capacityOutPercent: sharePercent,
        },
        checklist: [`Confirm the remaining servers of ${after.label} can carry its peak load.`],
      });
    }
    return findings;
  },
});
