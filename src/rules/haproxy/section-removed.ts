import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import { nameList } from "../message.js";
import { child, entriesOf, type TreeNode } from "../../formats/tree.js";
import { haproxySections } from "../model/haproxy/sections.js";

// What falls back to HAProxy's built-in value when the section that set it goes (HAProxy configuration manual
// §3 "Global parameters" and §4 "Proxies"; docs/lb-facts.md §P1).
const GLOBAL_EFFECTS: readonly [RegExp, string][] = [
  [
    /^ssl-default-(bind|server)-(options|ciphers|ciphersuites|curves|sigalgs)$/,
    "TLS hardening (protocols and ciphers) reverts to the library's defaults",
  ],
  [
    /^maxconn$/,
    "the process connection limit reverts to the one derived from the file-descriptor limit",
  ],
  [/^tune\.ssl\.default-dh-param$/, "the DH parameter size reverts to its default"],
  [
    /^(stats|master-worker|server-state-file|server-state-base)$/,
    "the runtime API socket and saved server state it set up are gone",
  ],
];
const DEFAULTS_EFFECTS: readonly [RegExp, string][] = [
  [
    /^timeout$/,
    "every timeout it set (connect, client, server) becomes infinite, so stuck connections pile up until maxconn",
  ],
  [/^mode$/, "proxies fall back to mode tcp"],
  [/^log$/, "proxies stop logging"],
  [/^load-server-state-from-file$/, "server state is no longer restored on reload"],
  [
    /^(option|retries|default-server|balance)$/,
    "its options, retries and server defaults revert to HAProxy's",
  ],
];

/** The effects of the keywords a removed section set, in the order of the table, each once. */
function effectsOf(body: TreeNode, table: readonly [RegExp, string][]): string[] {
  const keywords = entriesOf(body).map(([name]) => name);
  return table
    .filter(([pattern]) => keywords.some((keyword) => pattern.test(keyword)))
    .map(([, effect]) => effect);
}

/** A global or defaults section deleted: what it set silently falls back to HAProxy's built-in values. */
export default defineRule({
  id: "haproxy.section.removed",
  family: "haproxy",
  title: "Global or defaults section removed",
  description:
    "The `global` section, or every `defaults` section, disappears while the file still defines proxies: what it " +
    "set silently falls back to HAProxy's built-in values (timeouts become infinite, mode tcp, no logging, TLS " +
    "hardening and connection limits reverted). High for either; critical when both go at once. A defaults section " +
    "renamed or replaced by another is not a loss; timeouts removed from a defaults section that stays are " +
    "haproxy.timeout.cut's.",
  severity: "critical",
  params: {},
  dialects: ["haproxy"],
  check(file) {
    if (!file.before || !file.after) return [];
    const proxiesAfter = haproxySections(file.after).filter(
      (section) => section.kind !== "defaults",
    );
    if (proxiesAfter.length === 0) return [];
    const lost: { name: string; line: number; keywords: string[]; effects: string[] }[] = [];
    const globalBefore = child(file.before, "global");
    if (globalBefore && !child(file.after, "global")) {
      lost.push({
        name: "global",
        line: globalBefore.line,
        keywords: entriesOf(globalBefore).map(([name]) => name),
        effects: effectsOf(globalBefore, GLOBAL_EFFECTS),
      });
    }
    const defaultsBefore = haproxySections(file.before).filter(
      (section) => section.kind === "defaults",
    );
    const defaultsAfter = haproxySections(file.after).filter(
      (section) => section.kind === "defaults",
    );
    if (defaultsBefore.length > 0 && defaultsAfter.length === 0) {
      lost.push({
        name: "defaults",
        line: defaultsBefore[0]!.line,
        keywords: defaultsBefore.flatMap((section) =>
          entriesOf(section.body).map(([name]) => name),
        ),
        effects: [
          ...new Set(
            defaultsBefore.flatMap((section) => effectsOf(section.body, DEFAULTS_EFFECTS)),
          ),
        ],
      });
    }
    if (lost.length === 0) return [];
    const severity: Severity = lost.length > 1 ? "critical" : "high";
    const sections = lost.map((section) => section.name).join(" and ");
    const effects = lost.flatMap((section) => section.effects);
    return [
      {
        severity,
        line: lost[0]!.line,
        path: lost[0]!.name,
        message:
          `the ${sections} section${lost.length > 1 ? "s are" : " is"} removed (${lost
            .map((section) => `${section.name}: ${nameList([...new Set(section.keywords)], 5)}`)
            .join(
              "; ",
            )}): what ${lost.length > 1 ? "they" : "it"} set silently falls back to HAProxy's built-in values` +
          `${effects.length > 0 ? `: ${effects.join("; ")}` : ""}. Safe: keep ${lost.map((section) => `\`${section.name}\``).join(" and ")}, ` +
          "or move each setting you still need into every proxy that relied on it.",
        before: lost.map((section) => section.name),
        after: null,
        figures: { sectionsRemoved: lost.length },
        checklist: [
          `Confirm every setting of the removed ${sections} section${lost.length > 1 ? "s" : ""} is set again elsewhere (an included file, the controller) or is no longer needed.`,
        ],
      } satisfies Detection,
    ];
  },
});
