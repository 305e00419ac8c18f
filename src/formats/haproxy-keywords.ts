// One HAProxy keyword line → entries of its section. Shapes:
// - `server NAME ADDR params` / `server-template PREFIX NUM ADDR params` → server[NAME] = { address, ...params }
//   (server-template adds `count`: NUM, a number or a range such as "1-5");
// - `default-server params` → default-server = params, several lines merged (a later value wins);
// - `timeout NAME V`, `option NAME [args]` → timeout/option[NAME] (a later line wins; `no option X` → false,
//   `default option X` → null); `stats NAME args`, `stick on|match|store-* EXPR` → stats/stick[NAME] (repeated → list);
// - ordered rule keywords (http-request, use_backend, ...) → always a list of their argument strings;
// - `acl NAME criteria` → acl[NAME] = "criteria" (repeated → list); `bind ADDR params` → bind[ADDR] = "params" | true;
//   `peer`/`nameserver`/`mailer NAME rest` → keyword[NAME] = value of rest;
// - balance, cookie, stick-table, hash-type → their arguments as one string;
// - anything else → true (no argument) | number (one plain integer) | arguments joined by one space; repeated → list.
import type { SectionEntries } from "./haproxy-entries.js";
import type { HaproxyWord } from "./haproxy-lexer.js";
import { haproxyScalar, parseServerParams } from "./haproxy-server.js";
import { mapNode, scalarNode, type ScalarNode, type TreeNode } from "./tree.js";
import type { Problem } from "./types.js";

/** Rules evaluated in the order written: one occurrence is still a list, so adding a second one is not a shape change. */
const ORDERED = new Set([
  "http-check",
  "http-request",
  "http-response",
  "http-after-response",
  "tcp-request",
  "tcp-response",
  "tcp-check",
  "use_backend",
  "use-server",
  "redirect",
  "errorfile",
  "filter",
  "quic-initial",
]);

const ALWAYS_TEXT = new Set(["balance", "cookie", "stick-table", "hash-type"]);

/** Keywords keyed by their first argument, a later line replacing an earlier one. */
const LAST_WINS = new Set(["timeout", "option"]);

/** Keywords keyed by their first argument, repeated keys kept as a list. */
const KEYED_BY_FIRST = new Set(["stats", "stick", "acl", "peer", "nameserver", "mailer"]);

export interface KeywordOutcome {
  readonly problems: Problem[];
  readonly warnings: Problem[];
}

export function addKeyword(
  entries: SectionEntries,
  section: string,
  words: HaproxyWord[],
  line: number,
): KeywordOutcome {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const problem = (message: string): KeywordOutcome => {
    problems.push({ code: "parse.failed", message, line });
    return { problems, warnings };
  };
  const keyword = words[0]!.text;
  const args = words.slice(1).map(render);
  const keyed = (
    key: string,
    node: TreeNode,
    repeat: "list" | "last",
    warnRepeat = false,
  ): KeywordOutcome => {
    const added = entries.addKeyed(keyword, key, node, repeat);
    if (added === false) return problem(`"${keyword}" is used here both with and without a key`);
    if (typeof added === "number" && warnRepeat) {
      warnings.push({
        code: "parse.duplicate-key",
        message: `${keyword} "${key}" is defined more than once (first on line ${added})`,
        line,
      });
    }
    return { problems, warnings };
  };
  const item = (node: ScalarNode, alwaysList = false): KeywordOutcome =>
    entries.addItem(keyword, node, alwaysList)
      ? { problems, warnings }
      : problem(`"${keyword}" is used here both with and without a key`);

  if (keyword === "server" || keyword === "server-template") {
    const template = keyword === "server-template";
    const [name, count, address] = template
      ? [args[0], args[1], args[2]]
      : [args[0], undefined, args[1]];
    const paramsFrom = template ? 3 : 2;
    if (name === undefined) return problem(`"${keyword}" needs a name`);
    // In a peers section `server NAME` without an address designates the local peer (manual §3.5).
    if (address === undefined && (template || section !== "peers"))
      return problem(`${keyword} "${name}" has no address`);
    const { params, missing } = parseServerParams(args.slice(paramsFrom), line);
    const fields = new Map<string, TreeNode>();
    if (count !== undefined) fields.set("count", scalarNode(line, haproxyScalar(count)));
    if (address !== undefined) fields.set("address", scalarNode(line, address));
    for (const [param, value] of params) fields.set(param, value);
    keyed(name, mapNode(line, fields), "list", true);
    for (const param of missing) problem(`server option "${param}" needs a value`);
    return { problems, warnings };
  }
  if (keyword === "default-server") {
    const { params, missing } = parseServerParams(args, line);
    if (!entries.touchKeyed(keyword, line, "last"))
      return problem(`"${keyword}" is used here both with and without a key`);
    for (const [param, value] of params) keyed(param, value, "last");
    for (const param of missing) problem(`server option "${param}" needs a value`);
    return { problems, warnings };
  }
  if (keyword === "no" || keyword === "default")
    return negated(keyword, args, entries, line, problem);
  if (LAST_WINS.has(keyword) || KEYED_BY_FIRST.has(keyword) || keyword === "bind") {
    const [key, ...rest] = args;
    if (key === undefined) return problem(`"${keyword}" needs an argument`);
    if (keyword === "timeout" && rest.length === 0) return problem(`timeout ${key} needs a value`);
    if (keyword === "acl" && rest.length === 0) return problem(`acl "${key}" has no criterion`);
    const joined = rest.join(" ");
    const value =
      keyword === "acl" || keyword === "stick"
        ? joined
        : keyword === "bind"
          ? joined || true
          : genericValue(rest);
    return keyed(key, scalarNode(line, value), LAST_WINS.has(keyword) ? "last" : "list");
  }
  if (ORDERED.has(keyword)) return item(scalarNode(line, args.join(" ")), true);
  if (ALWAYS_TEXT.has(keyword))
    return item(scalarNode(line, args.length === 0 ? true : args.join(" ")));
  return item(scalarNode(line, genericValue(args)));
}

/** `no option X` → option[X] = false; `default option X` → null (back to HAProxy's default); `no log` → log = false. */
function negated(
  prefix: string,
  args: string[],
  entries: SectionEntries,
  line: number,
  problem: (message: string) => KeywordOutcome,
): KeywordOutcome {
  const [target, name, ...rest] = args;
  const value = prefix === "no" ? false : null;
  if (target === undefined) return problem(`"${prefix}" needs a keyword`);
  if (target === "option") {
    if (name === undefined) return problem(`"${prefix} option" needs an option name`);
    return entries.addKeyed("option", name, scalarNode(line, value), "last") === false
      ? problem('"option" is used here both with and without a key')
      : { problems: [], warnings: [] };
  }
  const node = scalarNode(line, name === undefined ? value : [prefix, name, ...rest].join(" "));
  return entries.addItem(target, node)
    ? { problems: [], warnings: [] }
    : problem(`"${prefix} ${target}" is not supported here`);
}

function genericValue(args: string[]): string | number | boolean {
  if (args.length === 0) return true;
  if (args.length === 1) return haproxyScalar(args[0]!);
  return args.join(" ");
}

function render(word: HaproxyWord): string {
  return word.quoted && word.text === "" ? '""' : word.text;
}
