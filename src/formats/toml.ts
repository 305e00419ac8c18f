import { parse, TomlDate } from "smol-toml";
import { MAX_DEPTH } from "./limits.js";
import { listNode, mapNode, scalarNode, type TreeNode } from "./tree.js";
import type { ParseResult } from "./types.js";

/**
 * TOML (Traefik's file provider) to a positioned tree. smol-toml parses strictly but gives no
 * positions, so a light scan of headers and `key =` lines recovers the line of every key path.
 */
export function parseToml(source: string): ParseResult {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  let data: Record<string, unknown>;
  try {
    data = parse(text) as Record<string, unknown>;
  } catch (error) {
    const line =
      typeof (error as { line?: unknown }).line === "number" ? (error as { line: number }).line : 1;
    const message = String((error as Error).message ?? error)
      .split("\n")[0]!
      .replace(/^Invalid TOML document: /, "");
    return { ok: false, problems: [{ code: "parse.failed", line, message }] };
  }
  const lines = keyLines(text);
  try {
    return { ok: true, tree: build(data, [], 1, lines, 0), warnings: [] };
  } catch (error) {
    if (error instanceof RangeError) {
      return {
        ok: false,
        problems: [
          { code: "parse.too-deep", line: 1, message: `nesting deeper than ${MAX_DEPTH} levels` },
        ],
      };
    }
    throw error;
  }
}

function build(
  value: unknown,
  path: string[],
  line: number,
  lines: Map<string, number>,
  depth: number,
): TreeNode {
  if (depth > MAX_DEPTH) throw new RangeError("too deep");
  if (value instanceof TomlDate || value instanceof Date)
    return scalarNode(line, value.toISOString());
  if (Array.isArray(value)) {
    return listNode(
      line,
      value.map((item, index) => {
        const itemPath = [...path, String(index)];
        return build(item, itemPath, lines.get(pathKey(itemPath)) ?? line, lines, depth + 1);
      }),
    );
  }
  if (value !== null && typeof value === "object") {
    const entries = new Map<string, TreeNode>();
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, key];
      entries.set(
        key,
        build(child, childPath, lines.get(pathKey(childPath)) ?? line, lines, depth + 1),
      );
    }
    return mapNode(line, entries);
  }
  if (typeof value === "bigint") return scalarNode(line, Number(value));
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    return scalarNode(line, value);
  return scalarNode(line, null);
}

const pathKey = (path: string[]): string => path.join("\u0000");

/**
 * Lines of table headers and keys, by full key path. Arrays of tables (`[[a.b]]`) are numbered
 * in order of appearance. Keys inside multi-line inline values take the line of their parent.
 */
function keyLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const arrayCounts = new Map<string, number>();
  let table: string[] = [];
  let openBrackets = 0; // inside a multi-line array or string we skip key detection
  let inMultilineString: string | null = null;
  text.split(/\r?\n/).forEach((raw, index) => {
    const lineNo = index + 1;
    if (inMultilineString) {
      if (raw.includes(inMultilineString)) inMultilineString = null;
      return;
    }
    const line = raw.trim();
    if (openBrackets > 0) {
      openBrackets += bracketBalance(line);
      return;
    }
    if (line === "" || line.startsWith("#")) return;
    const arrayHeader = /^\[\[\s*(.+?)\s*\]\]/.exec(line);
    const tableHeader = arrayHeader ? null : /^\[\s*(.+?)\s*\]/.exec(line);
    if (arrayHeader) {
      const base = splitKey(arrayHeader[1]!);
      const arrayPath = [...resolveArrays(base.slice(0, -1), arrayCounts), base[base.length - 1]!];
      const index = arrayCounts.get(pathKey(arrayPath)) ?? 0;
      arrayCounts.set(pathKey(arrayPath), index + 1);
      table = [...arrayPath, String(index)];
      if (!lines.has(pathKey(table.slice(0, -1)))) lines.set(pathKey(table.slice(0, -1)), lineNo);
      lines.set(pathKey(table), lineNo);
      return;
    }
    if (tableHeader) {
      table = resolveArrays(splitKey(tableHeader[1]!), arrayCounts);
      for (let i = 1; i <= table.length; i++)
        if (!lines.has(pathKey(table.slice(0, i)))) lines.set(pathKey(table.slice(0, i)), lineNo);
      return;
    }
    const assignment =
      /^((?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'))*)\s*=\s*(.*)$/.exec(
        line,
      );
    if (!assignment) return;
    const keyPath = [...table, ...splitKey(assignment[1]!)];
    for (let i = table.length + 1; i <= keyPath.length; i++) {
      if (!lines.has(pathKey(keyPath.slice(0, i)))) lines.set(pathKey(keyPath.slice(0, i)), lineNo);
    }
    const rest = assignment[2]!;
    const triple = /^("""|''')/.exec(rest);
    if (triple && rest.indexOf(triple[1]!, 3) < 0) inMultilineString = triple[1]!;
    else openBrackets = Math.max(0, bracketBalance(rest));
  });
  return lines;
}

/** Array-of-tables segments resolve to their latest element, as TOML does for `[a.b]` after `[[a]]`. */
function resolveArrays(path: string[], arrayCounts: Map<string, number>): string[] {
  const out: string[] = [];
  for (const segment of path) {
    out.push(segment);
    const count = arrayCounts.get(pathKey(out));
    if (count !== undefined) out.push(String(count - 1));
  }
  return out;
}

function splitKey(key: string): string[] {
  const parts: string[] = [];
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)/gy;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(key)) !== null && match[0] !== "") {
    parts.push(match[1] !== undefined ? JSON.parse(`"${match[1]}"`) : (match[2] ?? match[3]!));
  }
  return parts;
}

function bracketBalance(text: string): number {
  let balance = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#") break;
    else if (c === "[" || c === "{") balance++;
    else if (c === "]" || c === "}") balance--;
  }
  return balance;
}
