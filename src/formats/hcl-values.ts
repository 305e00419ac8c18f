// HCL expressions → tree nodes (shapes in hcl.ts): literals and constructors become scalars, lists and maps;
// templates are folded and unwrapped as HCL evaluates them; everything else is canonical `${...}` text.
import type { Expr, HclParser, Template } from "./hcl-expression.js";
import { renderExpression, templateText } from "./hcl-render.js";
import { listNode, mapNode, scalarNode, type TreeNode } from "./tree.js";

/** The node of an expression on `line` (its key's); nested values get the lines of their own keys. */
export function toNode(parser: HclParser, expr: Expr, line: number): TreeNode {
  switch (expr.kind) {
    case "literal":
      return scalarNode(line, expr.value);
    case "tuple":
      return listNode(
        line,
        expr.items.map((item) => toNode(parser, item, item.line)),
      );
    case "object": {
      const entries = new Map<string, TreeNode>();
      for (const item of expr.items) {
        const key = objectKey(parser, item.key);
        if (entries.has(key)) {
          parser.warnings.push({
            code: "parse.duplicate-key",
            message: `duplicate object key "${key}": the last value wins`,
            line: item.key.line,
          });
        }
        entries.set(key, toNode(parser, item.value, item.key.line));
      }
      return mapNode(line, entries);
    }
    case "template": {
      const { parts, heredoc } = expr.template;
      const only = parts[0];
      if (!heredoc && parts.length === 1 && only?.kind === "interp")
        return toNode(parser, only.expr, line);
      const folded = foldTemplate(expr.template);
      const text = literalText(folded);
      return text === undefined
        ? scalarNode(line, templateText(parser, folded), true)
        : scalarNode(line, text);
    }
    case "other":
      return scalarNode(line, `\${${renderExpression(parser, expr.start, expr.end)}}`, true);
  }
}

/** Object keys as hcl2json writes them: names and traversals as written, other expressions as `${...}`. */
function objectKey(parser: HclParser, key: Expr): string {
  switch (key.kind) {
    case "literal":
      return String(key.value);
    case "template": {
      const { parts, heredoc } = key.template;
      const only = parts[0];
      if (
        !heredoc &&
        parts.length === 1 &&
        only?.kind === "interp" &&
        only.expr.kind === "literal"
      ) {
        return String(only.expr.value);
      }
      const folded = foldTemplate(key.template);
      return literalText(folded) ?? templateText(parser, folded);
    }
    case "tuple":
    case "object":
    case "other": {
      const text = renderExpression(parser, key.start, key.end);
      return /^[\p{ID_Start}_][\p{ID_Continue}-]*(\.[\p{ID_Start}_][\p{ID_Continue}-]*)*$/u.test(
        text,
      )
        ? text
        : `\${${text}}`;
    }
  }
}

/** The template with interpolations of literals written as text (`"a${"b"}${1}"` is "ab1"), as HCL evaluates them. */
function foldTemplate(template: Template): Template {
  if (
    !template.parts.some(
      (part) => part.kind === "interp" && interpolatedText(part.expr) !== undefined,
    )
  )
    return template;
  const parts = template.parts.map((part) => {
    const text = part.kind === "interp" ? interpolatedText(part.expr) : undefined;
    return text === undefined ? part : { kind: "lit" as const, text };
  });
  return { heredoc: template.heredoc, parts };
}

function interpolatedText(expr: Expr): string | undefined {
  // Only a literal as written: hcl2json leaves `${-1}` and `${!true}` unfolded inside a template.
  if (expr.kind === "literal") {
    return expr.value === null || expr.end - expr.start !== 1 ? undefined : String(expr.value);
  }
  return expr.kind === "template" ? literalText(foldTemplate(expr.template)) : undefined;
}

/** The text of a template made of literal parts only, else undefined. */
function literalText(template: Template): string | undefined {
  let text = "";
  for (const part of template.parts) {
    if (part.kind !== "lit") return undefined;
    text += part.text;
  }
  return text;
}
