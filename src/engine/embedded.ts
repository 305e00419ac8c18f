// Config embedded in config: an nginx.conf, haproxy.cfg, envoy.yaml or traefik.toml carried as a
// string (a Kubernetes ConfigMap `data` key, a CloudFormation `AWS::CloudFormation::Init` file, a
// Terraform heredoc) is parsed as its own format, with its lines mapped back to the outer file.
// The outer diff sees a stand-in for each embedded config (equal when the embedded trees are equal,
// so reformatting inside the string is no change) and the embedded config's own semantic changes
// take the stand-in's place; the embedded config's rules run on it as on a file of its own.
import { diffTrees, type Change } from "../diff/semantic-diff.js";
import { formatPath, type PathSegment } from "../diff/path.js";
import { detectDialect, detectFormat, parseSource, type Dialect } from "../formats/index.js";
import {
  listNode,
  mapNode,
  scalarNode,
  toPlain,
  type Plain,
  type TreeNode,
} from "../formats/tree.js";
import type { Format, Problem } from "../formats/types.js";

/** The dialects worth reading inside a string: the proxies' own configuration files. */
const EMBEDDABLE: readonly Dialect[] = ["nginx", "haproxy", "envoy", "traefik"];

/** Keys that hold a file's text under a key that names the file (cfn-init `files`, Terraform `local_file`). */
const CONTENT_KEYS = /^(content|contents|data|body|text|source|value|config)$/i;
/** Keys naming the file beside a content key. */
const NAME_KEYS = ["filename", "path", "name", "destination", "file"];

/** One embedded config on one side of the change. */
export interface Embedded {
  /** What names it (`nginx.conf`, `/etc/haproxy/haproxy.cfg`): its format and dialect come from it. */
  readonly name: string;
  readonly format: Format;
  readonly dialect: Dialect;
  /** Its tree, with the outer file's lines. */
  readonly tree: TreeNode;
  /** The stand-in string the outer tree holds instead of it. */
  readonly token: string;
}

/** A string that names a config but does not parse as it. */
export interface EmbeddedProblem {
  readonly name: string;
  readonly format: Format;
  readonly problem: Problem;
}

export interface EmbeddedSide {
  /** The outer tree with every embedded config replaced by its stand-in. */
  readonly tree: TreeNode;
  readonly configs: ReadonlyMap<string, Embedded>;
  readonly problems: readonly EmbeddedProblem[];
  /** Strings named as a config that were not read, the bounds being spent: their text → what names them. */
  readonly skipped: ReadonlyMap<string, Skipped>;
}

/** A string named as a config and left unread by the bounds. */
export interface Skipped {
  readonly name: string;
  readonly line: number;
}

/**
 * Stand-ins are shared by both sides: equal embedded trees (order included) get the same one. They
 * start with a prefix no string of either side starts with, so a string of the file (a JSON
 * `\u0000` escape) can never be taken for one.
 */
export class StandIns {
  private readonly ids = new Map<string, string>();
  private readonly prefix: string;

  constructor(...trees: readonly (TreeNode | null)[]) {
    const lookalikes: string[] = [];
    const collect = (node: TreeNode): void => {
      if (node.kind === "scalar") {
        if (typeof node.value === "string" && node.value.startsWith(TOKEN_PREFIX))
          lookalikes.push(node.value);
      } else if (node.kind === "list") node.items.forEach(collect);
      else node.entries.forEach(collect);
    };
    for (const tree of trees) if (tree) collect(tree);
    let prefix = TOKEN_PREFIX;
    while (lookalikes.some((text) => text.startsWith(prefix))) prefix += "\u0000";
    this.prefix = prefix;
  }

  tokenFor(format: Format, tree: TreeNode): string {
    const text = `${format}:${orderedPrint(tree)}`;
    let token = this.ids.get(text);
    if (!token) {
      token = `${this.prefix}${this.ids.size + 1}`;
      this.ids.set(text, token);
    }
    return token;
  }
}

/** At most this many strings per side are read as embedded configs. */
export const MAX_EMBEDDED = 200;

/** Where stand-ins start (a NUL, then more NULs while a string of the file starts alike). */
const TOKEN_PREFIX = "\u0000embedded-config-";

