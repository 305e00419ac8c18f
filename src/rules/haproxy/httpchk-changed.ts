import { child, itemsOf } from "../../formats/tree.js";
import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import { nameList, plural } from "../message.js";
import {
  type HaproxySection,
  holdsServers,
  inheritedValue,
  sectionPairs,
  sectionPath,
} from "../model/haproxy/sections.js";
import { countServers, flag, serversOf } from "../model/haproxy/servers.js";
import { safe } from "../model/advice.js";

interface CheckSpec {
  /** `option httpchk` arguments, "" for the bare option; undefined = TCP connect checks. */
  readonly request: string | undefined;
  /** `http-check` rules in force (the section's own, else its defaults'). */
  readonly rules: readonly string[];
  readonly line: number | undefined;
}

function specOf(section: HaproxySection): CheckSpec {
  const option = inheritedValue(section, "option", "httpchk");
  const value = option?.node.value;
  const request =
    value === true ? "" : typeof value === "string" ? value.replace(/\s+/g, " ") : undefined;
  const bodies = [section.body, ...section.defaults.map((defaults) => defaults.body)];
  const owner = bodies.find((body) => child(body, "http-check") !== undefined);
  const rules = itemsOf(child(owner, "http-check")).flatMap((rule) =>
    rule.kind === "scalar" && typeof rule.value === "string"
      ? [rule.value.replace(/\s+/g, " ")]
      : [],
  );
  const firstRule = itemsOf(child(section.body, "http-check"))[0];
  return { request, rules, line: option?.line ?? firstRule?.line };
}

// `option httpchk` with no argument sends OPTIONS / HTTP/1.0 (HAProxy manual §4.2; docs/lb-facts.md §P1).
const showRequest = (request: string | undefined): string =>
  request === undefined ? "TCP connect" : request === "" ? "OPTIONS / (default)" : request;

// Rules that decide what is sent and what passes; others (disable-on-404, set-var, comment) do not fail servers.
const DECISIVE = /^(expect|send|connect)\b/;

/** A new check request or expectation is tried on every server at once: a mistake marks the farm DOWN. */
export default defineRule({
  id: "haproxy.httpchk.changed",
  family: "haproxy",
  title: "HTTP health check request or expectation changed",
  description:
    "For a backend with checked servers, `option httpchk` (method, URI, version, Host) or the `http-check " +
    "expect/send/connect` rules change: a wrong path or a strict expectation marks every server DOWN at once, and " +
    "HAProxy answers 503 (high). Turning the HTTP check on or off (TCP connect checks) is medium.",
  severity: "high",
  params: {},
  dialects: ["haproxy"],
  check(file) {
    // One finding per distinct change, however many backends inherit it from a defaults section.
    const groups = new Map<
      string,
      { sections: HaproxySection[]; was: CheckSpec; now: CheckSpec; servers: number }
    >();
    for (const [before, after] of sectionPairs(file.before, file.after)) {
      if (!holdsServers(after)) continue;
      const servers = countServers(serversOf(after), (server) => flag(server, "check"));
      if (servers === 0) continue;
      const was = specOf(before);
      const now = specOf(after);
      if (was.request === now.request && was.rules.join("\n") === now.rules.join("\n")) continue;
      const signature = JSON.stringify([was.request, was.rules, now.request, now.rules]);
      const group = groups.get(signature) ?? { sections: [], was, now, servers: 0 };
      group.sections.push(after);
      group.servers += servers;
      groups.set(signature, group);
    }
    const findings: Detection[] = [];
    for (const { sections, was, now, servers } of groups.values()) {
      const where = nameList(sections.map((section) => section.label));
      const first = sections[0]!;
      const added = now.rules.filter((rule) => !was.rules.includes(rule));
      const removed = was.rules.filter((rule) => !now.rules.includes(rule));
      let severity: Severity;
      let what: string;
      if (was.request !== undefined && now.request === undefined) {
        severity = "medium";
        what = `HTTP checks are turned off (was ${showRequest(was.request)}): checks fall back to a TCP connect, so a server whose application fails but whose port is open stays in rotation`;
      } else if (was.request === undefined) {
        severity = "medium";
        what = `HTTP checks are turned on (${showRequest(now.request)}${now.rules.length ? `, ${now.rules.join("; ")}` : ""}): every server must answer it as expected or goes DOWN`;
      } else {
        const decisive = [...added, ...removed].some((rule) => DECISIVE.test(rule));
        severity = was.request !== now.request || decisive ? "high" : "low";
        const parts = [
          ...(was.request !== now.request
            ? [`check request ${showRequest(was.request)} → ${showRequest(now.request)}`]
            : []),
          ...(added.length ? [`http-check added: ${added.join("; ")}`] : []),
          ...(removed.length ? [`removed: ${removed.join("; ")}`] : []),
        ];
        what = `${parts.join(", ")}: if any server answers differently, all of them go DOWN together and HAProxy answers 503`;
      }
      findings.push({
        severity,
        line: now.line ?? was.line ?? first.line,
        path: sectionPath(first, "option", "httpchk"),
        message: `${where} (${plural(servers, "checked server")}): ${what}.${
          severity === "high"
            ? safe(
                `keep \`option httpchk${was.request ? ` ${was.request}` : ""}\`${was.rules.length ? ` with ${was.rules.map((rule) => `\`${rule}\``).join(", ")}` : ""} until every server answers the new check`,
              )
            : ""
        }`,
        before: { request: was.request ?? null, rules: [...was.rules] },
        after: { request: now.request ?? null, rules: [...now.rules] },
        figures: { checkedServers: servers, sections: sections.length },
        checklist: [
          `Run the new check by hand against every server of ${where} and confirm it passes (status and body).`,
        ],
      });
    }
    return findings;
  },
});
