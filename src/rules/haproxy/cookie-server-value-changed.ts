import { defineRule, type Detection } from "../types.js";
import { nameList, plural } from "../message.js";
import { type HaproxySection, inheritedValue, sectionPairs } from "../model/haproxy/sections.js";
import {
  type HaproxyServer,
  param,
  serverPairs,
  serverPath,
  serversOf,
} from "../model/haproxy/servers.js";
import { safe } from "../model/advice.js";
import { lineFix } from "../model/fix.js";

const cookieName = (section: HaproxySection): string | undefined => {
  const value = inheritedValue(section, "cookie")?.node.value;
  return typeof value === "string" ? value.split(/\s+/)[0] : undefined;
};

const valueOf = (server: HaproxyServer): string | undefined => {
  const value = param(server, "cookie")?.node.value;
  return value === undefined || value === null ? undefined : String(value);
};

/** The cookie carries the server's value: a new value no longer matches what browsers send back. */
export default defineRule({
  id: "haproxy.cookie.server-value-changed",
  family: "haproxy",
  title: "Server persistence cookie value changed",
  description:
    "With cookie persistence on (same cookie name before and after), a server's `cookie` value changes or is " +
    "removed. Browsers still send the old value, which matches no server: those users are re-balanced and lose " +
    "server-side sessions. High when a third or more of the servers change; medium otherwise.",
  severity: "high",
  params: {
    // docs/lb-facts.md §P7 Affinity reset: high for stateful apps; a third of the servers as for capacity.
    highSharePercent: {
      default: 33,
      description: "Share of the servers (percent) whose value changes that is high.",
    },
  },
  dialects: ["haproxy"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of sectionPairs(file.before, file.after)) {
      const name = cookieName(after);
      // Turning persistence off or renaming the cookie is lb.stickiness.disabled / lb.stickiness.changed.
      if (name === undefined || cookieName(before) !== name) continue;
      const changed = serverPairs(before, after).filter(([was, now]) => {
        const old = valueOf(was);
        return old !== undefined && old !== valueOf(now);
      });
      if (changed.length === 0) continue;
      const total = serversOf(after).length;
      const sharePercent = Math.round((changed.length / Math.max(total, 1)) * 100);
      const first = changed[0]![1];
      // What changed on each server: `web1: cookie w1 → s1`, `web2: cookie w2 removed`.
      const describe = ([was, now]: [HaproxyServer, HaproxyServer]): string => {
        const value = valueOf(now);
        return `${now.name}: cookie ${valueOf(was)} ${value === undefined ? "removed" : `→ ${value}`}`;
      };
      const high = sharePercent >= params.highSharePercent;
      // One server changed: put its old value back on its line.
      const fix =
        high && changed.length === 1 && valueOf(first) !== undefined
          ? lineFix(file, param(first, "cookie")?.line ?? first.line, [
              { keys: ["cookie"], value: valueOf(changed[0]![0])! },
            ])
          : undefined;
      findings.push({
        ...(fix ? { fix } : {}),
        severity: high ? "high" : "medium",
        line: param(first, "cookie")?.line ?? first.line,
        path: serverPath(first),
        message: `${after.label} changes the ${name} cookie value of ${plural(changed.length, "server")} (${nameList(changed.map(describe))}): users pinned to ${changed.length === 1 ? "it" : "them"} no longer match a server, are re-balanced and lose server-side sessions.${high ? safe(`keep ${nameList(changed.map(([was, now]) => `\`cookie ${valueOf(was) ?? ""}\` on server ${now.name}`))}`) : ""}`,
        before: changed.map(([was]) => valueOf(was) ?? null),
        after: changed.map(([, now]) => valueOf(now) ?? null),
        figures: { serversChanged: changed.length, serversTotal: total, sharePercent },
        checklist: [
          `Confirm the sessions of users pinned to ${nameList(changed.map(([, now]) => now.name))} survive a move (shared session store), or plan the change for low traffic.`,
        ],
      });
    }
    return findings;
  },
});
