// Traefik's file provider matches keys to fields case-insensitively: lookups that fold case, and the spelling
// a key has in the file for tree paths.
import { key, type PathSegment } from "../../../diff/path.js";
import { entriesOf, type Scalar, type TreeNode } from "../../../formats/tree.js";

/**
 * Traefik's file provider matches keys to fields with strings.EqualFold (docs/lb-facts.md §P4 "Case-insensitive
 * keys"): `loadbalancer` = `loadBalancer`. The exact spelling wins when both are present.
 */
export function childFold(
  node: TreeNode | undefined,
  name: string,
): [string, TreeNode] | undefined {
  if (node?.kind !== "map") return undefined;
  const exact = node.entries.get(name);
  if (exact) return [name, exact];
  const lower = name.toLowerCase();
  return entriesOf(node).find(([candidate]) => candidate.toLowerCase() === lower);
}

export const fold = (node: TreeNode | undefined, ...names: string[]): TreeNode | undefined => {
  let current = node;
  for (const name of names) current = childFold(current, name)?.[1];
  return current;
};

export const scalarFold = (node: TreeNode | undefined, name: string): Scalar | undefined => {
  const found = fold(node, name);
  return found?.kind === "scalar" ? found.value : undefined;
};

/** The segments of a found key path, with each key spelled as in the file. */
export function spelled(node: TreeNode | undefined, names: string[]): PathSegment[] | undefined {
  const segments: PathSegment[] = [];
  let current = node;
  for (const name of names) {
    const found = childFold(current, name);
    if (!found) return undefined;
    segments.push(key(found[0]));
    current = found[1];
  }
  return segments;
}
