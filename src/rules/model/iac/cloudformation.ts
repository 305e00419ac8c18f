// CloudFormation resources as the cloud families read them: `Resources.ID` with its Type and Properties, its
// properties and `[{ Key, Value }]` attribute lists as settings, and their tree paths.
import { formatPath, item, key, type PathSegment } from "../../../diff/path.js";
import {
  child,
  entriesOf,
  itemsOf,
  scalarAt,
  type Scalar,
  type TreeNode,
} from "../../../formats/tree.js";
import { settingFromNode, settingOf, type Setting, type SettingReader } from "./settings.js";

export interface CloudFormationResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: TreeNode | undefined;
  readonly line: number;
  readonly path: string;
}

export function cloudFormationResources(
  tree: TreeNode,
  types: readonly string[],
): CloudFormationResource[] {
  const documents = tree.kind === "list" ? tree.items : [tree];
  return documents.flatMap((document) =>
    entriesOf(child(document, "Resources")).flatMap(([logicalId, resource]) => {
      const type = scalarAt(resource, "Type");
      if (typeof type !== "string" || !types.includes(type)) return [];
      return [
        {
          logicalId,
          type,
          properties: child(resource, "Properties"),
          line: resource.line,
          path: cloudFormationPath(logicalId),
        },
      ];
    }),
  );
}

/** `Resources.ID[.Properties.prop...]`: a CloudFormation resource or one of its properties. */
export function cloudFormationPath(logicalId: string, ...properties: string[]): string {
  const segments: PathSegment[] = [key("Resources"), key(logicalId)];
  if (properties.length > 0) segments.push(key("Properties"), ...properties.map(key));
  return formatPath(segments);
}

/** `Resources.ID.Properties.LIST[Key=name]`: an entry of a CloudFormation key/value list. */
function cloudFormationAttributePath(logicalId: string, list: string, name: string): string {
  return formatPath([
    key("Resources"),
    key(logicalId),
    key("Properties"),
    key(list),
    item(`Key=${name}`),
  ]);
}

/** One entry of a key/value list: its `Value` node and the entry's line. */
export interface KeyValueEntry {
  readonly node: TreeNode | undefined;
  readonly line: number;
}

/** CloudFormation `[{ Key, Value }]` lists (`TargetGroupAttributes`, `LoadBalancerAttributes`). */
export function keyValueSettings(list: TreeNode | undefined): Map<string, KeyValueEntry> {
  const out = new Map<string, KeyValueEntry>();
  for (const entry of itemsOf(list)) {
    const name = scalarAt(entry, "Key");
    if (typeof name === "string") out.set(name, { node: child(entry, "Value"), line: entry.line });
  }
  return out;
}

/** A setting read from a CloudFormation key/value list. */
function keyValueSetting(
  attributes: Map<string, KeyValueEntry>,
  name: string,
  fallback: Scalar | undefined,
  ownerLine: number,
  path?: string,
): Setting {
  const entry = attributes.get(name);
  if (!entry) return { kind: "default", value: fallback, line: ownerLine, path };
  if (!entry.node) return { kind: "unknown", line: entry.line, path };
  return settingFromNode(entry.node, fallback, entry.line, path);
}

/** Reads the properties of a CloudFormation resource; `line` stands for the absent ones. */
export function cloudFormationProperties(
  resource: CloudFormationResource,
  line: number,
): SettingReader {
  return (name, fallback) =>
    settingOf(
      resource.properties,
      name,
      fallback,
      line,
      cloudFormationPath(resource.logicalId, name),
    );
}

/** Reads a CloudFormation `[{ Key, Value }]` attribute list (`TargetGroupAttributes`, ...). */
export function cloudFormationAttributes(
  resource: CloudFormationResource,
  list: string,
  line: number,
): SettingReader {
  const attributes = keyValueSettings(child(resource.properties, list));
  return (name, fallback) =>
    keyValueSetting(
      attributes,
      name,
      fallback,
      line,
      cloudFormationAttributePath(resource.logicalId, list, name),
    );
}
