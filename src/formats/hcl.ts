// HCL2 (Terraform `.tf`, `.tfvars`, `.hcl`) → positioned tree. Shapes (hcl2json's, with real lines):
// - a body is a map; `name = expr` → `name`, on the line of the name;
// - block `type "l1" l2 { }` → type → l1 → l2 → body map, on the line of `type`; blocks with the same type and
//   labels → a list of body maps in order (a block seen once is a plain map);
// - numbers, `true`/`false`/`null`, strings without sequences → scalars (`-1` and `!true` folded, as hcl2json does);
//   `[...]` → list, `{ k = v }` → map, `"${x}"` alone → the same as `x` (HCL's template unwrapping);
// - strings and heredocs with `${`/`%{` → expression scalar of their template text: backslash escapes decoded,
//   `$${`/`%%{` kept escaped (Terraform JSON syntax), sequences in canonical form (hcl-render.ts);
// - any other expression → expression scalar `${<canonical source>}`.
// Duplicate attributes are `parse.duplicate-key`; duplicate keys in an object constructor warn, the last one wins.
import { HclParser, describeToken } from "./hcl-expression.js";
import { tokenizeHcl } from "./hcl-lexer.js";
import { templateText } from "./hcl-render.js";
import { toNode } from "./hcl-values.js";
import { listNode, mapNode, type MapNode, type TreeNode } from "./tree.js";
import { parseFailure, type Parser } from "./types.js";

export const parseHcl: Parser = (source) => {
  const lexed = tokenizeHcl(normalizeSource(source));
  if (!lexed.ok) return parseFailure(lexed.message, lexed.line);
  const parser = new HclParser(lexed.tokens);
  const tree = parseBody(parser, undefined, 1);
  if (parser.problem) return { ok: false, problems: [parser.problem] };
  return { ok: true, tree, warnings: parser.warnings };
};

/**
 * Canonical form of a template string as our parser renders them (`${ foo( a ) }-x` → `${foo(a)}-x`), or undefined
 * when the text is not a valid template. For comparing expression strings produced elsewhere (hcl2json).
 */
export function canonicalHclTemplate(text: string): string | undefined {
  const lexed = tokenizeHcl(normalizeSource(text), { template: true });
  if (!lexed.ok) return undefined;
  const parser = new HclParser(lexed.tokens);
  const template = parser.parseTemplateBody(true, "cheredoc", 1);
  return parser.problem ? undefined : templateText(parser, template);
}

function normalizeSource(source: string): string {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  return text.includes("\r\n") ? text.replace(/\r\n/g, "\n") : text;
}

/** Where a block type's bodies go: straight bodies (no more labels) or one more label level, never both. */
interface BlockGroup {
  readonly line: number;
  readonly bodies: MapNode[];
  readonly labels: Map<string, BlockGroup>;
}

type Slot =
  | { readonly kind: "attribute"; readonly node: TreeNode }
  | { readonly kind: "block"; readonly group: BlockGroup };

/** `opener` is the enclosing block (type and line); undefined for the file body, which ends at end of file. */
function parseBody(
  parser: HclParser,
  opener: { readonly type: string; readonly line: number } | undefined,
  line: number,
): MapNode {
  const slots = new Map<string, Slot>();
  for (;;) {
    const token = parser.peek();
    if (token.type === "newline") {
      parser.next();
      continue;
    }
    if (token.type === "eof") {
      if (opener) parser.fail(`block "${opener.type}" is not closed`, opener.line);
      break;
    }
    if (parser.isOp(token, "}")) {
      if (!opener) parser.fail('unexpected "}"', token.line);
      break;
    }
    if (token.type !== "ident") {
      parser.fail(`expected an attribute or a block, found ${describeToken(token)}`, token.line);
      break;
    }
    parser.next();
    const after = parser.peek();
    if (parser.isOp(after, "=")) {
      parser.next();
      const value = parser.parseExpression();
      endOfItem(parser, `the value of "${token.text}"`);
      const existing = slots.get(token.text);
      if (existing) {
        parser.fail(
          `duplicate attribute "${token.text}" (first on line ${slotLine(existing)})`,
          token.line,
          "parse.duplicate-key",
        );
        break;
      }
      slots.set(token.text, { kind: "attribute", node: toNode(parser, value, token.line) });
    } else if (after.type === "ident" || after.type === "oquote" || parser.isOp(after, "{")) {
      parseBlock(parser, slots, token.text, token.line);
    } else {
      parser.fail(
        `expected "=" or a block after "${token.text}", found ${describeToken(after)}`,
        after.line,
      );
      break;
    }
  }
  const entries = new Map<string, TreeNode>();
  for (const [key, slot] of slots)
    entries.set(key, slot.kind === "attribute" ? slot.node : groupNode(slot.group));
  return mapNode(line, entries);
}

