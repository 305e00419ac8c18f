// Defaults that every caller of a module or template gets: Terraform `variable` defaults and CloudFormation
// `Parameters` defaults, flattened to one entry per setting (a map default gives one entry per key), with the
// name and description that say what the setting feeds.
import {
  child,
  entriesOf,
  fingerprint,
  itemsOf,
  scalarAt,
  toPlain,
  type Plain,
  type TreeNode,
} from "../../../formats/tree.js";
import type { Dialect } from "../../../formats/dialect.js";

export interface DefaultSetting {
  /** `variable.cookie_duration`, `variable.target_groups_defaults.stickiness_enabled`, `Parameters.Internal`. */
  readonly path: string;
  /** The variable or parameter. */
  readonly owner: string;
  /** The setting's own name (the map key, else the variable's name). */
  readonly name: string;
  /** The variable's name, its map key and its description, lower case: what the setting feeds. */
  readonly words: string;
  readonly value: Plain;
  readonly line: number;
}

export interface DeclaredDefault {
  readonly owner: string;
  readonly print: string;
  readonly settings: readonly DefaultSetting[];
}

function flatten(
  prefix: string,
  owner: string,
  description: string,
  node: TreeNode,
): DefaultSetting[] {
  if (node.kind === "map")
    return entriesOf(node).flatMap(([name, value]) =>
      value.kind === "map"
        ? flatten(`${prefix}.${name}`, owner, description, value)
        : [setting(`${prefix}.${name}`, owner, name, description, value)],
    );
  return [setting(prefix, owner, owner, description, node)];
}

function setting(
  path: string,
  owner: string,
  name: string,
  description: string,
  node: TreeNode,
): DefaultSetting {
  return {
    path,
    owner,
    name,
    words: `${owner} ${name} ${description}`.toLowerCase(),
    value: toPlain(node),
    line: node.line,
  };
}

/** Every variable (Terraform) or parameter (CloudFormation) that has a default. */
export function declaredDefaults(dialect: Dialect, tree: TreeNode | null): DeclaredDefault[] {
  if (!tree) return [];
  const out: DeclaredDefault[] = [];
  if (dialect === "terraform") {
    for (const [name, blocks] of entriesOf(child(tree, "variable"))) {
      const body = itemsOf(blocks)[0] ?? blocks;
      const value = child(body, "default");
      if (!value) continue;
      const description = String(scalarAt(body, "description") ?? "");
      out.push({
        owner: name,
        print: fingerprint(value),
        settings: flatten(`variable.${name}`, name, description, value),
      });
    }
  } else if (dialect === "cloudformation") {
    const documents = tree.kind === "list" ? tree.items : [tree];
    for (const document of documents)
      for (const [name, body] of entriesOf(child(document, "Parameters"))) {
        const value = child(body, "Default");
        if (!value) continue;
        const description = String(scalarAt(body, "Description") ?? "");
        out.push({
          owner: name,
          print: fingerprint(value),
          settings: flatten(`Parameters.${name}.Default`, name, description, value),
        });
      }
  }
  return out;
}
