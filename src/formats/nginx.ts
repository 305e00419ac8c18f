// nginx configuration → positioned tree. Shapes (all nodes carry the line of the directive's name):
// - simple directive `name a b;` → `name`: true (no argument) | number (one plain number) | "a b" (quotes removed);
// - a name repeated in one block → a list of its values in order;
// - block without arguments (`http`, `events`, `server`, ...) → map (repeated → list of maps);
// - block with arguments (`location = /`, `upstream app`, `map $a $b`, `limit_except GET`) → name → map keyed by
//   the arguments joined by one space → map; `if ($a = b)` is keyed by the condition without its parentheses;
// - upstream `server ADDRESS k=v flag;` → `server` → ADDRESS → { k: v, flag: true } (integers become numbers);
//   nginx only allows that form inside `upstream`, so it is read the same way wherever it appears (included fragments);
// - `*_by_lua_block [args] { code }` → one string: the arguments, then the code with each line trimmed.
import { BlockEntries } from "./nginx-entries.js";
import { createNginxLexer, type NginxLexer, type NginxToken } from "./nginx-lexer.js";
import { assertNever } from "../shared/assert-never.js";
import { mapNode, scalarNode, type MapNode, type ScalarNode, type TreeNode } from "./tree.js";
import type { Parser, ParseResult, Problem, ProblemCode } from "./types.js";

type Word = Extract<NginxToken, { kind: "word" }>;

/** How the statements of a block are read: `map`-like bodies are plain tables, where `server` is an ordinary key. */
type BodyKind = "directives" | "table";

/** nginx itself has no limit; ours keeps recursion bounded on hostile input. */
const MAX_DEPTH = 200;

// Blocks whose bodies are tables keyed by their first word (nginx http_map, http_geo, split_clients, types, charset_map).
const TABLE_BLOCKS = new Set(["map", "geo", "split_clients", "types", "charset_map"]);

interface Failure {
  readonly ok: false;
  readonly problem: Problem;
}

const fail = (message: string, line: number, code: ProblemCode = "parse.failed"): Failure => ({
  ok: false,
  problem: { code, message, line },
});

export const parseNginx: Parser = (source) => {
  const text = source.startsWith("\uFEFF") ? source.slice(1) : source;
  const warnings: Problem[] = [];
  const body = parseBody(
    createNginxLexer(text),
    { kind: "directives", depth: 0, openLine: 0 },
    warnings,
  );
  if (!body.ok) return { ok: false, problems: [body.problem] } satisfies ParseResult;
  return { ok: true, tree: body.map, warnings };
};

interface BodyContext {
  readonly kind: BodyKind;
  readonly depth: number;
  /** Line of the block's name; 0 for the file itself. */
  readonly openLine: number;
}

function parseBody(
  lexer: NginxLexer,
  context: BodyContext,
  warnings: Problem[],
): { readonly ok: true; readonly map: MapNode } | Failure {
  const entries = new BlockEntries();
  let words: Word[] = [];
  for (;;) {
    const token = lexer.next();
    switch (token.kind) {
      case "error":
        return fail(token.message, token.line);
      case "word":
        words.push(token);
        break;
      case "semicolon": {
        if (words.length === 0) return fail('unexpected ";"', token.line);
        const added = addDirective(entries, words, context.kind);
        if (added) return added;
        words = [];
        break;
      }
      case "open": {
        if (words.length === 0) return fail('unexpected "{"', token.line);
        const added = addBlock(lexer, entries, words, context, warnings);
        if (added) return added;
        words = [];
        break;
      }
      case "close":
      case "eof": {
        if (words.length > 0)
          return fail(`directive "${words[0]!.text}" is not terminated by ";"`, words[0]!.line);
        if (token.kind === "close" && context.openLine === 0)
          return fail('unexpected "}"', token.line);
        if (token.kind === "eof" && context.openLine !== 0) {
          return fail(
            `unexpected end of file: the block opened on line ${context.openLine} is not closed`,
            context.openLine,
          );
        }
        warnings.push(...entries.warnings);
        return { ok: true, map: entries.build(context.openLine || 1) };
      }
      default:
        return assertNever(token);
    }
  }
}

