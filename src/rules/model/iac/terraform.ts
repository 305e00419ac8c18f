// Terraform resources as the cloud families read them: `resource "TYPE" "NAME" { ... }` blocks, their
// arguments as settings, and their tree paths.
import { formatPath, key } from "../../../diff/path.js";
import { at, child, entriesOf, itemsOf, scalarAt, type TreeNode } from "../../../formats/tree.js";
import { settingOf, toBool, type SettingReader } from "./settings.js";

export interface TerraformResource {
  readonly type: string;
  readonly name: string;
  readonly body: TreeNode;
  readonly line: number;
  readonly path: string;
}

/** Every `resource "TYPE" "NAME"` of the given types. */
export function terraformResources(tree: TreeNode, types: readonly string[]): TerraformResource[] {
  const out: TerraformResource[] = [];
  for (const type of types) {
    for (const [name, body] of entriesOf(at(tree, "resource", type))) {
      for (const instance of itemsOf(body)) {
        out.push({
          type,
          name,
          body: instance,
          line: instance.line,
          path: terraformPath(type, name),
        });
      }
    }
  }
  return out;
}

/** A nested block written once (map) or several times (list): the first one. */
export function firstBlock(body: TreeNode, name: string): TreeNode | undefined {
  return itemsOf(child(body, name))[0];
}

/** `resource.TYPE.NAME[.attr...]`: the tree path of a Terraform resource or one of its settings. */
export function terraformPath(type: string, name: string, ...attributes: string[]): string {
  return formatPath([key("resource"), key(type), key(name), ...attributes.map(key)]);
}

/** Reads the arguments of a Terraform resource's body, each with its tree path. */
export function terraformArguments(resource: TerraformResource): SettingReader {
  return (name, fallback) =>
    settingOf(
      resource.body,
      name,
      fallback,
      resource.line,
      terraformPath(resource.type, resource.name, name),
    );
}

/** `lifecycle { create_before_destroy = true }` in a Terraform resource body. */
export function createsBeforeDestroy(body: TreeNode | undefined): boolean {
  return itemsOf(child(body, "lifecycle")).some(
    (block) => toBool(scalarAt(block, "create_before_destroy")) === true,
  );
}
