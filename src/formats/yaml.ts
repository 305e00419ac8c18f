import {
  Lexer,
  LineCounter,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
} from "yaml";
import type { Node as YamlNode, Document } from "yaml";
import { MAX_ALIAS_NODES, MAX_DEPTH, MAX_NODES } from "./limits.js";
import { listNode, mapNode, scalarNode, type Scalar, type TreeNode } from "./tree.js";
import type { ParseResult, Problem } from "./types.js";

/**
 * YAML (one or many documents) to a positioned tree. A single document is its root; several
 * documents become a list. CloudFormation short tags (`!Ref X`) become their long JSON form
 * (`{ Ref: X }`, `{ "Fn::GetAtt": [a, b] }`), so a YAML template and its JSON twin compare equal.
 */
export function parseYaml(source: string): ParseResult {
  const read = readYamlDocuments(stripBom(source));
  if (!read.ok) return read;
  return { ok: true, tree: documentsTree(read.roots), warnings: read.warnings };
}

/** The documents of a YAML text, each walked to a tree, and what walking them cost. */
export type YamlDocuments =
  | {
      readonly ok: true;
      /** One per document with contents, in order; an empty document's is a null scalar. */
      readonly roots: TreeNode[];
      readonly warnings: Problem[];
      /** Nodes walked, and of those the ones alias expansion added (counted against limits.ts). */
      readonly nodes: number;
      readonly aliasNodes: number;
      /** Whether quoted scalars had to be re-indented as kubectl reads them (quoteContinued). */
      readonly continued: boolean;
    }
  | { readonly ok: false; readonly problems: Problem[] };

/**
 * Reads the documents of `text` (a BOM already stripped) to trees, the first character being on
 * line `startLine` of its file: a run of whole documents cut from a larger stream reads, line for
 * line, as it does inside that stream (a document marker at column 0 ends every scalar, YAML 1.2
 * §9.1: https://yaml.org/spec/1.2.2/#91-documents).
 */
export function readYamlDocuments(text: string, startLine = 1): YamlDocuments {
  let read = readDocuments(text, startLine);
  let continued = false;
  if (read.problems.some((problem) => problem.message.includes("quote"))) {
    // Only when a quoted scalar fails: what kubectl accepts and the YAML spec does not (quoteContinued).
    const reindented = quoteContinued(text);
    if (reindented !== null) {
      const again = readDocuments(reindented, startLine);
      if (again.problems.length === 0) {
        read = again;
        continued = true;
      }
    }
  }
  const { documents, lineOf, problems } = read;
  if (problems.length > 0) return { ok: false, problems };

  const walker = new Walker(lineOf);
  try {
    const roots = documents
      .filter((document) => document.contents !== null)
      .map((document) => {
        walker.document = document;
        return walker.node(document.contents as YamlNode, lineOf(document.contents?.range?.[0]), 0);
      });
    return {
      ok: true,
      roots,
      warnings: walker.warnings,
      nodes: walker.nodes,
      aliasNodes: walker.aliasNodes,
      continued,
    };
  } catch (error) {
    if (error instanceof LimitExceeded) return { ok: false, problems: [error.problem] };
    throw error;
  }
}

/** A file's tree from its documents' roots: a single document is its root; several become a list. */
export function documentsTree(roots: readonly TreeNode[]): TreeNode {
  // `---` followed by nothing is an empty document, not a value.
  const present =
    roots.length > 1
      ? roots.filter((root) => !(root.kind === "scalar" && root.value === null))
      : roots;
  return present.length === 0
    ? mapNode(1)
    : present.length === 1
      ? present[0]!
      : listNode(present[0]!.line, [...present]);
}

interface ReadDocuments {
  readonly documents: Document.Parsed[];
  readonly lineOf: (offset: number | undefined) => number;
  readonly problems: Problem[];
}

function readDocuments(text: string, startLine: number): ReadDocuments {
  const lineCounter = new LineCounter();
  // An offset the parser does not give is line 1 wherever the text starts, as in a whole file.
  const lineOf = (offset: number | undefined): number =>
    offset === undefined ? 1 : lineCounter.linePos(offset).line + startLine - 1;
  let documents: Document.Parsed[];
  try {
    documents = parseAllDocuments(text, {
      lineCounter,
      uniqueKeys: false,
      merge: false,
      prettyErrors: false,
    }) as Document.Parsed[];
  } catch (error) {
    return {
      documents: [],
      lineOf,
      problems: [{ code: "parse.failed", line: 1, message: String(error) }],
    };
  }
  if (!Array.isArray(documents)) documents = [documents];
  const problems: Problem[] = [];
  for (const document of documents) {
    for (const error of document.errors) {
      problems.push({
        code: "parse.failed",
        line: lineOf(error.pos[0]),
        message: firstLine(error.message),
      });
    }
  }
  return { documents, lineOf, problems };
}

