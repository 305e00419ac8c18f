// Recursive-descent parser for HCL2 expressions and templates over tokens from hcl-lexer.ts, after HashiCorp's
// native syntax specification (https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md): precedence (low → high) `? :`, `||`, `&&`, `== !=`, `< > <= >=`, `+ -`, `* / %`, unary `- !`,
// then postfix `.attr`, `.0`, `[index]`, `.*`, `[*]`. Newlines end an expression except inside `( )`, `[ ]`,
// for-expressions and template sequences; inside `{ }` object constructors they separate items.
// Errors are values: the first problem is kept and the cursor jumps to end of file, so every loop unwinds at once.
import type { HclToken } from "./hcl-lexer.js";
import type { Scalar } from "./tree.js";
import type { Problem, ProblemCode } from "./types.js";

/**
 * Nesting deeper than this (blocks, brackets, calls, templates, unary chains) is refused as parse.too-deep:
 * real configurations stay below 20 levels, and 500 levels of about 8 frames each stay well inside Node's stack.
 */
export const MAX_HCL_DEPTH = 500;

/** An expression and the token range [start, end) it was parsed from. */
export type Expr =
  | (ExprRange & { readonly kind: "literal"; readonly value: Scalar })
  | (ExprRange & { readonly kind: "tuple"; readonly items: Expr[] })
  | (ExprRange & { readonly kind: "object"; readonly items: ObjectItem[] })
  | (ExprRange & { readonly kind: "template"; readonly template: Template })
  /** References, calls, operators, conditionals, for-expressions, splats: kept as canonical source text. */
  | (ExprRange & { readonly kind: "other" });

export interface ExprRange {
  readonly start: number;
  readonly end: number;
  /** Line of the first token. */
  readonly line: number;
}

export interface ObjectItem {
  readonly key: Expr;
  readonly value: Expr;
}

export type TemplatePart =
  | { readonly kind: "lit"; text: string }
  | {
      readonly kind: "interp";
      readonly expr: Expr;
      readonly stripLeft: boolean;
      readonly stripRight: boolean;
    }
  /** `%{ if c }`, `%{ else }`, `%{ endfor }`...: tokens [start, end) between `%{` and `}`. */
  | {
      readonly kind: "directive";
      readonly start: number;
      readonly end: number;
      readonly stripLeft: boolean;
      readonly stripRight: boolean;
    };

export interface Template {
  readonly heredoc: boolean;
  readonly parts: TemplatePart[];
}

// Binary operator precedence, higher binds tighter (hclsyntax/operation.go).
const BINARY_PRECEDENCE: Readonly<Record<string, number>> = {
  "||": 1,
  "&&": 2,
  "==": 3,
  "!=": 3,
  "<": 4,
  ">": 4,
  "<=": 4,
  ">=": 4,
  "+": 5,
  "-": 5,
  "*": 6,
  "/": 6,
  "%": 6,
};

export function describeToken(token: HclToken): string {
  switch (token.type) {
    case "newline":
      return "a newline";
    case "eof":
      return "the end of the file";
    case "ident":
    case "op":
      return JSON.stringify(token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text);
    case "number":
      return `number ${token.text}`;
    case "oquote":
    case "oheredoc":
      return "a string";
    case "cquote":
    case "cheredoc":
    case "lit":
      return "string text";
    case "interp":
      return '"${"';
    case "control":
      return '"%{"';
    case "tend":
      return '"}"';
  }
}

export class HclParser {
  pos = 0;
  depth = 0;
  problem: Problem | undefined;
  readonly warnings: Problem[] = [];
  /** Templates by the index of their opening token, for rendering expressions that contain them. */
  readonly templates = new Map<number, Template>();
  /** End (exclusive) of the last consumed token. */
  private lastEnd = 0;
  /** Whether newlines are tokens (true) or skipped (false), innermost last. */
  private readonly newlineModes: boolean[] = [true];

  constructor(readonly tokens: readonly HclToken[]) {}

