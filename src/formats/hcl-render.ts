// Canonical source text of HCL expressions, so that reformatting a file does not change its values.
// Canonical form: comments and newlines dropped, tokens separated by one space except none after `(`, `[`, `{`,
// `.`, `::` and unary `-`/`!`, none before `)`, `]`, `}`, `,`, `.`, `::`, `...`, a call's `(` or an index's `[`,
// one space after `,`; in object constructors a newline between items becomes `, `; trailing commas are dropped;
// strings inside expressions are re-quoted from their decoded text (heredocs become quoted strings).
// So `foo( a ,b )` → `foo(a, b)`, `{\n a = 1\n b = var.x[ 0 ]\n}` → `{a = 1, b = var.x[0]}`.
import type { HclToken } from "./hcl-lexer.js";
import type { Template } from "./hcl-expression.js";

export interface RenderSource {
  readonly tokens: readonly HclToken[];
  readonly templates: ReadonlyMap<number, Template>;
}

/** What the previously written token was, for spacing. */
type Previous =
  | "none"
  | "callee"
  | "operand"
  | "close"
  | "open"
  | "glue"
  | "unary"
  | "operator"
  | "comma"
  | "keyword";

// `for`, `in` and `if` are keywords of for-expressions and directives unless they follow `.`.
const KEYWORDS = new Set(["for", "in", "if"]);

/** Canonical text of tokens [start, end). */
export function renderExpression(source: RenderSource, start: number, end: number): string {
  const { tokens } = source;
  let out = "";
  let previous = "none" as Previous; // `as`: written by closures, so not narrowed here
  const objectBrackets: boolean[] = []; // per open bracket: is it an object constructor (newline = separator)?

  const write = (text: string, kind: Previous, spaced: boolean): void => {
    out += spaced && previous !== "none" ? ` ${text}` : text;
    previous = kind;
  };

  for (let i = start; i < end; i++) {
    const token = tokens[i]!;
    switch (token.type) {
      case "newline": {
        // A run of newlines is one separator (skipped at once, so blank lines cost linear time).
        while (i + 1 < end && tokens[i + 1]!.type === "newline") i++;
        const inObject = objectBrackets[objectBrackets.length - 1] === true;
        if (
          inObject &&
          previous !== "open" &&
          previous !== "comma" &&
          !closerFollows(tokens, i + 1, end)
        ) {
          write(",", "comma", false);
        }
        break;
      }
      case "ident":
        if (previous !== "glue" && KEYWORDS.has(token.text))
          write(token.text, "keyword", spacedAfter(previous));
        else write(token.text, "callee", spacedAfter(previous));
        break;
      case "number":
        write(token.text, "operand", spacedAfter(previous));
        break;
      case "oquote":
      case "oheredoc": {
        const template = source.templates.get(i);
        write(template ? quotedTemplate(source, template) : '""', "operand", spacedAfter(previous));
        i = skipTemplate(tokens, i);
        break;
      }
      case "op":
        i = writeOperator(token.text, i);
        break;
      default:
        break;
    }
  }
  return out;

  function writeOperator(text: string, i: number): number {
    switch (text) {
      case "(":
        write(text, "open", previous !== "callee" && spacedAfter(previous));
        objectBrackets.push(false);
        return i;
      case "[":
        write(
          text,
          "open",
          previous !== "callee" &&
            previous !== "operand" &&
            previous !== "close" &&
            spacedAfter(previous),
        );
        objectBrackets.push(false);
        return i;
      case "{":
        write(text, "open", spacedAfter(previous));
        objectBrackets.push(!isForNext(tokens, i + 1, end));
        return i;
      case ")":
      case "]":
      case "}":
        write(text, "close", false);
        objectBrackets.pop();
        return i;
      case ",":
        if (!closerFollows(tokens, i + 1, end)) write(text, "comma", false);
        return i;
      case ".":
      case "::":
        write(text, "glue", false);
        return i;
      case "...":
        write(text, "close", false);
        return i;
      case "*":
        // `.*` and `[*]` are splats, not multiplication.
        if (previous === "glue" || (previous === "open" && out.endsWith("[")))
          write(text, "close", false);
        else write(text, "operator", spacedAfter(previous));
        return i;
      case "-":
      case "!": {
        const unary =
          text === "!" ||
          !(previous === "callee" || previous === "operand" || previous === "close");
        write(text, unary ? "unary" : "operator", spacedAfter(previous));
        return i;
      }
      default:
        write(text, "operator", spacedAfter(previous));
        return i;
    }
  }
}

/** Canonical template text (no quotes): literal text as decoded, sequences re-rendered, strip markers kept. */
export function templateText(source: RenderSource, template: Template): string {
  return renderTemplate(source, template, (text) => text);
}

function quotedTemplate(source: RenderSource, template: Template): string {
  return `"${renderTemplate(source, template, escapeQuoted)}"`;
}

function renderTemplate(
  source: RenderSource,
  template: Template,
  literal: (text: string) => string,
): string {
  let out = "";
  for (const part of template.parts) {
    switch (part.kind) {
      case "lit":
        out += literal(part.text);
        break;
      case "interp":
        out += `\${${part.stripLeft ? "~" : ""}${renderExpression(source, part.expr.start, part.expr.end)}${part.stripRight ? "~" : ""}}`;
        break;
      case "directive":
        out += `%{${part.stripLeft ? "~" : ""}${renderExpression(source, part.start, part.end)}${part.stripRight ? "~" : ""}}`;
        break;
    }
  }
  return out;
}

const QUOTED_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  '"': '\\"',
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

// Backslash, quote and the C0 control characters.
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const NEEDS_ESCAPE = /[\\"\u0000-\u001f]/g;

function escapeQuoted(text: string): string {
  return text.replace(
    NEEDS_ESCAPE,
    (c) => QUOTED_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function spacedAfter(previous: Previous): boolean {
  return previous !== "open" && previous !== "glue" && previous !== "unary";
}

/** Whether the next non-newline token before `end` closes a bracket (or nothing follows). */
function closerFollows(tokens: readonly HclToken[], from: number, end: number): boolean {
  for (let i = from; i < end; i++) {
    const token = tokens[i]!;
    if (token.type === "newline") continue;
    return token.type === "op" && (token.text === ")" || token.text === "]" || token.text === "}");
  }
  return true;
}

function isForNext(tokens: readonly HclToken[], from: number, end: number): boolean {
  for (let i = from; i < end; i++) {
    const token = tokens[i]!;
    if (token.type === "newline") continue;
    return token.type === "ident" && token.text === "for";
  }
  return false;
}

/** Index of the token closing the template opened at `open` (nested templates and sequences included). */
function skipTemplate(tokens: readonly HclToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const type = tokens[i]!.type;
    if (type === "oquote" || type === "oheredoc") depth++;
    else if (type === "cquote" || type === "cheredoc") depth--;
    if (depth === 0) return i;
  }
  return tokens.length - 1;
}
