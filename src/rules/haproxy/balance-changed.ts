import { defineRule, type Detection } from "../types.js";
import {
  type HaproxySection,
  holdsServers,
  inheritedValue,
  sectionPairs,
  sectionPath,
} from "../model/haproxy/sections.js";
import { isActive, param, serversOf } from "../model/haproxy/servers.js";
import { safe } from "../model/advice.js";

// Algorithms that map a key to a server; moving to or from one changes affinity, judged by lb.stickiness.*.
const KEYED = /^(source|uri|url_param|hash|hdr\(|rdp-cookie)/;
// HAProxy's default algorithm when `balance` is unset (docs/lb-facts.md §P1).
const DEFAULT_ALGORITHM = "the default (random since HAProxy 3.3, roundrobin before)";

function algorithmOf(section: HaproxySection): string | undefined {
  const value = inheritedValue(section, "balance")?.node.value;
  return typeof value === "string" ? value.split(/\s+/)[0] : undefined;
}

/** Cookie or stick persistence decides the server of returning clients; balance only places new ones. */
function persistence(section: HaproxySection): boolean {
  return (
    inheritedValue(section, "cookie") !== undefined ||
    inheritedValue(section, "stick", "on") !== undefined ||
    inheritedValue(section, "stick", "match") !== undefined
  );
}

/** A change between non-keyed algorithms moves load, not sessions: how much depends on the pair. */
export default defineRule({
  id: "haproxy.balance.changed",
  family: "haproxy",
  title: "Load-balancing algorithm changed",
  description:
    "`balance` changes between algorithms that keep no affinity (roundrobin, static-rr, leastconn, random, " +
    "first); moves to or from a hashing algorithm are judged by lb.stickiness.*. `first` fills one server up to " +
    "its maxconn before using the next: medium, high when no active server has a maxconn (all load on one " +
    "server). Other moves are low.",
  severity: "high",
  params: {},
  dialects: ["haproxy"],
  check(file) {
    const findings: Detection[] = [];
    for (const [before, after] of sectionPairs(file.before, file.after)) {
      if (!holdsServers(after)) continue;
      const was = algorithmOf(before);
      const now = algorithmOf(after);
      if (was === now) continue;
      const pinned = persistence(before) && persistence(after);
      // Hash algorithms without persistence on top are affinity changes (lb.stickiness.changed/disabled).
      if (!pinned && ((was && KEYED.test(was)) || (now && KEYED.test(now)))) continue;
      const servers = serversOf(after).filter(isActive);
      const unlimited = servers.filter(
        (server) => !(Number(param(server, "maxconn")?.node.value) > 0),
      );
      let severity: "low" | "medium" | "high" = "low";
      let effect = "load spreads differently over the same servers";
      if (now === "first") {
        severity = unlimited.length === servers.length ? "high" : "medium";
        effect =
          unlimited.length === servers.length
            ? "every request goes to the first server, none of the servers has a maxconn to overflow to the next"
            : "each server is filled up to its maxconn before the next one is used: load concentrates";
      } else if (was === "first") {
        effect = "load now spreads over all servers instead of filling them one by one";
      } else if (now === "static-rr") {
        effect = "weights can no longer change at runtime and slowstart has no effect";
      } else if (pinned) {
        effect = "only clients without a persistence cookie or stick entry are placed by it";
      }
      const balance = inheritedValue(after, "balance");
      findings.push({
        severity,
        line: balance?.line ?? after.line,
        path: sectionPath(after, "balance"),
        message: `${after.label} balances with ${now ?? DEFAULT_ALGORITHM} instead of ${was ?? DEFAULT_ALGORITHM}: ${effect}.${severity === "high" ? safe(`keep \`balance ${was ?? DEFAULT_ALGORITHM}\`, or give each server a maxconn (e.g. \`maxconn 100\`) so that first overflows to the next`) : ""}`,
        before: was ?? null,
        after: now ?? null,
        checklist: [
          severity === "low"
            ? `Confirm the servers of ${after.label} handle the new distribution (watch per-server load after the change).`
            : `Confirm maxconn is set on the servers of ${after.label} so that \`balance first\` overflows to the next server.`,
        ],
      });
    }
    return findings;
  },
});