/** Replaces the embedded configs of one side's tree by their stand-ins. `source` maps their lines. */
export function extractEmbedded(tree: TreeNode, source: string, standIns: StandIns): EmbeddedSide {
  // Bounded work: YAML aliases can repeat one long string many times, so at most MAX_EMBEDDED
  // strings per side, and no more text than the outer file's own.
  const limit = { count: MAX_EMBEDDED, bytes: source.length };
  let split: string[] | undefined;
  const lines = (): string[] => (split ??= source.split("\n"));
  const configs = new Map<string, Embedded>();
  const problems: EmbeddedProblem[] = [];
  const skipped = new Map<string, Skipped>();

  const embed = (name: string, node: TreeNode): TreeNode | undefined => {
    if (node.kind !== "scalar" || typeof node.value !== "string") return undefined;
    const text = node.value;
    if (text.length < 16) return undefined;
    const format = detectFormat(name, text);
    if (!format || format === "hcl" || format === "text") return undefined;
    if (limit.count <= 0 || text.length > limit.bytes) {
      if (!skipped.has(text)) skipped.set(text, { name, line: node.line });
      return undefined;
    }
    limit.count--;
    limit.bytes -= text.length;
    const parsed = parseSource(format, text);
    const named = format === "nginx" || format === "haproxy";
    if (!parsed.ok || parsed.template) {
      // Only a string that names its format for sure (nginx.conf, haproxy.cfg) is a config that fails.
      if (!parsed.ok && named && parsed.problems.length > 0)
        problems.push({
          name,
          format,
          problem: {
            ...parsed.problems[0]!,
            line: lineMap(node.line, text, lines())(parsed.problems[0]!.line),
          },
        });
      return undefined;
    }
    const dialect = detectDialect(baseName(name), parsed.format, parsed.tree);
    if (!EMBEDDABLE.includes(dialect)) return undefined;
    const mapped = remapLines(parsed.tree, lineMap(node.line, text, lines()));
    const token = standIns.tokenFor(format, mapped);
    configs.set(token, { name, format, dialect, tree: mapped, token });
    return scalarNode(node.line, token);
  };

  // Only what holds an embedded config is copied; the rest of the tree is the outer tree's own.
  const visit = (node: TreeNode, parentKey: string | undefined): TreeNode => {
    switch (node.kind) {
      case "scalar":
        return node;
      case "list": {
        const items = node.items.map((item) => visit(item, parentKey));
        return items.every((item, i) => item === node.items[i]) ? node : listNode(node.line, items);
      }
      case "map": {
        let entries: Map<string, TreeNode> | undefined;
        for (const [key, value] of node.entries) {
          const replaced =
            (mayEmbed(value) ? embedUnder(key, value, node, parentKey, embed) : undefined) ??
            visit(value, key);
          if (replaced === value) continue;
          entries ??= new Map(node.entries);
          entries.set(key, replaced);
        }
        return entries ? mapNode(node.line, entries) : node;
      }
    }
  };

  const outer = visit(tree, undefined);
  return { tree: outer, configs, problems, skipped };
}

/** A string long enough to be a config, or CloudFormation's `Fn::Sub` of one (embedUnder). */
function mayEmbed(value: TreeNode): boolean {
  if (value.kind === "scalar") return typeof value.value === "string" && value.value.length >= 16;
  return value.kind === "map" && value.entries.size === 1 && value.entries.has("Fn::Sub");
}

/** The names a string under `key` may go by, most telling first. */
function namesFor(key: string, parent: TreeNode, parentKey: string | undefined): string[] {
  const names = [key];
  if (CONTENT_KEYS.test(key)) {
    for (const nameKey of NAME_KEYS) {
      const sibling = parent.kind === "map" ? parent.entries.get(nameKey) : undefined;
      if (sibling?.kind === "scalar" && typeof sibling.value === "string")
        names.push(sibling.value);
    }
    if (parentKey) names.push(parentKey);
  }
  // `haproxy_config = <<EOF`: a key that names the proxy.
  const proxy = /nginx|haproxy|envoy|traefik/i.exec(key)?.[0]?.toLowerCase();
  if (proxy) names.push(PROXY_FILE[proxy]!);
  return [...new Set(names)];
}

