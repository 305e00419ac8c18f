// Pull tokenizer for nginx configuration files.
// Follows the rules of ngx_conf_read_token() in nginx's src/core/ngx_conf_file.c:
// - words end at space, tab, CR, LF, ";" or "{"; a "{" right after "$" stays in the word (`${var}`);
//   "}", "#" and quotes inside a word are ordinary characters;
// - a quote opens a string only at the start of a token, and a closing quote must be followed by
//   whitespace, ";", "{" or ")";
// - a backslash keeps the next character in the token whatever it is;
// - "#" at the start of a token comments out the rest of the line.
// Lua bodies of `*_by_lua_block { ... }` are read opaquely, as lua-nginx-module does.

export type NginxToken =
  | {
      readonly kind: "word";
      readonly text: string;
      readonly quoted: boolean;
      readonly line: number;
    }
  | { readonly kind: "semicolon"; readonly line: number }
  | { readonly kind: "open"; readonly line: number }
  | { readonly kind: "close"; readonly line: number }
  | { readonly kind: "eof"; readonly line: number };

export interface LexError {
  readonly kind: "error";
  readonly message: string;
  readonly line: number;
}

export interface NginxLexer {
  next(): NginxToken | LexError;
  /** Reads a Lua body after its "{" up to the matching "}": its lines trimmed, inner blanks collapsed, empty lines dropped. */
  luaBody(openLine: number): { readonly kind: "lua"; readonly text: string } | LexError;
}

const isSpace = (ch: string | undefined): boolean =>
  ch === " " || ch === "\t" || ch === "\r" || ch === "\n";

export function createNginxLexer(source: string): NginxLexer {
  let pos = 0;
  let line = 1;

  function advance(): string {
    const ch = source[pos++]!;
    if (ch === "\n") line++;
    return ch;
  }

  function readQuoted(quote: string, startLine: number): NginxToken | LexError {
    advance(); // opening quote
    const start = pos;
    for (;;) {
      if (pos >= source.length)
        return { kind: "error", message: `unterminated ${quote} string`, line: startLine };
      const ch = advance();
      if (ch === "\\") {
        if (pos < source.length) advance();
        continue;
      }
      if (ch === quote) break;
    }
    const raw = source.slice(start, pos - 1);
    const after = source[pos];
    if (after !== undefined && !isSpace(after) && after !== ";" && after !== "{" && after !== ")") {
      return { kind: "error", message: `unexpected "${after}" after a quoted string`, line };
    }
    return { kind: "word", text: unescape(raw), quoted: true, line: startLine };
  }

  function readWord(startLine: number): NginxToken {
    const start = pos;
    let afterDollar = false;
    while (pos < source.length) {
      const ch = source[pos]!;
      if (ch === "{" && afterDollar) {
        afterDollar = false;
        advance();
        continue;
      }
      if (isSpace(ch) || ch === ";" || ch === "{") break;
      afterDollar = ch === "$";
      advance();
      if (ch === "\\" && pos < source.length) advance();
    }
    return {
      kind: "word",
      text: unescape(source.slice(start, pos)),
      quoted: false,
      line: startLine,
    };
  }

  return {
    next() {
      for (;;) {
        if (pos >= source.length) return { kind: "eof", line };
        const ch = source[pos]!;
        if (isSpace(ch)) {
          advance();
          continue;
        }
        if (ch === "#") {
          while (pos < source.length && source[pos] !== "\n") pos++;
          continue;
        }
        const tokenLine = line;
        if (ch === ";") return (advance(), { kind: "semicolon", line: tokenLine });
        if (ch === "{") return (advance(), { kind: "open", line: tokenLine });
        if (ch === "}") return (advance(), { kind: "close", line: tokenLine });
        if (ch === '"' || ch === "'") return readQuoted(ch, tokenLine);
        return readWord(tokenLine);
      }
    },
    luaBody(openLine) {
      const start = pos;
      const end = skipLua(source, pos);
      if (end < 0) return { kind: "error", message: "unterminated Lua block", line: openLine };
      for (let i = pos; i <= end; i++) if (source[i] === "\n") line++;
      pos = end + 1;
      return { kind: "lua", text: normalizeLines(source.slice(start, end)) };
    },
  };
}

/** Lines are kept (a Lua `--` comment ends at the line break), so reindenting never changes the text. */
function normalizeLines(code: string): string {
  return code
    .split(/\r?\n/)
    .map((line) => line.replace(/[ \t\r]+/g, " ").trim())
    .filter((line) => line !== "")
    .join("\n");
}

/** nginx's unescaping of a finished token: \" \' \\ lose the backslash, \t \r \n become controls, others stay. */
function unescape(raw: string): string {
  if (!raw.includes("\\")) return raw;
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    const next = raw[i + 1];
    if (ch === "\\" && next !== undefined) {
      if (next === '"' || next === "'" || next === "\\") {
        out += next;
        i++;
        continue;
      }
      const control = next === "t" ? "\t" : next === "r" ? "\r" : next === "n" ? "\n" : undefined;
      if (control !== undefined) {
        out += control;
        i++;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

/** Index of the "}" closing a Lua body that starts at `from` (just after "{"), or -1. Skips Lua strings and comments. */
function skipLua(source: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === "-" && source[i + 1] === "-") {
      const level = longBracketLevel(source, i + 2);
      if (level >= 0) {
        i = skipLongBracket(source, i + 2, level);
        if (i < 0) return -1;
      } else {
        while (i < source.length && source[i] !== "\n") i++;
      }
      continue;
    }
    if (ch === '"' || ch === "'") {
      i++;
      while (i < source.length && source[i] !== ch && source[i] !== "\n")
        i += source[i] === "\\" ? 2 : 1;
      i++;
      continue;
    }
    if (ch === "[") {
      const level = longBracketLevel(source, i);
      if (level >= 0) {
        i = skipLongBracket(source, i, level);
        if (i < 0) return -1;
        continue;
      }
    }
    if (ch === "{") depth++;
    if (ch === "}") {
      if (depth === 0) return i;
      depth--;
    }
    i++;
  }
  return -1;
}

/** Level of a Lua long bracket `[==[` starting at `at` (number of "="), or -1 when there is none. */
function longBracketLevel(source: string, at: number): number {
  if (source[at] !== "[") return -1;
  let level = 0;
  while (source[at + 1 + level] === "=") level++;
  return source[at + 1 + level] === "[" ? level : -1;
}

/** Index just after the `]==]` closing a long bracket opened at `at`, or -1. */
function skipLongBracket(source: string, at: number, level: number): number {
  const close = `]${"=".repeat(level)}]`;
  const end = source.indexOf(close, at + level + 2);
  return end < 0 ? -1 : end + close.length;
}