function addDirective(entries: BlockEntries, words: Word[], kind: BodyKind): Failure | undefined {
  const [name, ...args] = words as [Word, ...Word[]];
  let conflict: string | undefined;
  if (name.text === "server" && kind !== "table") {
    if (args.length === 0) return fail('"server" needs an address', name.line);
    conflict = entries.addKeyed(
      "server",
      render(args[0]!),
      upstreamServer(args.slice(1), name.line),
    );
  } else {
    // A `map`/`geo` key may be quoted, even empty (`"" no-store;`).
    conflict = entries.addPlain(render(name), directiveValue(args, name.line));
  }
  return conflict === undefined ? undefined : fail(conflict, name.line);
}

function addBlock(
  lexer: NginxLexer,
  entries: BlockEntries,
  words: Word[],
  context: BodyContext,
  warnings: Problem[],
): Failure | undefined {
  const [name, ...args] = words as [Word, ...Word[]];
  if (name.text.endsWith("_by_lua_block")) {
    const lua = lexer.luaBody(name.line);
    if (lua.kind === "error") return fail(lua.message, lua.line);
    const text = [...args.map(render), lua.text].join(" ");
    const conflict = entries.addPlain(name.text, scalarNode(name.line, text));
    return conflict === undefined ? undefined : fail(conflict, name.line);
  }
  if (context.depth + 1 > MAX_DEPTH)
    return fail(`blocks are nested deeper than ${MAX_DEPTH}`, name.line, "parse.too-deep");
  const kind: BodyKind = TABLE_BLOCKS.has(name.text) ? "table" : "directives";
  const body = parseBody(lexer, { kind, depth: context.depth + 1, openLine: name.line }, warnings);
  if (!body.ok) return body;
  const conflict =
    args.length === 0
      ? entries.addPlain(name.text, body.map)
      : entries.addKeyed(name.text, blockKey(name.text, args), body.map);
  return conflict === undefined ? undefined : fail(conflict, name.line);
}

/** `if ($a = "")` → `$a = ""`; other blocks: arguments joined by one space. */
function blockKey(name: string, args: Word[]): string {
  const joined = args.map(render).join(" ");
  // `location =/health` and `location = /health` are the same location (a modifier may be glued on).
  if (name === "location" && args.length === 1) {
    const glued = /^(=|~\*|~|\^~)(?=[^=~*^])(.+)$/.exec(joined);
    if (glued) return `${glued[1]} ${glued[2]}`;
  }
  if (name !== "if") return joined;
  return joined.replace(/^\(\s*/, "").replace(/\s*\)$/, "");
}

function directiveValue(args: Word[], line: number): ScalarNode {
  if (args.length === 0) return scalarNode(line, true);
  if (args.length === 1 && isPlainNumber(args[0]!.text))
    return scalarNode(line, Number(args[0]!.text));
  return scalarNode(line, args.map(render).join(" "));
}

/** ngx_http_upstream_module `server` parameters: `k=v` (bare integers → numbers) and flags (`backup`, `down`, `resolve`). */
function upstreamServer(params: Word[], line: number): MapNode {
  const entries = new Map<string, TreeNode>();
  for (const param of params) {
    const eq = param.text.indexOf("=");
    if (eq <= 0) {
      entries.set(param.text, scalarNode(line, true));
      continue;
    }
    const value = param.text.slice(eq + 1);
    entries.set(
      param.text.slice(0, eq),
      scalarNode(line, /^(0|[1-9]\d{0,14})$/.test(value) ? Number(value) : value),
    );
  }
  return mapNode(line, entries);
}

/** An integer or decimal without sign noise or leading zeros (`0755` stays text), small enough to be exact. */
function isPlainNumber(text: string): boolean {
  return /^-?(0|[1-9]\d{0,14})(\.\d+)?$/.test(text);
}

/** A word as written without its quotes; an empty quoted string stays visible as `""`. */
function render(word: Word): string {
  return word.quoted && word.text === "" ? '""' : word.text;
}