/** Rounds of re-indenting: each may uncover a quoted scalar the previous one hid. */
const MAX_CONTINUATION_ROUNDS = 8;

/**
 * The text with every quoted scalar whose continuation lines sit at or left of its key's
 * indentation re-indented past its opening quote, or null when there is none. The YAML spec wants
 * such lines indented, and so does the parser here; kubectl's go-yaml scanner checks no
 * indentation inside quotes, only a document marker (`---`, `...`) at column 0
 * (https://github.com/go-yaml/yaml/blob/v3/scannerc.go, yaml_parser_scan_flow_scalar), and a
 * continuation line's leading white space is not part of the value, so the values are kubectl's.
 * Only spaces are added after line breaks: every line keeps its number.
 */
function quoteContinued(text: string): string | null {
  let current = text;
  for (let round = 0; round < MAX_CONTINUATION_ROUNDS; round++) {
    const inserts = cutQuotes(current);
    if (inserts === null) return null;
    if (inserts.length === 0) return round === 0 ? null : current;
    let rebuilt = "";
    let from = 0;
    for (const { offset, spaces } of inserts) {
      rebuilt += current.slice(from, offset) + " ".repeat(spaces);
      from = offset;
    }
    current = rebuilt + current.slice(from);
  }
  return null;
}

/**
 * The spaces to insert (offset, count; in order) so that the quoted scalars the lexer cut at an
 * under-indented line run to their closing quote; null when one cannot be read as go-yaml does.
 */
function cutQuotes(text: string): { offset: number; spaces: number }[] | null {
  const inserts = new Map<number, number>();
  let offset = 0;
  let afterScalarMark = false;
  for (const token of new Lexer().lex(text)) {
    // Control tokens mark what follows and take no room in the text.
    if (token === "\u0002" || token === "\u0018" || token === "\u001f") {
      afterScalarMark = token === "\u001f";
      continue;
    }
    const start = offset;
    offset += token.length;
    // A block scalar's body follows the scalar mark and may start with a quote.
    if (afterScalarMark || (token[0] !== "'" && token[0] !== '"')) {
      afterScalarMark = false;
      continue;
    }
    const end = closingQuote(text, start);
    if (end < 0 || start + token.length > end) continue;
    const column = start - (text.lastIndexOf("\n", start - 1) + 1);
    for (let lineStart = text.indexOf("\n", start) + 1; lineStart > 0 && lineStart <= end;) {
      if (/^(---|\.\.\.)([ \t\r\n]|$)/.test(text.slice(lineStart, lineStart + 4))) return null;
      let indent = 0;
      while (text[lineStart + indent] === " ") indent++;
      const next = text[lineStart + indent];
      const blank = next === "\n" || next === "\r" || next === undefined;
      if (!blank && indent <= column)
        inserts.set(lineStart, Math.max(inserts.get(lineStart) ?? 0, column + 1 - indent));
      lineStart = text.indexOf("\n", lineStart) + 1;
    }
  }
  return [...inserts].sort(([a], [b]) => a - b).map(([offset, spaces]) => ({ offset, spaces }));
}

