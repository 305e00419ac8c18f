// Tokenizer for HCL2 native syntax, after HashiCorp's specification and scanner
// (https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md, hclsyntax/scan_tokens.rl):
// - identifiers are (ID_Start | "_") (ID_Continue | "-")*, so `count.index-1` ends in the name `index-1`;
// - numbers are digits with an optional fraction and exponent (no sign: `-` is a unary operator);
// - `#` and `//` comments run to the end of the line (the newline stays a token), `/* */` may span lines;
// - quoted strings and heredocs are templates: `${` and `%{` open code that `}` (or `~}`) closes,
//   `$${` and `%%{` are literal; quoted strings decode `\n \r \t \" \\ \uNNNN \UNNNNNNNN`.
// Template literal tokens carry decoded text but keep `$${` / `%%{` escaped, as Terraform's JSON syntax does.

export type HclTokenType =
  | "newline"
  | "eof"
  | "ident"
  | "number"
  | "op"
  /** `"` opening a quoted template. */
  | "oquote"
  | "cquote"
  /** `<<MARKER` / `<<-MARKER` (flag: flush, i.e. indented); text is the marker. */
  | "oheredoc"
  | "cheredoc"
  /** Literal template text (decoded). In heredocs one token per line, ending with its "\n". */
  | "lit"
  /** `${` (flag: `${~`). */
  | "interp"
  /** `%{` (flag: `%{~`). */
  | "control"
  /** `}` ending an interpolation or directive (flag: `~}`). */
  | "tend";

export interface HclToken {
  readonly type: HclTokenType;
  /** Identifier name, operator, number source, decoded literal text or heredoc marker; "" otherwise. */
  readonly text: string;
  readonly line: number;
  /** Strip marker `~` (interp, control, tend) or flush heredoc `<<-` (oheredoc). */
  readonly flag: boolean;
}

export type LexResult =
  | { readonly ok: true; readonly tokens: HclToken[] }
  | { readonly ok: false; readonly message: string; readonly line: number };

type Frame =
  /** Code; `interpLine` > 0 when the frame is an interpolation or directive opened on that line. */
  | { readonly kind: "code"; braces: number; readonly interpLine: number }
  | { readonly kind: "quoted"; readonly line: number }
  | {
      readonly kind: "heredoc";
      readonly marker: string;
      readonly line: number;
      atLineStart: boolean;
    }
  /** A bare template running to the end of the text (canonicalizing template strings). */
  | { readonly kind: "raw" };

// Two-character operators; `::` separates provider function namespaces (`provider::aws::arn_parse`).
const OPERATORS = new Set(["::", "==", "!=", "<=", ">=", "&&", "||", "=>"]);
const SINGLE_OPERATORS = new Set("{}[](),.=:?!+-*/%<>");

/** The multi-character operator at `pos` (longest first: `...` before `.`), if any. */
function operatorAt(source: string, pos: number): string | undefined {
  if (source.startsWith("...", pos)) return "...";
  const two = source.slice(pos, pos + 2);
  return OPERATORS.has(two) ? two : undefined;
}

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };

const isAsciiIdStart = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isAsciiIdContinue = (c: number): boolean =>
  isAsciiIdStart(c) || (c >= 48 && c <= 57) || c === 45;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const ID_START = /\p{ID_Start}/u;
const ID_CONTINUE = /\p{ID_Continue}/u;

/**
 * Tokenizes HCL source (LF line ends; the caller replaces CRLF). With `template: true` the whole text is one
 * template body without quotes or backslash escapes, closed by a `cheredoc` token at the end.
 */
