import { defineRule, type Detection } from "../types.js";
import { nameList, plural } from "../message.js";
import { sectionPairs } from "../model/haproxy/sections.js";
import { type HaproxyServer, param, serverPairs, serverPath } from "../model/haproxy/servers.js";

const shutsDown = (server: HaproxyServer): boolean =>
  param(server, "on-marked-down")?.node.value === "shutdown-sessions";

/** A server marked DOWN by a flapping check loses its in-flight requests too. */
export default defineRule({
  id: "haproxy.on-marked-down.shutdown-sessions",
  family: "haproxy",
  title: "Sessions killed when a server is marked down",
  description:
    "`on-marked-down shutdown-sessions` is turned on for servers (on their line or through default-server): when a " +
    "check marks a server DOWN, HAProxy kills its open connections (log code D). A check that flaps, or a slow " +
    "health endpoint under load, then aborts in-flight requests and uploads.",
  severity: "medium",
  params: {},
  dialects: ["haproxy"],
  check(file) {
    const findings: Detection[] = [];
    for (const [before, after] of sectionPairs(file.before, file.after)) {
      const turnedOn = serverPairs(before, after).filter(
        ([was, now]) => !shutsDown(was) && shutsDown(now),
      );
      if (turnedOn.length === 0) continue;
      const first = turnedOn[0]![1];
      const names = turnedOn.map(([, now]) => now.name);
      findings.push({
        severity: "medium",
        line: param(first, "on-marked-down")?.line ?? first.line,
        path: serverPath(first),
        message: `${after.label} now kills the open connections of ${plural(turnedOn.length, "server")} (${nameList(names)}) when a check marks them DOWN: a flapping check aborts in-flight requests.`,
        before: null,
        after: "shutdown-sessions",
        figures: { servers: turnedOn.length },
        checklist: [
          "Confirm the checks are stable (fall ≥ 2, timeout above the health endpoint's p99) so that only dead servers are cut.",
          "Confirm clients retry requests cut mid-flight, or that long requests (uploads, streams) are not served here.",
        ],
      });
    }
    return findings;
  },
});
