// Terraform's JSON syntax (`*.tf.json`, `*.tfvars.json`) → the tree `parseHcl` gives the same
// configuration in native syntax, so every Terraform rule reads both alike. What differs in JSON:
// - a `"//"` property is a comment (https://developer.hashicorp.com/terraform/language/syntax/json#comment-properties);
// - a string is a template: `"${var.x}"` is an expression, `"$${x}"` a literal (HCL's tree keeps
//   strings in this JSON form, escapes included)
//   (https://developer.hashicorp.com/terraform/language/syntax/json#expression-mapping);
// - a block written once may still be an array of one object (`"health_check": [{ … }]`), and a
//   label level may be an array of objects to repeat labels: both become what HCL's tree holds
//   (a block seen once is its body map; repeated blocks are a list of bodies).
import { canonicalHclTemplate } from "./hcl.js";
import { listNode, mapNode, scalarNode, type TreeNode } from "./tree.js";

/** Terraform configuration or variable values written in JSON. */
export function isTerraformJsonPath(path: string): boolean {
  return /\.tf(vars)?\.json$/i.test(path);
}

/** Top-level block types and how many labels each has (https://developer.hashicorp.com/terraform/language/syntax/json). */
const LABELS: Readonly<Record<string, number>> = {
  resource: 2,
  data: 2,
  ephemeral: 2,
  module: 1,
  provider: 1,
  variable: 1,
  output: 1,
  check: 1,
  locals: 0,
  terraform: 0,
  moved: 0,
  import: 0,
  removed: 0,
};

/** The HCL-shaped tree of a Terraform JSON file; `values` for `*.tfvars.json` (attributes only). */
export function terraformJsonTree(root: TreeNode, values: boolean): TreeNode {
  if (root.kind !== "map") return root;
  const entries = new Map<string, TreeNode>();
  for (const [key, value] of root.entries) {
    if (key === "//") continue;
    const labels = values ? undefined : LABELS[key];
    entries.set(key, labels === undefined ? expression(value) : labelled(value, labels));
  }
  return mapNode(root.line, entries);
}

/** A block type's value: `labels` levels of names, then one body or several. */
function labelled(node: TreeNode, labels: number): TreeNode {
  if (labels === 0) return bodies(node);
  const merged = mergeObjects(node);
  if (!merged) return expression(node);
  const entries = new Map<string, TreeNode>();
  for (const [label, value] of merged.entries) {
    if (label === "//") continue;
    entries.set(label, labelled(value, labels - 1));
  }
  return mapNode(merged.line, entries);
}

/** A label level written as an array of objects (to repeat a label) is one map; later names win, as bodies can't repeat here. */
function mergeObjects(node: TreeNode): (TreeNode & { kind: "map" }) | undefined {
  if (node.kind === "map") return node;
  if (node.kind !== "list" || !node.items.every((item) => item.kind === "map")) return undefined;
  const entries = new Map<string, TreeNode>();
  for (const item of node.items)
    if (item.kind === "map") for (const [key, value] of item.entries) entries.set(key, value);
  return mapNode(node.line, entries);
}

/** One block body, or an array of bodies (one body alone is its map, as in HCL's tree). */
function bodies(node: TreeNode): TreeNode {
  if (node.kind === "list" && node.items.length > 0 && node.items.every((i) => i.kind === "map")) {
    const items = node.items.map(body);
    return items.length === 1 ? items[0]! : listNode(node.line, items);
  }
  return node.kind === "map" ? body(node) : expression(node);
}

/** A body: `//` comments dropped, nested blocks and attribute values alike normalised. */
function body(node: TreeNode): TreeNode {
  if (node.kind !== "map") return expression(node);
  const entries = new Map<string, TreeNode>();
  for (const [key, value] of node.entries) {
    if (key === "//") continue;
    // Without the provider's schema a nested block and an attribute holding objects look alike;
    // an array of objects is read as blocks (one alone is its body), which is what rules expect.
    entries.set(key, bodies(value));
  }
  return mapNode(node.line, entries);
}

/** A value: strings are templates (as HCL's tree holds them), maps and lists recursively. */
function expression(node: TreeNode): TreeNode {
  switch (node.kind) {
    case "map": {
      const entries = new Map<string, TreeNode>();
      for (const [key, value] of node.entries) entries.set(key, expression(value));
      return mapNode(node.line, entries);
    }
    case "list":
      return listNode(node.line, node.items.map(expression));
    case "scalar":
      return typeof node.value === "string" ? template(node.line, node.value) : node;
  }
}

function template(line: number, text: string): TreeNode {
  if (!text.includes("${") && !text.includes("%{")) return scalarNode(line, text);
  const canonical = canonicalHclTemplate(text);
  if (canonical === undefined) return scalarNode(line, text, true); // not a valid template: Terraform refuses it
  // Only escaped sequences (`$${`, `%%{`): a literal, kept escaped as HCL's tree keeps it.
  return scalarNode(line, canonical, /(^|[^$])\$\{|(^|[^%])%\{/.test(canonical));
}
