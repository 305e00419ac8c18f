// Envoy fields, written in snake_case or in the lowerCamelCase of the proto3 JSON mapping
// (`connect_timeout` = `connectTimeout`), and the protobuf wrappers they use.
import { child, toPlain, type TreeNode } from "../../../formats/tree.js";
import { protoSeconds } from "../durations.js";
import { toNumber } from "../figures.js";

const camel = (snake: string): string =>
  snake.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** A field in either spelling. */
export function field(node: TreeNode | undefined, name: string): TreeNode | undefined {
  return child(node, name) ?? child(node, camel(name));
}

export function fieldAt(node: TreeNode | undefined, ...names: string[]): TreeNode | undefined {
  let current = node;
  for (const name of names) current = field(current, name);
  return current;
}

/** A protobuf Duration field in seconds (`"5s"`, `{ seconds, nanos }`). */
export function seconds(node: TreeNode | undefined): number | undefined {
  return node ? protoSeconds(toPlain(node)) : undefined;
}

/** A UInt32Value or Percent field: a bare number, or the `{ value: n }` wrapper. */
export function count(node: TreeNode | undefined): number | undefined {
  const scalar = node?.kind === "map" ? child(node, "value") : node;
  return scalar?.kind === "scalar" ? toNumber(scalar.value) : undefined;
}