export function tokenizeHcl(source: string, options: { template?: boolean } = {}): LexResult {
  const tokens: HclToken[] = [];
  const stack: Frame[] = options.template
    ? [{ kind: "raw" }]
    : [{ kind: "code", braces: 0, interpLine: 0 }];
  const length = source.length;
  let pos = 0;
  let line = 1;

  const push = (type: HclTokenType, text: string, tokenLine: number, flag = false): void => {
    tokens.push({ type, text, line: tokenLine, flag });
  };
  const fail = (message: string, at: number): LexResult => ({ ok: false, message, line: at });

  /** Opens `${` / `%{` at `pos` (already checked); returns after the optional `~`. */
  const openSequence = (): void => {
    const type = source.charCodeAt(pos) === 36 ? "interp" : "control";
    pos += 2;
    const strip = source.charCodeAt(pos) === 126; // ~
    if (strip) pos++;
    push(type, "", line, strip);
    stack.push({ kind: "code", braces: 0, interpLine: line });
  };

  for (;;) {
    const frame = stack[stack.length - 1]!;
    if (frame.kind === "code") {
      if (pos >= length) {
        if (frame.interpLine > 0)
          return fail("unterminated template interpolation", frame.interpLine);
        push("eof", "", line);
        return { ok: true, tokens };
      }
      const c = source.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 13) {
        pos++;
      } else if (c === 10) {
        push("newline", "", line);
        pos++;
        line++;
      } else if (c === 35 || (c === 47 && source.charCodeAt(pos + 1) === 47)) {
        const end = source.indexOf("\n", pos);
        pos = end < 0 ? length : end;
      } else if (c === 47 && source.charCodeAt(pos + 1) === 42) {
        const end = source.indexOf("*/", pos + 2);
        if (end < 0) return fail("unterminated /* comment", line);
        for (let i = pos; i < end; i++) if (source.charCodeAt(i) === 10) line++;
        pos = end + 2;
      } else if (isDigit(c)) {
        const start = pos;
        while (pos < length && isDigit(source.charCodeAt(pos))) pos++;
        if (source.charCodeAt(pos) === 46 && isDigit(source.charCodeAt(pos + 1))) {
          pos++;
          while (pos < length && isDigit(source.charCodeAt(pos))) pos++;
        }
        const e = source.charCodeAt(pos);
        if (e === 101 || e === 69) {
          let p = pos + 1;
          const sign = source.charCodeAt(p);
          if (sign === 43 || sign === 45) p++;
          if (isDigit(source.charCodeAt(p))) {
            pos = p;
            while (pos < length && isDigit(source.charCodeAt(pos))) pos++;
          }
        }
        push("number", source.slice(start, pos), line);
      } else if (isAsciiIdStart(c) || (c > 127 && isUnicodeIdStart(source, pos))) {
        const start = pos;
        pos += source.codePointAt(pos)! > 0xffff ? 2 : 1;
        while (pos < length) {
          const d = source.charCodeAt(pos);
          if (isAsciiIdContinue(d)) pos++;
          else if (d > 127 && isUnicodeIdContinue(source, pos))
            pos += source.codePointAt(pos)! > 0xffff ? 2 : 1;
          else break;
        }
        push("ident", source.slice(start, pos), line);
      } else if (c === 34) {
        push("oquote", "", line);
        pos++;
        stack.push({ kind: "quoted", line });
      } else if (c === 60 && source.charCodeAt(pos + 1) === 60) {
        // Heredoc: `<<` or `<<-`, an identifier, then the end of the line.
        let p = pos + 2;
        const flush = source.charCodeAt(p) === 45;
        if (flush) p++;
        const start = p;
        while (p < length && isAsciiIdContinue(source.charCodeAt(p))) p++;
        const marker = source.slice(start, p);
        if (marker === "" || !isAsciiIdStart(marker.charCodeAt(0)))
          return fail("invalid heredoc: expected a marker after <<", line);
        if (p < length && source.charCodeAt(p) !== 10)
          return fail("invalid heredoc: the marker must end the line", line);
        push("oheredoc", marker, line, flush);
        stack.push({ kind: "heredoc", marker, line, atLineStart: true });
        pos = p + 1;
        line++;
      } else if (c === 123) {
        frame.braces++;
        push("op", "{", line);
        pos++;
      } else if (c === 125) {
        pos++;
        if (frame.braces > 0) {
          frame.braces--;
          push("op", "}", line);
        } else if (frame.interpLine > 0) {
          push("tend", "", line);
          stack.pop();
        } else {
          push("op", "}", line);
        }
      } else if (
        c === 126 &&
        source.charCodeAt(pos + 1) === 125 &&
        frame.braces === 0 &&
        frame.interpLine > 0
      ) {
        pos += 2;
        push("tend", "", line, true);
        stack.pop();
      } else {
        const op = operatorAt(source, pos);
        if (op) {
          push("op", op, line);
          pos += op.length;
        } else if (SINGLE_OPERATORS.has(source[pos]!)) {
          push("op", source[pos]!, line);
          pos++;
        } else {
          const shown = String.fromCodePoint(source.codePointAt(pos)!);
          return fail(`unexpected character ${JSON.stringify(shown)}`, line);
        }
      }
      continue;
    }

    if (frame.kind === "quoted") {
      let text = "";
      let chunk = pos;
      const startLine = line;
      for (;;) {
        if (pos >= length) return fail("unterminated string", frame.line);
        const c = source.charCodeAt(pos);
        if (c === 34 || c === 10) break;
        if ((c === 36 || c === 37) && source.charCodeAt(pos + 1) === 123) break;
        if (
          (c === 36 || c === 37) &&
          source.charCodeAt(pos + 1) === c &&
          source.charCodeAt(pos + 2) === 123
        ) {
          pos += 3; // `$${` / `%%{` stay escaped
          continue;
        }
        if (c === 92) {
          text += source.slice(chunk, pos);
          const escape = decodeEscape(source, pos);
          if (escape === undefined) {
            return fail(
              `invalid escape sequence ${JSON.stringify(source.slice(pos, pos + 2))}`,
              line,
            );
          }
          text += escape.text;
          pos = escape.end;
          chunk = pos;
          continue;
        }
        pos++;
      }
      text += source.slice(chunk, pos);
      if (text !== "") push("lit", text, startLine);
      const c = source.charCodeAt(pos);
      if (c === 10) return fail("unterminated string", frame.line);
      if (c === 34) {
        push("cquote", "", line);
        pos++;
        stack.pop();
      } else {
        openSequence();
      }
      continue;
    }

    // Heredoc or raw template: literal text one line at a time, no backslash escapes.
    if (frame.kind === "heredoc" && frame.atLineStart) {
      const closeEnd = closingMarkerEnd(source, pos, frame.marker);
      if (closeEnd >= 0) {
        push("cheredoc", "", line);
        pos = closeEnd;
        stack.pop();
        continue;
      }
    }
    if (pos >= length) {
      if (frame.kind === "heredoc")
        return fail(`unterminated heredoc (no closing ${frame.marker})`, frame.line);
      push("cheredoc", "", line);
      push("eof", "", line);
      return { ok: true, tokens };
    }
    const start = pos;
    for (;;) {
      if (pos >= length) break;
      const c = source.charCodeAt(pos);
      if (c === 10) {
        pos++;
        break;
      }
      if ((c === 36 || c === 37) && source.charCodeAt(pos + 1) === 123) break;
      if (
        (c === 36 || c === 37) &&
        source.charCodeAt(pos + 1) === c &&
        source.charCodeAt(pos + 2) === 123
      )
        pos += 3;
      else pos++;
    }
    if (pos > start) push("lit", source.slice(start, pos), line);
    const endedLine = source.charCodeAt(pos - 1) === 10 && pos > start;
    if (endedLine) line++;
    if (frame.kind === "heredoc") frame.atLineStart = endedLine;
    if (!endedLine && pos < length) openSequence();
  }
}