  // --- cursor ---

  peek(): HclToken {
    if (!this.newlineModes[this.newlineModes.length - 1]) {
      while (this.tokens[this.pos]!.type === "newline") this.pos++;
    }
    return this.tokens[this.pos]!;
  }

  /** The token `offset` places after peek(), skipping newlines where they do not count. */
  lookahead(offset: number): HclToken {
    this.peek();
    const skip = !this.newlineModes[this.newlineModes.length - 1];
    let index = this.pos;
    for (let n = 0; n < offset && index < this.tokens.length - 1; n++) {
      index++;
      while (skip && this.tokens[index]!.type === "newline") index++;
    }
    return this.tokens[index]!;
  }

  next(): HclToken {
    const token = this.peek();
    if (token.type !== "eof") {
      this.pos++;
      this.lastEnd = this.pos;
    }
    return token;
  }

  isOp(token: HclToken, text: string): boolean {
    return token.type === "op" && token.text === text;
  }

  isKeyword(token: HclToken, word: string): boolean {
    return token.type === "ident" && token.text === word;
  }

  /** Consumes the operator or records a problem; true when it was there. */
  expectOp(text: string, context: string): boolean {
    const token = this.peek();
    if (this.isOp(token, text)) {
      this.next();
      return true;
    }
    this.fail(
      `expected ${JSON.stringify(text)} ${context}, found ${describeToken(token)}`,
      token.line,
    );
    return false;
  }

  /** Records the first problem and moves to end of file so that parsing unwinds. */
  fail(message: string, line: number, code: ProblemCode = "parse.failed"): void {
    this.problem ??= { code, message, line };
    this.pos = this.tokens.length - 1;
  }

  /** Enters one nesting level; false (with a problem recorded) past MAX_HCL_DEPTH. */
  enter(line: number): boolean {
    if (this.depth >= MAX_HCL_DEPTH) {
      this.fail(`nesting deeper than ${MAX_HCL_DEPTH} levels`, line, "parse.too-deep");
      return false;
    }
    this.depth++;
    return true;
  }

  leave(): void {
    this.depth--;
  }

  pushNewlines(significant: boolean): void {
    this.newlineModes.push(significant);
  }

  popNewlines(): void {
    this.newlineModes.pop();
  }

  // --- expressions ---

  parseExpression(): Expr {
    const first = this.peek();
    if (!this.enter(first.line)) return this.other(this.pos, first.line);
    const expr = this.parseConditional();
    this.leave();
    return expr;
  }

  private parseConditional(): Expr {
    const start = this.pos;
    const condition = this.parseBinary(1);
    if (!this.isOp(this.peek(), "?")) return condition;
    this.next();
    this.parseExpression();
    this.expectOp(":", "in a conditional expression");
    this.parseExpression();
    return this.other(start, condition.line);
  }

  private parseBinary(minPrecedence: number): Expr {
    const start = this.pos;
    let left = this.parseUnary();
    for (;;) {
      const token = this.peek();
      const precedence = token.type === "op" ? BINARY_PRECEDENCE[token.text] : undefined;
      if (precedence === undefined || precedence < minPrecedence) return left;
      this.next();
      this.parseBinary(precedence + 1);
      left = this.other(start, left.line);
    }
  }

  private parseUnary(): Expr {
    const token = this.peek();
    if (!this.isOp(token, "-") && !this.isOp(token, "!")) return this.parsePostfix();
    if (!this.enter(token.line)) return this.other(this.pos, token.line);
    const start = this.pos;
    this.next();
    this.peek();
    const operandStart = this.pos;
    const operand = this.parseUnary();
    this.leave();
    // hcl2json folds an operator applied directly to a literal (`-1`, `!true`); so do we.
    if (operand.kind === "literal" && operand.end - operandStart === 1) {
      if (token.text === "-" && typeof operand.value === "number")
        return this.literal(start, token.line, -operand.value);
      if (token.text === "!" && typeof operand.value === "boolean")
        return this.literal(start, token.line, !operand.value);
    }
    return this.other(start, token.line);
  }