const PROXY_FILE: Readonly<Record<string, string>> = {
  nginx: "nginx.conf",
  haproxy: "haproxy.cfg",
  envoy: "envoy.yaml",
  traefik: "traefik.yaml",
};

/** The value under `key` with its embedded config replaced, or undefined when it holds none. */
function embedUnder(
  key: string,
  value: TreeNode,
  parent: TreeNode,
  parentKey: string | undefined,
  embed: (name: string, node: TreeNode) => TreeNode | undefined,
): TreeNode | undefined {
  const names = namesFor(key, parent, parentKey);
  const tryNames = (node: TreeNode): TreeNode | undefined => {
    for (const name of names) {
      const replaced = embed(name, node);
      if (replaced) return replaced;
    }
    return undefined;
  };
  if (value.kind === "scalar") return tryNames(value);
  // CloudFormation `content: !Sub |` (`{ "Fn::Sub": text }` or `{ "Fn::Sub": [text, vars] }`).
  if (value.kind === "map" && value.entries.size === 1 && value.entries.has("Fn::Sub")) {
    const sub = value.entries.get("Fn::Sub")!;
    if (sub.kind === "scalar") {
      const replaced = tryNames(sub);
      return replaced ? mapNode(value.line, new Map([["Fn::Sub", replaced]])) : undefined;
    }
    if (sub.kind === "list" && sub.items[0]?.kind === "scalar") {
      const replaced = tryNames(sub.items[0]);
      return replaced
        ? mapNode(
            value.line,
            new Map([["Fn::Sub", listNode(sub.line, [replaced, ...sub.items.slice(1)])]]),
          )
        : undefined;
    }
  }
  return undefined;
}

/**
 * Inner line → outer line. A block scalar or heredoc starts on the line after its key, so the text's
 * line n is the outer line `keyLine + n` when the outer file shows those lines there; otherwise (a
 * quoted string with `\n`, a folded scalar) every line is the key's.
 */
function lineMap(
  keyLine: number,
  text: string,
  outer: readonly string[],
): (line: number) => number {
  const inner = text.split("\n");
  let shown = 0;
  let matched = 0;
  for (let index = 0; index < inner.length; index++) {
    const want = inner[index]!.trim();
    if (!want) continue;
    shown++;
    if ((outer[keyLine + index] ?? "").trim().endsWith(want)) matched++;
  }
  const aligned = shown > 0 && matched >= Math.ceil(shown * 0.8);
  const last = Math.max(1, outer.length);
  return aligned ? (line) => Math.min(last, keyLine + line) : () => keyLine;
}

function remapLines(node: TreeNode, map: (line: number) => number): TreeNode {
  switch (node.kind) {
    case "scalar":
      return scalarNode(map(node.line), node.value, node.expression ?? false);
    case "list":
      return listNode(
        map(node.line),
        node.items.map((item) => remapLines(item, map)),
      );
    case "map": {
      const entries = new Map<string, TreeNode>();
      for (const [key, value] of node.entries) entries.set(key, remapLines(value, map));
      return mapNode(map(node.line), entries);
    }
  }
}

/** A pair of embedded configs the outer diff matched (one side absent when added or removed). */
export interface EmbeddedPair {
  readonly segments: readonly PathSegment[];
  readonly path: string;
  readonly before: Embedded | undefined;
  readonly after: Embedded | undefined;
  /** The embedded config's changes, paths from its own root (what its rules read). */
  readonly innerChanges: readonly Change[];
  /** The same changes with paths from the outer file's root. */
  readonly changes: readonly Change[];
}

/**
 * The outer changes with each stand-in change replaced by the embedded config's own changes
 * (their paths under the outer path), and stand-ins inside added or removed values written out.
 */