function parseBlock(parser: HclParser, slots: Map<string, Slot>, type: string, line: number): void {
  const labels: string[] = [];
  for (;;) {
    const token = parser.peek();
    if (token.type === "ident") {
      parser.next();
      labels.push(token.text);
    } else if (token.type === "oquote") {
      const label = parser.parseTemplate();
      if (label.kind !== "template" || label.template.parts.some((part) => part.kind !== "lit")) {
        parser.fail(`block labels of "${type}" must be plain strings`, token.line);
        return;
      }
      labels.push(
        label.template.parts.map((part) => (part.kind === "lit" ? part.text : "")).join(""),
      );
    } else {
      break;
    }
  }
  if (!parser.expectOp("{", `to open block "${type}"`)) return;
  if (!parser.enter(line)) return;
  let body: MapNode;
  if (parser.peek().type === "newline") {
    body = parseBody(parser, { type, line }, line);
    parser.expectOp("}", `to close block "${type}"`);
  } else {
    // One-line block: `type {}` or `type { name = expr }` (hclsyntax allows one attribute and no nested block).
    const entries = new Map<string, TreeNode>();
    const first = parser.peek();
    if (first.type === "ident" && parser.isOp(parser.lookahead(1), "=")) {
      parser.next();
      parser.next();
      entries.set(first.text, toNode(parser, parser.parseExpression(), first.line));
    }
    parser.expectOp("}", `to close one-line block "${type}" (it holds at most one attribute)`);
    body = mapNode(line, entries);
  }
  parser.leave();
  endOfItem(parser, `block "${type}"`);
  if (parser.problem) return;
  addBlock(parser, slots, type, labels, body, line);
}

function addBlock(
  parser: HclParser,
  slots: Map<string, Slot>,
  type: string,
  labels: string[],
  body: MapNode,
  line: number,
): void {
  let slot = slots.get(type);
  if (!slot) {
    slot = { kind: "block", group: { line, bodies: [], labels: new Map() } };
    slots.set(type, slot);
  }
  if (slot.kind === "attribute") {
    parser.fail(`block "${type}" has the name of an attribute`, line, "parse.duplicate-key");
    return;
  }
  // A type used both as `x "a" {}` and `x "a" "b" {}` has no tree shape (hcl2json merges them lossily).
  const conflict = (): void =>
    parser.fail(
      `blocks "${type}" are used with different numbers of labels`,
      line,
      "parse.duplicate-key",
    );
  let group = slot.group;
  for (const label of labels) {
    if (group.bodies.length > 0) return conflict();
    let next = group.labels.get(label);
    if (!next) {
      next = { line, bodies: [], labels: new Map() };
      group.labels.set(label, next);
    }
    group = next;
  }
  if (group.labels.size > 0) return conflict();
  group.bodies.push(body);
}

function groupNode(group: BlockGroup): TreeNode {
  if (group.bodies.length === 1) return group.bodies[0]!;
  if (group.bodies.length > 1) return listNode(group.line, group.bodies);
  const entries = new Map<string, TreeNode>();
  for (const [label, child] of group.labels) entries.set(label, groupNode(child));
  return mapNode(group.line, entries);
}

function slotLine(slot: Slot): number {
  return slot.kind === "attribute" ? slot.node.line : slot.group.line;
}

function endOfItem(parser: HclParser, what: string): void {
  const token = parser.peek();
  if (token.type === "newline") parser.next();
  else if (token.type !== "eof")
    parser.fail(`expected a newline after ${what}, found ${describeToken(token)}`, token.line);
}