  private parsePostfix(): Expr {
    const start = this.pos;
    const primary = this.parsePrimary();
    let traversed = false;
    for (;;) {
      const token = this.peek();
      if (this.isOp(token, ".")) {
        this.next();
        const name = this.next();
        if (name.type !== "ident" && name.type !== "number" && !this.isOp(name, "*")) {
          this.fail(
            `expected an attribute name after ".", found ${describeToken(name)}`,
            name.line,
          );
          break;
        }
      } else if (this.isOp(token, "[")) {
        this.next();
        this.pushNewlines(false);
        if (this.isOp(this.peek(), "*")) this.next();
        else this.parseExpression();
        this.expectOp("]", "to close the index");
        this.popNewlines();
      } else {
        break;
      }
      traversed = true;
    }
    return traversed ? this.other(start, primary.line) : primary;
  }

  private parsePrimary(): Expr {
    const token = this.peek();
    const start = this.pos;
    switch (token.type) {
      case "number":
        this.next();
        return this.literal(start, token.line, Number(token.text));
      case "ident": {
        if (token.text === "true" || token.text === "false") {
          this.next();
          return this.literal(start, token.line, token.text === "true");
        }
        if (token.text === "null") {
          this.next();
          return this.literal(start, token.line, null);
        }
        const after = this.lookahead(1);
        if (this.isOp(after, "(") || this.isOp(after, "::")) return this.parseCall();
        this.next();
        return this.other(start, token.line);
      }
      case "oquote":
      case "oheredoc":
        return this.parseTemplate();
      case "op":
        if (token.text === "(") {
          this.next();
          this.pushNewlines(false);
          this.parseExpression();
          this.expectOp(")", "to close the parenthesis");
          this.popNewlines();
          return this.other(start, token.line);
        }
        if (token.text === "[") return this.parseTuple();
        if (token.text === "{") return this.parseObject();
        break;
      default:
        break;
    }
    this.fail(`expected an expression, found ${describeToken(token)}`, token.line);
    return this.other(start, token.line);
  }

  private parseCall(): Expr {
    const start = this.pos;
    const name = this.next();
    let callee = name.text;
    while (this.isOp(this.peek(), "::")) {
      this.next();
      const part = this.next();
      if (part.type !== "ident") {
        this.fail(`expected a name after "::", found ${describeToken(part)}`, part.line);
        return this.other(start, name.line);
      }
      callee += `::${part.text}`;
    }
    this.expectOp("(", `after function name ${callee}`);
    this.pushNewlines(false);
    for (;;) {
      if (this.isOp(this.peek(), ")")) break;
      this.parseExpression();
      if (this.isOp(this.peek(), "...")) this.next();
      if (this.isOp(this.peek(), ",")) {
        this.next();
        continue;
      }
      if (!this.isOp(this.peek(), ")")) {
        const found = this.peek();
        this.fail(
          `expected "," or ")" in the arguments of ${callee}(), found ${describeToken(found)}`,
          found.line,
        );
        break;
      }
    }
    this.expectOp(")", `to close the arguments of ${callee}()`);
    this.popNewlines();
    return this.other(start, name.line);
  }

  private parseTuple(): Expr {
    const start = this.pos;
    const open = this.next();
    this.pushNewlines(false);
    if (this.isKeyword(this.peek(), "for")) {
      this.parseFor("]");
      this.popNewlines();
      return this.other(start, open.line);
    }
    const items: Expr[] = [];
    for (;;) {
      if (this.isOp(this.peek(), "]")) break;
      items.push(this.parseExpression());
      if (this.isOp(this.peek(), ",")) {
        this.next();
        continue;
      }
      if (!this.isOp(this.peek(), "]")) {
        const found = this.peek();
        this.fail(`expected "," or "]" in a list, found ${describeToken(found)}`, found.line);
        break;
      }
    }
    this.expectOp("]", "to close the list");
    this.popNewlines();
    return { kind: "tuple", items, start, end: this.lastEnd, line: open.line };
  }