/** The position of the newline ending a heredoc's closing line (`  MARKER  `); -1 when it is not one. */
function closingMarkerEnd(source: string, pos: number, marker: string): number {
  let p = pos;
  while (source.charCodeAt(p) === 32 || source.charCodeAt(p) === 9) p++;
  if (!source.startsWith(marker, p)) return -1;
  p += marker.length;
  while (source.charCodeAt(p) === 32 || source.charCodeAt(p) === 9) p++;
  // hclsyntax needs the newline: a file ending right after the marker is an unterminated heredoc.
  return source.charCodeAt(p) === 10 ? p : -1;
}

function decodeEscape(
  source: string,
  pos: number,
): { readonly text: string; readonly end: number } | undefined {
  const kind = source[pos + 1];
  if (kind === undefined) return undefined;
  const simple = ESCAPES[kind];
  if (simple !== undefined) return { text: simple, end: pos + 2 };
  const digits = kind === "u" ? 4 : kind === "U" ? 8 : 0;
  if (digits === 0) return undefined;
  const hex = source.slice(pos + 2, pos + 2 + digits);
  if (!new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(hex)) return undefined;
  const code = parseInt(hex, 16);
  if (code > 0x10ffff) return undefined;
  return { text: String.fromCodePoint(code), end: pos + 2 + digits };
}

function isUnicodeIdStart(source: string, pos: number): boolean {
  return ID_START.test(String.fromCodePoint(source.codePointAt(pos)!));
}

function isUnicodeIdContinue(source: string, pos: number): boolean {
  return ID_CONTINUE.test(String.fromCodePoint(source.codePointAt(pos)!));
}