export function expandChanges(
  changes: readonly Change[],
  before: EmbeddedSide | undefined,
  after: EmbeddedSide | undefined,
): { changes: Change[]; pairs: EmbeddedPair[] } {
  const out: Change[] = [];
  const pairs: EmbeddedPair[] = [];
  const lookup = (
    side: EmbeddedSide | undefined,
    value: Plain | undefined,
  ): Embedded | undefined => (typeof value === "string" ? side?.configs.get(value) : undefined);
  for (const change of changes) {
    const was = lookup(before, change.before);
    const now = lookup(after, change.after);
    if (!was && !now) {
      const stripped = { ...change };
      const tokens = new Set<string>();
      if (change.before !== undefined)
        Object.assign(stripped, { before: writeOut(change.before, before, tokens) });
      if (change.after !== undefined)
        Object.assign(stripped, { after: writeOut(change.after, after, tokens) });
      out.push(stripped);
      // An embedded config inside an added or removed value is added or removed whole.
      for (const token of tokens) {
        const inBefore = before?.configs.get(token);
        const inAfter = after?.configs.get(token);
        const config = inAfter ?? inBefore;
        if (!config) continue;
        const side = change.kind === "removed" || (!inAfter && inBefore) ? "before" : "after";
        pairs.push(
          pair(
            change.segments,
            side === "before" ? config : undefined,
            side === "after" ? config : undefined,
          ),
        );
      }
      continue;
    }
    const embeddedPair = pair(change.segments, was, now);
    pairs.push(embeddedPair);
    if (was && now) {
      out.push(...embeddedPair.changes);
    } else {
      // A string that became (or stopped being) an embedded config: one change, written out.
      out.push({
        ...change,
        ...(change.before !== undefined
          ? { before: writeOut(change.before, before, new Set()) }
          : {}),
        ...(change.after !== undefined ? { after: writeOut(change.after, after, new Set()) } : {}),
      });
    }
  }
  return { changes: out, pairs };
}

/**
 * The strings left unread by the bounds that a change touches: their change is only a string's,
 * not judged as the config they are.
 */
export function unreadInChanges(
  changes: readonly Change[],
  before: EmbeddedSide | undefined,
  after: EmbeddedSide | undefined,
): Skipped[] {
  const found = new Map<string, Skipped>();
  const scan = (value: Plain | undefined, side: EmbeddedSide | undefined): void => {
    if (value === undefined || value === null || !side || side.skipped.size === 0) return;
    if (typeof value === "string") {
      const skipped = side.skipped.get(value);
      if (skipped) found.set(`${skipped.name}\u0000${skipped.line}`, skipped);
    } else if (typeof value === "object")
      for (const item of Array.isArray(value) ? value : Object.values(value)) scan(item, side);
  };
  for (const change of changes) {
    scan(change.before, before);
    scan(change.after, after);
  }
  return [...found.values()];
}

function pair(
  segments: readonly PathSegment[],
  before: Embedded | undefined,
  after: Embedded | undefined,
): EmbeddedPair {
  const dialect = (after ?? before)!.dialect;
  const inner = diffTrees(before?.tree ?? null, after?.tree ?? null, dialect);
  const changes = inner.map((change) => {
    const joined = [...segments, ...change.segments];
    return { ...change, segments: joined, path: formatPath(joined) };
  });
  return { segments, path: formatPath(segments), before, after, innerChanges: inner, changes };
}

/** A plain value with stand-ins replaced by the embedded configs' plain trees; `seen` collects them. */
function writeOut(value: Plain, side: EmbeddedSide | undefined, seen: Set<string>): Plain {
  if (typeof value === "string") {
    const config = side?.configs.get(value);
    if (!config) return value;
    seen.add(value);
    return toPlain(config.tree);
  }
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => writeOut(item, side, seen));
  const out: { [key: string]: Plain } = Object.create(null) as { [key: string]: Plain };
  for (const [key, item] of Object.entries(value)) out[key] = writeOut(item, side, seen);
  return out;
}

/** A serialisation that keeps key order (nginx `location` order can matter; `fingerprint` ignores it). */
function orderedPrint(node: TreeNode): string {
  switch (node.kind) {
    case "scalar":
      return JSON.stringify(node.value);
    case "list":
      return `[${node.items.map(orderedPrint).join(",")}]`;
    case "map":
      return `{${[...node.entries].map(([key, value]) => `${JSON.stringify(key)}:${orderedPrint(value)}`).join(",")}}`;
  }
}

function baseName(name: string): string {
  return name.split("/").pop() ?? name;
}