  private parseObject(): Expr {
    const start = this.pos;
    const open = this.next();
    this.pushNewlines(false);
    const isFor = this.isKeyword(this.peek(), "for");
    if (isFor) this.parseFor("}");
    this.popNewlines();
    if (isFor) return this.other(start, open.line);

    this.pushNewlines(true);
    const items: ObjectItem[] = [];
    for (;;) {
      while (this.peek().type === "newline") this.next();
      if (this.isOp(this.peek(), "}")) break;
      const key = this.parseExpression();
      const separator = this.peek();
      if (!this.isOp(separator, "=") && !this.isOp(separator, ":")) {
        this.fail(
          `expected "=" or ":" after an object key, found ${describeToken(separator)}`,
          separator.line,
        );
        break;
      }
      this.next();
      items.push({ key, value: this.parseExpression() });
      const after = this.peek();
      if (this.isOp(after, ",") || after.type === "newline") {
        this.next();
        continue;
      }
      if (!this.isOp(after, "}")) {
        this.fail(
          `expected a newline, "," or "}" after an object item, found ${describeToken(after)}`,
          after.line,
        );
        break;
      }
    }
    this.expectOp("}", "to close the object");
    this.popNewlines();
    return { kind: "object", items, start, end: this.lastEnd, line: open.line };
  }

  /** `for k, v in coll : value (if cond)` or `for k, v in coll : key => value(...) (if cond)`, then the closer. */
  private parseFor(closer: "]" | "}"): void {
    this.next(); // for
    this.expectName("after for");
    if (this.isOp(this.peek(), ",")) {
      this.next();
      this.expectName("after , in a for expression");
    }
    const inWord = this.peek();
    if (!this.isKeyword(inWord, "in")) {
      this.fail(`expected "in" in a for expression, found ${describeToken(inWord)}`, inWord.line);
      return;
    }
    this.next();
    this.parseExpression();
    this.expectOp(":", "in a for expression");
    this.parseExpression();
    if (closer === "}") {
      this.expectOp("=>", "in an object for expression");
      this.parseExpression();
      if (this.isOp(this.peek(), "...")) this.next();
    }
    if (this.isKeyword(this.peek(), "if")) {
      this.next();
      this.parseExpression();
    }
    this.expectOp(closer, "to close the for expression");
  }

  private expectName(context: string): void {
    const token = this.next();
    if (token.type !== "ident")
      this.fail(`expected a name ${context}, found ${describeToken(token)}`, token.line);
  }

  // --- templates ---

  /** A quoted string or heredoc starting at the current token. */
  parseTemplate(): Expr {
    const start = this.pos;
    const open = this.next();
    const heredoc = open.type === "oheredoc";
    const template = this.parseTemplateBody(heredoc, heredoc ? "cheredoc" : "cquote", open.line);
    if (heredoc && open.flag) flushHeredoc(template.parts);
    this.templates.set(start, template);
    return { kind: "template", template, start, end: this.lastEnd, line: open.line };
  }

