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

/**
 * The HCL-shaped tree of a Terraform JSON file; `values` for `*.tfvars.json` (attributes only).
 * A body, and each label level, may be an object or an array of objects whose properties are read
 * in order, the same name any number of times: every block they declare is kept
 * (https://github.com/hashicorp/hcl/blob/main/json/spec.md#blocks).
 */
export function terraformJsonTree(root: TreeNode, values: boolean): TreeNode {
  const grouped = values ? undefined : groupProperties([root]);
  if (!grouped) return root.kind === "map" ? expressionEntries(root) : root;
  const entries = new Map<string, TreeNode>();
  for (const [key, nodes] of grouped) {
    const labels = LABELS[key];
    entries.set(key, labels === undefined ? expression(nodes.at(-1)!) : labelled(nodes, labels));
  }
  return mapNode(root.line, entries);
}

function expressionEntries(root: TreeNode & { kind: "map" }): TreeNode {
  const entries = new Map<string, TreeNode>();
  for (const [key, value] of root.entries) if (key !== "//") entries.set(key, expression(value));
  return mapNode(root.line, entries);
}

/**
 * The properties of objects or arrays of objects, grouped by name in the order names first
 * appear (`//` comments dropped); undefined when a node is neither.
 */
function groupProperties(nodes: readonly TreeNode[]): Map<string, TreeNode[]> | undefined {
  const grouped = new Map<string, TreeNode[]>();
  for (const node of nodes) {
    const objects = node.kind === "list" ? node.items : [node];
    for (const object of objects) {
      if (object.kind !== "map") return undefined;
      for (const [key, value] of object.entries) {
        if (key === "//") continue;
        grouped.set(key, [...(grouped.get(key) ?? []), value]);
      }
    }
  }
  return grouped;
}

/** A block type's definitions: `labels` levels of names, then the bodies of every block. */
function labelled(nodes: readonly TreeNode[], labels: number): TreeNode {
  if (labels === 0) return bodies(nodes);
  const grouped = groupProperties(nodes);
  if (!grouped) return expression(nodes.at(-1)!);
  const entries = new Map<string, TreeNode>();
  for (const [label, values] of grouped) entries.set(label, labelled(values, labels - 1));
  return mapNode(nodes[0]!.line, entries);
}

/**
 * The bodies of the blocks with one type and labels, each written as an object or an array of
 * objects: one body alone is its map, several a list of maps (as in HCL's tree).
 */
function bodies(nodes: readonly TreeNode[]): TreeNode {
  const blocks: TreeNode[] = [];
  for (const node of nodes) {
    if (node.kind === "map") blocks.push(node);
    else if (node.kind === "list" && node.items.length > 0 && node.items.every(isMap))
      blocks.push(...node.items);
    else if (nodes.length === 1) return expression(node);
    else blocks.push(node);
  }
  return blocks.length === 1 ? body(blocks[0]!) : listNode(nodes[0]!.line, blocks.map(body));
}

const isMap = (node: TreeNode): boolean => node.kind === "map";

/** A body: `//` comments dropped, nested blocks and attribute values alike normalised. */
function body(node: TreeNode): TreeNode {
  if (node.kind !== "map") return expression(node);
  const entries = new Map<string, TreeNode>();
  for (const [key, value] of node.entries) {
    if (key === "//") continue;
    // Without the provider's schema a nested block and an attribute holding objects look alike;
    // an array of objects is read as blocks (one alone is its body), which is what rules expect.
    entries.set(key, bodies([value]));
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
