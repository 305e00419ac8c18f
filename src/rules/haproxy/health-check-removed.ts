import { defineRule, type Detection } from "../types.js";
import { nameList, plural } from "../message.js";
import { sectionPairs } from "../model/haproxy/sections.js";
import { flag, serverPairs, serverPath } from "../model/haproxy/servers.js";
import { safe } from "../model/advice.js";

/** Without `check` a server is always considered UP: a dead one keeps its share of requests. */
export default defineRule({
  id: "haproxy.health-check.removed",
  family: "haproxy",
  title: "Health checks turned off for servers",
  description:
    "Servers that were checked lose `check` (removed from the server line or from default-server, or `no-check` " +
    "added). HAProxy then treats them as always UP: a dead server keeps receiving its share of requests, which " +
    "fail until someone takes it out by hand.",
  severity: "high",
  params: {},
  dialects: ["haproxy"],
  check(file) {
    const findings: Detection[] = [];
    for (const [before, after] of sectionPairs(file.before, file.after)) {
      const unchecked = serverPairs(before, after).filter(
        ([was, now]) => flag(was, "check") && !flag(now, "check"),
      );
      if (unchecked.length === 0) continue;
      const first = unchecked[0]![1];
      const names = unchecked.map(([, now]) => now.name);
      findings.push({
        severity: "high",
        line: first.line,
        path: serverPath(first),
        message: `${after.label} no longer health-checks ${plural(unchecked.length, "server")} (${nameList(names)}): HAProxy treats ${unchecked.length === 1 ? "it" : "them"} as always UP, so a dead server keeps receiving requests.${safe(`keep \`check\` on ${nameList(names)}`)}`,
        before: names.map(() => "check"),
        after: names.map(() => "no check"),
        checklist: [
          `Confirm something else (agent-check, observe layer7, an orchestrator) takes dead servers of ${after.label} out.`,
        ],
      });
    }
    return findings;
  },
});
