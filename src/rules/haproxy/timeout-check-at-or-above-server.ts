import { haproxySeconds } from "../model/durations.js";
import { formatSeconds } from "../model/figures.js";
import { defineRule, type Detection } from "../types.js";
import {
  type HaproxySection,
  holdsServers,
  inheritedValue,
  sectionPairs,
  sectionPath,
} from "../model/haproxy/sections.js";
import { flag, serversOf } from "../model/haproxy/servers.js";

function timeouts(section: HaproxySection): { check?: number; server?: number; line?: number } {
  const check = inheritedValue(section, "timeout", "check");
  const server = inheritedValue(section, "timeout", "server");
  return {
    check: check ? haproxySeconds(check.node.value) : undefined,
    server: server ? haproxySeconds(server.node.value) : undefined,
    line: check?.line,
  };
}

const reaches = (t: { check?: number; server?: number }): boolean =>
  t.check !== undefined && t.server !== undefined && t.check >= t.server;

/** A check that may wait as long as a real request passes on servers too slow to serve traffic. */
export default defineRule({
  id: "haproxy.timeout-check.at-or-above-server",
  family: "haproxy",
  title: "Check timeout at or above the server timeout",
  description:
    "After the change, `timeout check` is at least `timeout server` in a backend with checked servers (it was " +
    "not before). A server too slow to answer real requests in time still passes its checks and keeps traffic.",
  severity: "low",
  params: {},
  dialects: ["haproxy"],
  check(file) {
    const findings: Detection[] = [];
    for (const [before, after] of sectionPairs(file.before, file.after)) {
      if (!holdsServers(after) || !serversOf(after).some((server) => flag(server, "check")))
        continue;
      const now = timeouts(after);
      if (!reaches(now) || reaches(timeouts(before))) continue;
      findings.push({
        severity: "low",
        line: now.line ?? after.line,
        path: sectionPath(after, "timeout", "check"),
        message: `${after.label} waits ${formatSeconds(now.check!)} for a health check but only ${formatSeconds(now.server!)} for a response: a server too slow for real requests still passes its checks.`,
        before: timeouts(before).check ?? null,
        after: now.check!,
        figures: { timeoutCheckSeconds: now.check!, timeoutServerSeconds: now.server! },
        checklist: [`Set timeout check below timeout server in ${after.label}.`],
      });
    }
    return findings;
  },
});
