import { MAX_DEPTH } from "./limits.js";
import { listNode, mapNode, scalarNode, type TreeNode } from "./tree.js";
import type { ParseResult, Problem } from "./types.js";

/**
 * Strict JSON (RFC 8259) to a positioned tree. JSON.parse gives no lines and silently keeps the
 * last of duplicate keys, so we parse ourselves: duplicates become warnings, lines are real.
 */
export function parseJson(source: string): ParseResult {
  const parser = new JsonParser(source.charCodeAt(0) === 0xfeff ? source.slice(1) : source);
  try {
    parser.skipSpace();
    if (parser.atEnd()) return { ok: true, tree: mapNode(1), warnings: [] };
    const tree = parser.value(parser.line, 0);
    parser.skipSpace();
    if (!parser.atEnd()) parser.fail("unexpected text after the JSON value");
    return { ok: true, tree, warnings: parser.warnings };
  } catch (error) {
    if (error instanceof JsonError) return { ok: false, problems: [error.problem] };
    throw error;
  }
}

class JsonError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class JsonParser {
  pos = 0;
  line = 1;
  readonly warnings: Problem[] = [];

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  fail(message: string, code: Problem["code"] = "parse.failed"): never {
    throw new JsonError({ code, line: this.line, message });
  }

  skipSpace(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === 10) this.line++;
      else if (c !== 32 && c !== 9 && c !== 13) return;
      this.pos++;
    }
  }

  value(line: number, depth: number): TreeNode {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`, "parse.too-deep");
    const c = this.text[this.pos];
    switch (c) {
      case "{":
        return this.object(line, depth);
      case "[":
        return this.array(line, depth);
      case '"':
        return scalarNode(line, this.string());
      case "t":
        return this.word("true", true, line);
      case "f":
        return this.word("false", false, line);
      case "n":
        return this.word("null", null, line);
      default: {
        NUMBER.lastIndex = this.pos;
        const match = NUMBER.exec(this.text);
        if (!match)
          this.fail(
            c === undefined
              ? "unexpected end of input"
              : `unexpected character ${JSON.stringify(c)}`,
          );
        this.pos += match[0].length;
        return scalarNode(line, Number(match[0]));
      }
    }
  }

  private word(word: string, value: boolean | null, line: number): TreeNode {
    if (!this.text.startsWith(word, this.pos)) this.fail(`unexpected token, expected ${word}`);
    this.pos += word.length;
    return scalarNode(line, value);
  }

  private object(line: number, depth: number): TreeNode {
    this.pos++;
    const entries = new Map<string, TreeNode>();
    this.skipSpace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return mapNode(line, entries);
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail("expected a quoted key");
      const keyLine = this.line;
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ":") this.fail(`expected ":" after key "${key}"`);
      this.pos++;
      this.skipSpace();
      if (entries.has(key)) {
        this.warnings.push({
          code: "parse.duplicate-key",
          line: keyLine,
          message: `duplicate key "${key}": tools disagree on which value wins (this one is used)`,
        });
        entries.delete(key);
      }
      entries.set(key, this.value(keyLine, depth + 1));
      this.skipSpace();
      const next = this.text[this.pos++];
      if (next === "}") return mapNode(line, entries);
      if (next !== ",") this.fail(`expected "," or "}" in object`);
    }
  }

  private array(line: number, depth: number): TreeNode {
    this.pos++;
    const items: TreeNode[] = [];
    this.skipSpace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return listNode(line, items);
    }
    for (;;) {
      this.skipSpace();
      items.push(this.value(this.line, depth + 1));
      this.skipSpace();
      const next = this.text[this.pos++];
      if (next === "]") return listNode(line, items);
      if (next !== ",") this.fail(`expected "," or "]" in array`);
    }
  }

  private string(): string {
    const text = this.text;
    let out = "";
    let start = ++this.pos;
    for (;;) {
      if (this.pos >= text.length) this.fail("unterminated string");
      const c = text.charCodeAt(this.pos);
      if (c === 34) {
        out += text.slice(start, this.pos++);
        return out;
      }
      if (c === 10) this.fail("line break inside a string");
      if (c === 92) {
        out += text.slice(start, this.pos);
        const escape = text[this.pos + 1];
        const simple: Record<string, string> = {
          '"': '"',
          "\\": "\\",
          "/": "/",
          b: "\b",
          f: "\f",
          n: "\n",
          r: "\r",
          t: "\t",
        };
        if (escape !== undefined && escape in simple) {
          out += simple[escape];
          this.pos += 2;
        } else if (
          escape === "u" &&
          /^[0-9a-fA-F]{4}$/.test(text.slice(this.pos + 2, this.pos + 6))
        ) {
          out += String.fromCharCode(parseInt(text.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
        } else {
          this.fail("invalid escape in string");
        }
        start = this.pos;
        continue;
      }
      this.pos++;
    }
  }
}
