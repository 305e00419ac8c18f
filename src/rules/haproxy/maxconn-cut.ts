import { formatPath, key } from "../../diff/path.js";
import { child, type TreeNode } from "../../formats/tree.js";
import { formatSeconds, toNumber } from "../model/figures.js";
import { haproxySeconds } from "../model/durations.js";
import { defineRule, type Detection } from "../types.js";
import { nameList, plural } from "../message.js";
import {
  type HaproxySection,
  inheritedValue,
  lastScalar,
  sectionPairs,
  sectionPath,
} from "../model/haproxy/sections.js";
import { type HaproxyServer, param, serverPairs, serverPath } from "../model/haproxy/servers.js";
import { safe } from "../model/advice.js";
import { lineFix } from "../model/fix.js";

const ownMaxconn = (body: TreeNode | undefined): number | undefined =>
  toNumber(lastScalar(child(body, "maxconn"))?.value);

/** A server's maxconn; 0 and unset mean unlimited (HAProxy manual §5.2). */
const serverLimit = (server: HaproxyServer): number | undefined => {
  const value = toNumber(param(server, "maxconn")?.node.value);
  return value === undefined || value <= 0 ? undefined : value;
};

/** How long a queued request waits before its 503: `timeout queue`, else `timeout connect` (manual §4.2). */
function queueWait(section: HaproxySection): string {
  const queue =
    inheritedValue(section, "timeout", "queue") ?? inheritedValue(section, "timeout", "connect");
  const seconds = queue ? haproxySeconds(queue.node.value) : undefined;
  return seconds === undefined
    ? "no queue timeout (they wait indefinitely)"
    : `a 503 after ${formatSeconds(seconds)} in the queue`;
}

/** Connection limits cut hard turn load spikes into queues and 503s. */
export default defineRule({
  id: "haproxy.maxconn.cut",
  family: "haproxy",
  title: "Connection limit cut by more than half",
  description:
    "`maxconn` is cut by more than half (global, defaults, frontend or listen), or a server's maxconn is cut by " +
    "more than half or set where it was unlimited. Above a server's limit requests queue and get a 503 after " +
    "`timeout queue`; above a frontend's or the global limit new connections wait in the kernel backlog.",
  severity: "high",
  params: {
    // docs/lb-facts.md §P7 Capacity: connection limits cut by more than half.
    cutPercent: {
      default: 50,
      description: "A cut larger than this share of the old limit (percent) is high.",
    },
  },
  dialects: ["haproxy"],
  check(file, params) {
    const findings: Detection[] = [];
    const isCut = (was: number, now: number): boolean => now < was * (1 - params.cutPercent / 100);
    const cutPercent = (was: number, now: number): number => Math.round((1 - now / was) * 100);

    const globalWas = ownMaxconn(child(file.before, "global"));
    const globalNow = ownMaxconn(child(file.after, "global"));
    if (globalWas !== undefined && globalNow !== undefined && isCut(globalWas, globalNow)) {
      const line = child(child(file.after, "global"), "maxconn")?.line ?? 1;
      const fix = lineFix(file, line, [{ keys: ["maxconn"], value: globalWas }]);
      findings.push({
        ...(fix ? { fix } : {}),
        severity: "high",
        line,
        path: formatPath([key("global"), key("maxconn")]),
        message: `global maxconn cut from ${globalWas} to ${globalNow} (−${cutPercent(globalWas, globalNow)}%): above ${globalNow} concurrent connections for the whole process, new ones wait in the kernel backlog or are refused.${safe(`keep global maxconn ${globalWas}, or cut it by less than ${params.cutPercent}%`)}`,
        before: globalWas,
        after: globalNow,
        figures: { maxconnBefore: globalWas, maxconn: globalNow },
        checklist: [
          `Confirm the peak number of concurrent connections stays well below ${globalNow}.`,
        ],
      });
    }

    for (const [before, after] of sectionPairs(file.before, file.after)) {
      const was = inheritedValue(before, "maxconn");
      const now = inheritedValue(after, "maxconn");
      const wasLimit = toNumber(was?.node.value);
      const nowLimit = toNumber(now?.node.value);
      if (
        after.kind !== "backend" &&
        now?.own &&
        wasLimit !== undefined &&
        nowLimit !== undefined &&
        isCut(wasLimit, nowLimit)
      ) {
        const fix = lineFix(file, now.line, [{ keys: ["maxconn"], value: wasLimit }]);
        findings.push({
          ...(fix ? { fix } : {}),
          severity: "high",
          line: now.line,
          path: sectionPath(after, "maxconn"),
          message: `${after.label} maxconn cut from ${wasLimit} to ${nowLimit} (−${cutPercent(wasLimit, nowLimit)}%): connections above ${nowLimit} wait in the kernel backlog${after.kind === "defaults" ? " in every proxy that inherits it" : ""}.${safe(`keep maxconn ${wasLimit} in ${after.label}`)}`,
          before: wasLimit,
          after: nowLimit,
          figures: { maxconnBefore: wasLimit, maxconn: nowLimit },
          checklist: [
            `Confirm the peak concurrent connections of ${after.label} stay below ${nowLimit}.`,
          ],
        });
      }

      // Servers: one finding per section and change, however many servers share it (default-server).
      const groups = new Map<string, [HaproxyServer, HaproxyServer][]>();
      for (const pair of serverPairs(before, after)) {
        const [wasServer, nowServer] = pair;
        const old = serverLimit(wasServer);
        const neu = serverLimit(nowServer);
        if (neu === undefined || old === neu) continue;
        if (old !== undefined && !isCut(old, neu)) continue;
        const group = `${old ?? "unlimited"}→${neu}`;
        groups.set(group, [...(groups.get(group) ?? []), pair]);
      }
      for (const pairs of groups.values()) {
        const [wasServer, nowServer] = pairs[0]!;
        const old = serverLimit(wasServer);
        const neu = serverLimit(nowServer)!;
        const names = nameList(pairs.map(([, server]) => server.name));
        const line = param(nowServer, "maxconn")?.line ?? nowServer.line;
        const fix =
          old !== undefined && pairs.length === 1
            ? lineFix(file, line, [{ keys: ["maxconn"], value: old }])
            : undefined;
        findings.push({
          ...(fix ? { fix } : {}),
          severity: old === undefined ? "medium" : "high",
          line,
          path: serverPath(nowServer),
          message:
            old === undefined
              ? `${after.label} limits ${plural(pairs.length, "server")} (${names}) to ${neu} concurrent connections where they had no limit: requests above it queue, with ${queueWait(after)}.`
              : `${after.label} cuts maxconn of ${plural(pairs.length, "server")} (${names}) from ${old} to ${neu} (−${cutPercent(old, neu)}%): requests above it queue, with ${queueWait(after)}.${safe(`keep maxconn ${old} on ${names}`)}`,
          before: old ?? 0,
          after: neu,
          figures: { maxconnBefore: old ?? 0, maxconn: neu, servers: pairs.length },
          checklist: [
            `Confirm each server of ${after.label} sees fewer than ${neu} concurrent requests at peak.`,
          ],
        });
      }
    }
    return findings;
  },
});