/** Offset of the quote that closes the quoted scalar opening at `start`, or -1. */
function closingQuote(text: string, start: number): number {
  const quote = text[start]!;
  let end = text.indexOf(quote, start + 1);
  if (quote === "'") {
    while (end !== -1 && text[end + 1] === "'") end = text.indexOf("'", end + 2);
    return end;
  }
  while (end !== -1) {
    let backslashes = 0;
    while (text[end - 1 - backslashes] === "\\") backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return -1;
}

class LimitExceeded extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

class Walker {
  readonly warnings: Problem[] = [];
  document: Document.Parsed | undefined;
  nodes = 0;
  aliasNodes = 0;
  private insideAlias = 0;

  constructor(private readonly lineOf: (offset: number | undefined) => number) {}

  /** `line` is where the node is named: its key's line inside a map, else its own. */
  node(node: YamlNode | null, line: number, depth: number): TreeNode {
    if (++this.nodes > MAX_NODES || (this.insideAlias > 0 && ++this.aliasNodes > MAX_ALIAS_NODES)) {
      throw new LimitExceeded({
        code: "parse.alias-limit",
        line,
        message: `aliases expand to more than ${MAX_ALIAS_NODES} nodes ("billion laughs")`,
      });
    }
    if (depth > MAX_DEPTH) {
      throw new LimitExceeded({
        code: "parse.too-deep",
        line,
        message: `nesting deeper than ${MAX_DEPTH} levels`,
      });
    }
    if (node === null) return scalarNode(line, null);
    const built = this.untagged(node, line, depth);
    const tag = node.tag;
    return tag && tag.startsWith("!") && !tag.startsWith("!!")
      ? cloudFormationTag(tag, built, line)
      : built;
  }

  private untagged(node: YamlNode, line: number, depth: number): TreeNode {
    if (isAlias(node)) {
      // Anchors are per document; expansion is counted against MAX_NODES like any other node.
      const target = this.document
        ? (node.resolve(this.document) as YamlNode | undefined)
        : undefined;
      if (!target) return scalarNode(line, `*${node.source}`);
      this.insideAlias++;
      try {
        return this.node(target, line, depth + 1);
      } finally {
        this.insideAlias--;
      }
    }
    if (isScalar(node)) return scalarNode(line, scalarValue(node.value));
    if (isSeq(node)) {
      return listNode(
        line,
        node.items.map((item) =>
          this.node(
            item as YamlNode,
            this.lineOf((item as YamlNode | null)?.range?.[0]) || line,
            depth + 1,
          ),
        ),
      );
    }
    if (isMap(node)) {
      const entries = new Map<string, TreeNode>();
      const merged = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YamlNode | null;
        const keyLine = this.lineOf(
          keyNode?.range?.[0] ?? (pair.value as YamlNode | null)?.range?.[0],
        );
        const key = keyText(keyNode);
        if (key === "<<") {
          this.merge(entries, merged, pair.value as YamlNode | null, keyLine, depth);
          continue;
        }
        if (merged.delete(key)) {
          entries.delete(key);
        } else if (entries.has(key)) {
          this.warnings.push({
            code: "parse.duplicate-key",
            line: keyLine,
            message: `duplicate key "${key}": tools disagree on which value wins (this one is used)`,
          });
          entries.delete(key);
        }
        entries.set(key, this.node(pair.value as YamlNode | null, keyLine, depth + 1));
      }
      return mapNode(line, entries);
    }
    return scalarNode(line, null);
  }

  /** YAML merge keys (`<<: *defaults`): explicit keys win over merged ones. */
  private merge(
    entries: Map<string, TreeNode>,
    merged: Set<string>,
    value: YamlNode | null,
    line: number,
    depth: number,
  ): void {
    const sources = value && isSeq(value) ? (value.items as YamlNode[]) : [value];
    for (const source of sources) {
      const mergedMap = source ? this.node(source, line, depth + 1) : null;
      if (mergedMap?.kind !== "map") continue;
      for (const [key, node] of mergedMap.entries) {
        if (entries.has(key)) continue;
        entries.set(key, node);
        merged.add(key);
      }
    }
  }
}

function keyText(key: YamlNode | null): string {
  if (key === null) return "";
  if (isScalar(key)) return key.value === null ? "" : String(key.value);
  return String(key);
}

function scalarValue(value: unknown): Scalar {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `<binary ${value.length} bytes>`;
  return String(value);
}

// CloudFormation short-form intrinsics, see the AWS CloudFormation intrinsic function reference.
const BARE_INTRINSICS = new Set(["Ref", "Condition"]);

function cloudFormationTag(tag: string, value: TreeNode, line: number): TreeNode {
  const name = tag.slice(1);
  const key = BARE_INTRINSICS.has(name) ? name : `Fn::${name}`;
  let argument = value;
  // `!GetAtt Resource.Attribute` is the short form of `Fn::GetAtt: [Resource, Attribute]`.
  if (name === "GetAtt" && value.kind === "scalar" && typeof value.value === "string") {
    const dot = value.value.indexOf(".");
    if (dot > 0) {
      argument = listNode(line, [
        scalarNode(line, value.value.slice(0, dot)),
        scalarNode(line, value.value.slice(dot + 1)),
      ]);
    }
  }
  return mapNode(line, new Map([[key, argument]]));
}

function stripBom(source: string): string {
  return source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}
