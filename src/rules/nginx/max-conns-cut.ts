import { formatPath, key } from "../../diff/path.js";
import { child } from "../../formats/tree.js";
import { defineRule, type Detection } from "../types.js";
import { nameList, plural } from "../message.js";
import {
  numberParam,
  serverPairs,
  upstreamPairs,
  type UpstreamServer,
} from "../model/nginx/upstreams.js";
import { safe } from "../model/advice.js";

/** max_conns=0 (the default) means no limit (ngx_http_upstream_module). */
const limitOf = (server: UpstreamServer): number | undefined => {
  const value = numberParam(server, "max_conns");
  return value === undefined || value <= 0 ? undefined : value;
};

/** A server at max_conns is skipped; when every server is full, requests fail with 502. */
export default defineRule({
  id: "nginx.max-conns.cut",
  family: "nginx",
  title: "Upstream server max_conns cut",
  description:
    "A server's `max_conns` is cut by more than half (high), or set where it had no limit (medium). A server at " +
    "its limit is skipped; when all are full nginx answers 502 (no live upstreams). Without a shared `zone` the " +
    "limit applies per worker process.",
  severity: "high",
  params: {
    // docs/lb-facts.md §P7 Capacity: connection limits cut by more than half.
    cutPercent: {
      default: 50,
      description: "A cut larger than this share of the old limit (percent) is high.",
    },
  },
  dialects: ["nginx"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of upstreamPairs(file.before, file.after)) {
      const groups = new Map<string, UpstreamServer[]>();
      for (const [was, now] of serverPairs(before, after)) {
        const old = limitOf(was);
        const neu = limitOf(now);
        if (neu === undefined || old === neu) continue;
        if (old !== undefined && neu >= old * (1 - params.cutPercent / 100)) continue;
        const group = `${old ?? 0}→${neu}`;
        groups.set(group, [...(groups.get(group) ?? []), now]);
      }
      const zone = child(after.body, "zone") !== undefined;
      for (const [group, servers] of groups) {
        const [old, neu] = group.split("→").map(Number) as [number, number];
        const first = servers[0]!;
        const scope = zone ? "" : " per worker process (no shared zone)";
        findings.push({
          severity: old === 0 ? "medium" : "high",
          line: child(first.params, "max_conns")?.line ?? first.line,
          path: formatPath([...after.path, key("server"), key(first.address)]),
          message:
            old === 0
              ? `${after.label} limits ${plural(servers.length, "server")} (${nameList(servers.map((s) => s.address))}) to ${neu} connections${scope} where they had no limit: when all are full, requests get 502.`
              : `${after.label} cuts max_conns of ${plural(servers.length, "server")} (${nameList(servers.map((s) => s.address))}) from ${old} to ${neu}${scope} (−${Math.round((1 - neu / old) * 100)}%): when all are full, requests get 502.${safe(`keep \`max_conns=${old}\` on ${nameList(servers.map((s) => s.address))}`)}`,
          before: old,
          after: neu,
          figures: { maxConnsBefore: old, maxConns: neu, servers: servers.length },
          checklist: [
            `Confirm each server of ${after.label} needs fewer than ${neu} concurrent connections at peak.`,
          ],
        });
      }
    }
    return findings;
  },
});
