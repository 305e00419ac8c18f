// One positioned tree model for every format: maps, lists and scalars, each with its 1-based line.
// A map value's line is the line of its key, so a finding points at `interval = 5`, not at `5`.
import { assertNever } from "../shared/assert-never.js";

export type Scalar = string | number | boolean | null;

export type TreeNode = MapNode | ListNode | ScalarNode;

export interface MapNode {
  readonly kind: "map";
  readonly line: number;
  /** Insertion-ordered; keys are unique (parsers report duplicates as problems). */
  readonly entries: Map<string, TreeNode>;
}

export interface ListNode {
  readonly kind: "list";
  readonly line: number;
  readonly items: TreeNode[];
  /**
   * Set on a unit view's list that leaves items out (src/engine/units.ts): each item's index in
   * the file's list, and that list's length, for paths that name items by position.
   */
  readonly view?: { readonly positions: readonly number[]; readonly length: number };
}

export interface ScalarNode {
  readonly kind: "scalar";
  readonly line: number;
  readonly value: Scalar;
  /** True when the value is an unevaluated expression (`${var.x}`, `{{ .Values.x }}`, `!Ref X`). */
  readonly expression?: boolean;
}

/** Plain JSON value of a tree (for output and equality). */
export type Plain = Scalar | Plain[] | { [key: string]: Plain };

export function mapNode(line: number, entries: Map<string, TreeNode> = new Map()): MapNode {
  return { kind: "map", line, entries };
}

export function listNode(line: number, items: TreeNode[] = []): ListNode {
  return { kind: "list", line, items };
}

export function scalarNode(line: number, value: Scalar, expression = false): ScalarNode {
  return expression ? { kind: "scalar", line, value, expression } : { kind: "scalar", line, value };
}

export function toPlain(node: TreeNode): Plain {
  switch (node.kind) {
    case "scalar":
      return node.value;
    case "list":
      return node.items.map(toPlain);
    case "map": {
      const out: { [key: string]: Plain } = Object.create(null) as { [key: string]: Plain };
      for (const [key, value] of node.entries) out[key] = toPlain(value);
      return out;
    }
    default:
      return assertNever(node);
  }
}

/** A stable fingerprint of a subtree (key order ignored), for matching list items by content. */
export function fingerprint(node: TreeNode): string {
  switch (node.kind) {
    case "scalar":
      return typeof node.value === "string" ? JSON.stringify(node.value) : String(node.value);
    case "list":
      return `[${node.items.map(fingerprint).join(",")}]`;
    case "map":
      return `{${[...node.entries.keys()]
        .sort()
        .map((key) => `${JSON.stringify(key)}:${fingerprint(node.entries.get(key)!)}`)
        .join(",")}}`;
    default:
      return assertNever(node);
  }
}

// --- navigation helpers used by rules and extractors ---

export function child(node: TreeNode | null | undefined, key: string): TreeNode | undefined {
  return node?.kind === "map" ? node.entries.get(key) : undefined;
}

/** Follows keys through maps; a numeric string indexes a list. */
export function at(node: TreeNode | null | undefined, ...keys: string[]): TreeNode | undefined {
  let current: TreeNode | undefined = node ?? undefined;
  for (const key of keys) {
    if (!current) return undefined;
    if (current.kind === "map") current = current.entries.get(key);
    else if (current.kind === "list" && /^\d+$/.test(key)) current = current.items[Number(key)];
    else return undefined;
  }
  return current;
}

export function scalarAt(node: TreeNode | null | undefined, ...keys: string[]): Scalar | undefined {
  const found = at(node, ...keys);
  return found?.kind === "scalar" ? found.value : undefined;
}

export function entriesOf(node: TreeNode | null | undefined): [string, TreeNode][] {
  return node?.kind === "map" ? [...node.entries] : [];
}

export function itemsOf(node: TreeNode | null | undefined): TreeNode[] {
  if (!node) return [];
  if (node.kind === "list") return node.items;
  return [node];
}