  /** Template parts up to and including the closing token (`cheredoc` also closes a bare template). */
  parseTemplateBody(heredoc: boolean, close: "cquote" | "cheredoc", line: number): Template {
    const parts: TemplatePart[] = [];
    if (!this.enter(line)) return { heredoc, parts };
    const open: { readonly word: string; readonly line: number; elseSeen: boolean }[] = [];
    for (;;) {
      const token = this.tokens[this.pos]!;
      if (token.type === "lit") {
        this.next();
        parts.push({ kind: "lit", text: token.text });
      } else if (token.type === "interp") {
        this.next();
        this.pushNewlines(false);
        const expr = this.parseExpression();
        const end = this.peek();
        this.popNewlines();
        if (end.type !== "tend") {
          this.fail(
            `expected "}" to close the interpolation, found ${describeToken(end)}`,
            end.line,
          );
          break;
        }
        this.next();
        parts.push({ kind: "interp", expr, stripLeft: token.flag, stripRight: end.flag });
      } else if (token.type === "control") {
        this.next();
        this.pushNewlines(false);
        const start = this.pos;
        this.parseDirective(open);
        const stop = this.lastEnd;
        const end = this.peek();
        this.popNewlines();
        if (end.type !== "tend") {
          this.fail(
            `expected "}" to close the template directive, found ${describeToken(end)}`,
            end.line,
          );
          break;
        }
        this.next();
        parts.push({
          kind: "directive",
          start,
          end: stop,
          stripLeft: token.flag,
          stripRight: end.flag,
        });
      } else if (token.type === close) {
        this.next();
        const unclosed = open[open.length - 1];
        if (unclosed)
          this.fail(`template directive %{${unclosed.word}} is never closed`, unclosed.line);
        break;
      } else {
        this.fail(`unexpected ${describeToken(token)} in a string`, token.line);
        break;
      }
    }
    this.leave();
    return { heredoc, parts };
  }

  private parseDirective(
    open: { readonly word: string; readonly line: number; elseSeen: boolean }[],
  ): void {
    const word = this.next();
    const top = open[open.length - 1];
    switch (word.type === "ident" ? word.text : "") {
      case "if":
        this.parseExpression();
        open.push({ word: "if", line: word.line, elseSeen: false });
        return;
      case "else":
        if (top?.word !== "if" || top.elseSeen) break;
        top.elseSeen = true;
        return;
      case "endif":
        if (top?.word !== "if") break;
        open.pop();
        return;
      case "for":
        this.expectName("after for");
        if (this.isOp(this.peek(), ",")) {
          this.next();
          this.expectName("after , in a for directive");
        }
        if (!this.isKeyword(this.next(), "in")) {
          this.fail('expected "in" in a %{for} directive', word.line);
          return;
        }
        this.parseExpression();
        open.push({ word: "for", line: word.line, elseSeen: false });
        return;
      case "endfor":
        if (top?.word !== "for") break;
        open.pop();
        return;
      default:
        this.fail(`unknown template directive ${describeToken(word)}`, word.line);
        return;
    }
    this.fail(`unexpected %{${word.text}} in a template`, word.line);
  }

  // --- results ---

  other(start: number, line: number): Expr {
    return { kind: "other", start, end: Math.max(start, this.lastEnd), line };
  }

  private literal(start: number, line: number, value: Scalar): Expr {
    return { kind: "literal", value, start, end: this.lastEnd, line };
  }
}

/**
 * `<<-` heredocs drop the indentation common to their lines, as hclsyntax's flushHeredocTemplateParts does:
 * whitespace-only lines do not count, a line starting with an interpolation counts as unindented.
 */
function flushHeredoc(parts: TemplatePart[]): void {
  let indent = Number.MAX_SAFE_INTEGER;
  let atLineStart = true;
  const adjust: { text: string }[] = [];
  for (const part of parts) {
    if (atLineStart) {
      atLineStart = false;
      if (part.kind === "lit") {
        const lead = leadingSpace(part.text);
        if (lead === part.text.length && part.text.endsWith("\n")) {
          atLineStart = true;
          continue;
        }
        indent = Math.min(indent, lead);
        adjust.push(part);
      } else {
        indent = 0;
      }
    }
    if (part.kind === "lit" && part.text.endsWith("\n")) atLineStart = true;
  }
  if (indent === Number.MAX_SAFE_INTEGER || indent === 0) return;
  for (const part of adjust) part.text = part.text.slice(Math.min(indent, leadingSpace(part.text)));
}

/** Leading whitespace characters of one heredoc line, its final newline included when the line is blank. */
function leadingSpace(text: string): number {
  let n = 0;
  while (n < text.length && /\s/u.test(text[n]!)) n++;
  return n;
}
