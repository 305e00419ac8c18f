// HAProxy configuration → positioned tree. Root shape:
// - `global` (and `traces`) → map; several such sections are merged, as HAProxy merges them;
// - `defaults` → map when every defaults section is unnamed (several unnamed ones → list of maps in order, each
//   replacing the previous one for the proxies that follow it); as soon as one is named: defaults → NAME → map,
//   unnamed ones under the key "";
// - frontend, backend, listen, resolvers, peers, userlist, mailers, program, cache, http-errors, ring, log-forward,
//   fcgi-app, acme, crt-store (name optional → "") → KIND → NAME → map;
// - `from NAME` on a section line → entry `from`; an address on a `listen`/`frontend` line (1.x syntax) → bind entry.
// Section contents: see haproxy-keywords.ts. Each node's line is the line of its keyword (a section's: its header).
// `.if`/`.elif`/`.else`/`.endif` and `.notice`-style lines are skipped: every branch's lines are kept.
import { SectionEntries } from "./haproxy-entries.js";
import { addKeyword } from "./haproxy-keywords.js";
import { splitHaproxyLine } from "./haproxy-lexer.js";
import { listNode, mapNode, scalarNode, type TreeNode } from "./tree.js";
import type { Parser, Problem } from "./types.js";

const SINGLETONS = new Set(["global", "traces"]);
const PROXIES = new Set(["frontend", "backend", "listen"]);
const NAMED = new Set([
  "resolvers",
  "peers",
  "userlist",
  "mailers",
  "program",
  "cache",
  "http-errors",
  "ring",
  "log-forward",
  "fcgi-app",
  "acme",
]);
const OPTIONAL_NAME = new Set(["crt-store"]);
const SECTION_KEYWORDS = new Set([
  ...SINGLETONS,
  ...PROXIES,
  ...NAMED,
  ...OPTIONAL_NAME,
  "defaults",
]);

interface Section {
  readonly kind: string;
  readonly name: string | undefined;
  readonly line: number;
  readonly entries: SectionEntries;
}

export const parseHaproxy: Parser = (source) => {
  const text = source.startsWith("\uFEFF") ? source.slice(1) : source;
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const sections: Section[] = [];
  const seen = new Map<string, number>();
  let current: Section | undefined;
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    const split = splitHaproxyLine(lines[index]!);
    if (!split.ok) {
      problems.push({ code: "parse.failed", message: split.message, line });
      continue;
    }
    const words = split.words;
    const keyword = words[0]?.text;
    if (keyword === undefined || keyword.startsWith(".")) continue;
    if (SECTION_KEYWORDS.has(keyword)) {
      const opened = openSection(
        keyword,
        words.slice(1).map((word) => word.text),
        line,
      );
      problems.push(...opened.problems);
      // Several `global` sections are merged, as HAProxy merges them: later lines add to the first one's entries.
      const merged = SINGLETONS.has(keyword)
        ? sections.find((section) => section.kind === keyword)
        : undefined;
      current = merged ?? opened.section;
      if (merged) continue;
      const identity = `${current.kind}\u0000${current.name ?? ""}`;
      const first = seen.get(identity);
      if (first !== undefined && current.name !== undefined && !SINGLETONS.has(keyword)) {
        problems.push({
          code: "parse.duplicate-key",
          message: `${keyword} "${current.name}" is already defined on line ${first}`,
          line,
        });
      }
      if (first === undefined) seen.set(identity, line);
      sections.push(current);
      continue;
    }
    if (!current) {
      problems.push({
        code: "parse.failed",
        message: `"${keyword}" appears before any section`,
        line,
      });
      continue;
    }
    const outcome = addKeyword(current.entries, current.kind, words, line);
    problems.push(...outcome.problems);
    warnings.push(...outcome.warnings);
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, tree: buildRoot(sections), warnings };
};

function openSection(
  kind: string,
  args: string[],
  line: number,
): { section: Section; problems: Problem[] } {
  const problems: Problem[] = [];
  const entries = new SectionEntries();
  const takesName = !SINGLETONS.has(kind);
  const first = args[0];
  const name = takesName && first !== undefined && first !== "from" ? first : undefined;
  let rest = name === undefined ? args : args.slice(1);
  if (rest[0] === "from" && (PROXIES.has(kind) || kind === "defaults")) {
    if (rest[1] === undefined)
      problems.push({
        code: "parse.failed",
        message: `"from" needs a defaults section name`,
        line,
      });
    else entries.addItem("from", scalarNode(line, rest[1]));
    rest = rest.slice(2);
  }
  if ((kind === "listen" || kind === "frontend") && rest.length > 0) {
    // HAProxy 1.x: `listen NAME ADDRESS[,ADDRESS]` binds like a `bind` line.
    for (const address of rest) entries.addKeyed("bind", address, scalarNode(line, true), "list");
    rest = [];
  }
  if (rest.length > 0)
    problems.push({
      code: "parse.failed",
      message: `unexpected argument "${rest[0]}" after "${kind}"`,
      line,
    });
  if (name === undefined && (PROXIES.has(kind) || NAMED.has(kind))) {
    problems.push({ code: "parse.failed", message: `"${kind}" needs a name`, line });
  }
  return { section: { kind, name, line, entries }, problems };
}

function buildRoot(order: Section[]): TreeNode {
  const root = new Map<string, TreeNode>();
  const defaults = order.filter((section) => section.kind === "defaults");
  const anyNamedDefaults = defaults.some((section) => section.name !== undefined);
  for (const section of order) {
    const node = section.entries.build(section.line);
    if (SINGLETONS.has(section.kind)) {
      root.set(section.kind, node);
      continue;
    }
    if (section.kind === "defaults" && !anyNamedDefaults) {
      const previous = root.get("defaults");
      if (!previous) root.set("defaults", node);
      else if (previous.kind === "list") previous.items.push(node);
      else root.set("defaults", listNode(previous.line, [previous, node]));
      continue;
    }
    let byName = root.get(section.kind);
    if (!byName || byName.kind !== "map") {
      byName = mapNode(section.line);
      root.set(section.kind, byName);
    }
    const key = section.name ?? "";
    const previous = byName.entries.get(key);
    if (!previous) byName.entries.set(key, node);
    else if (previous.kind === "list") previous.items.push(node);
    else byName.entries.set(key, listNode(previous.line, [previous, node]));
  }
  return mapNode(1, root);
}
