import { child, entriesOf, fingerprint, toPlain, type TreeNode } from "../../formats/tree.js";
import { showValueForMessage } from "../message.js";
import { defineRule, type Detection } from "../types.js";
import { nameList, plural } from "../message.js";
import {
  type HaproxySection,
  haproxySections,
  inheritors,
  sectionPairs,
  sectionPath,
} from "../model/haproxy/sections.js";
import { flag, type HaproxyServer, param, serversOf } from "../model/haproxy/servers.js";

/** A server parameter as it applies to one server: flags through their `no-` form, values as written. */
function effective(server: HaproxyServer | undefined, name: string): string {
  if (!server) return "";
  const value = param(server, name)?.node.value;
  if (value === true || value === false || param(server, `no-${name}`))
    return String(flag(server, name));
  return value === undefined ? "(unset)" : JSON.stringify(value);
}

/** A default-server parameter as the message shows it: a flag on or off (`check` / `no-check`), a value, or (unset). */
function shownParam(line: TreeNode | undefined, name: string): string {
  if (child(line, `no-${name}`)) return "off";
  const node = child(line, name);
  if (!node) return "(unset)";
  const value = toPlain(node);
  return value === true ? "on" : showValueForMessage(value);
}

// Server parameters that tune connection reuse or logging, not health, capacity, TLS or where traffic goes
// (HAProxy manual §5.2): an edit of only these stays low however many servers it reaches.
const LOW_IMPACT = /^(pool-|log-|tcp-ut$|tfo$|id$|namespace$|shard$|ws$|guid$)/;

/** One `default-server` edit changes every server below it that does not set the parameter itself. */
export default defineRule({
  id: "haproxy.default-server.changed",
  family: "haproxy",
  title: "default-server edit applies to many servers",
  description:
    "A `default-server` line changes in a defaults, backend or listen section. The rule counts the servers whose " +
    "effective settings change (those that do not override the parameter), across every section that inherits " +
    "it: the blast radius of the edit. Medium when it reaches several servers and touches more than connection " +
    "pooling or logging; the specific effects (checks, capacity, timings) are judged by the other rules.",
  severity: "medium",
  params: {
    // docs/lb-facts.md §P7 Blast radius: multiply the weight of a change made in defaults/default-server.
    minServers: {
      default: 2,
      description: "Number of servers an edit must reach to be medium rather than low.",
    },
  },
  dialects: ["haproxy"],
  check(file, params) {
    const findings: Detection[] = [];
    const sectionsAfter = haproxySections(file.after);
    const serversBefore = new Map(
      haproxySections(file.before)
        .flatMap(serversOf)
        .map((server) => [server.key, server]),
    );
    for (const [before, after] of sectionPairs(file.before, file.after)) {
      const was = child(before.body, "default-server");
      const now = child(after.body, "default-server");
      if (!was && !now) continue;
      if (was && now && fingerprint(was) === fingerprint(now)) continue;
      const wasParams = new Map(entriesOf(was).map(([name, node]) => [name, fingerprint(node)]));
      const nowParams = new Map(entriesOf(now).map(([name, node]) => [name, fingerprint(node)]));
      // `check` → `no-check` is one parameter turned off, not two changes.
      const changed = [
        ...new Set(
          [...new Set([...wasParams.keys(), ...nowParams.keys()])]
            .filter((name) => wasParams.get(name) !== nowParams.get(name))
            .map((name) => name.replace(/^no-/, "")),
        ),
      ];
      if (changed.length === 0) continue;
      const reach: HaproxySection[] =
        after.kind === "defaults" ? inheritors(sectionsAfter, after) : [after];
      const affected = reach
        .flatMap(serversOf)
        .filter((server) =>
          changed.some(
            (name) => effective(serversBefore.get(server.key), name) !== effective(server, name),
          ),
        );
      if (affected.length === 0) continue;
      const count = affected.reduce((sum, server) => sum + server.count, 0);
      const sections = [...new Set(affected.map((server) => server.section.label))];
      const what = changed
        .map((name) => `${name} ${shownParam(was, name)} → ${shownParam(now, name)}`)
        .join(", ");
      findings.push({
        severity:
          count >= params.minServers && changed.some((name) => !LOW_IMPACT.test(name))
            ? "medium"
            : "low",
        line: now?.line ?? after.line,
        path: sectionPath(after, "default-server"),
        message: `default-server of ${after.label} changes ${what}: it applies to ${plural(count, "server")} in ${plural(sections.length, "section")} (${nameList(sections)}).`,
        before: was ? toPlain(was) : null,
        after: now ? toPlain(now) : null,
        figures: { serversAffected: count, sectionsAffected: sections.length },
        checklist: [
          `Confirm the new defaults suit every one of the ${plural(count, "server")} (${nameList(affected.map((server) => server.name))}).`,
        ],
      });
    }
    return findings;
  },
});
