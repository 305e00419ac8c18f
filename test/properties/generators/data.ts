// The data model shared by the JSON, YAML and TOML generators: maps with unique keys, lists of scalars and
// lists of maps named by a unique `name` (matched by identity in the diff, so they may be shuffled).
import fc from "fast-check";
import { listNode, mapNode, scalarNode, type TreeNode } from "../../../src/formats/tree.js";
import { changed, key, name, type Leaf, type Value } from "./common.js";

export type Data = DataScalar | DataList | DataMap;

export interface DataScalar {
  readonly kind: "scalar";
  value: Value;
}

/** Items are all scalars, or all maps whose first entry is a unique `name`. */
export interface DataList {
  readonly kind: "list";
  readonly items: Data[];
}

export interface DataMap {
  readonly kind: "map";
  readonly entries: [string, Data][];
}

export const scalar = (value: Value): DataScalar => ({ kind: "scalar", value });

export interface DataOptions {
  readonly strings: fc.Arbitrary<string>;
  /** Levels of nested maps below the root. */
  readonly depth: number;
  readonly maxKeys: number;
  readonly minKeys?: number;
}

export function scalarArbitrary(strings: fc.Arbitrary<string>): fc.Arbitrary<DataScalar> {
  return fc
    .oneof(
      { weight: 3, arbitrary: strings },
      {
        weight: 2,
        arbitrary: fc.oneof(
          fc.integer({ min: 0, max: 100 }),
          fc.integer({ min: 100, max: 1_000_000 }),
        ),
      },
      { weight: 1, arbitrary: fc.integer({ min: -50, max: -1 }) },
      { weight: 1, arbitrary: fc.boolean() },
    )
    .map(scalar);
}

export function mapArbitrary(options: DataOptions): fc.Arbitrary<DataMap> {
  const leaf = scalarArbitrary(options.strings);
  const scalarList = fc
    .array(leaf, { maxLength: 4 })
    .map((items): DataList => ({ kind: "list", items }));
  const value: fc.Arbitrary<Data> =
    options.depth <= 0
      ? fc.oneof({ weight: 5, arbitrary: leaf }, { weight: 1, arbitrary: scalarList })
      : fc.oneof(
          { weight: 5, arbitrary: leaf },
          { weight: 1, arbitrary: scalarList },
          {
            weight: 2,
            arbitrary: mapArbitrary({ ...options, minKeys: 0, depth: options.depth - 1 }),
          },
          {
            weight: 1,
            arbitrary: namedListArbitrary({ ...options, minKeys: 0, depth: options.depth - 1 }),
          },
        );
  return fc
    .uniqueArray(fc.tuple(key, value), {
      selector: ([k]) => k,
      minLength: options.minKeys ?? 0,
      maxLength: options.maxKeys,
    })
    .map((entries): DataMap => ({ kind: "map", entries }));
}

/** A list of maps, each with a unique `name` first: Kubernetes containers, Traefik servers, ... */
export function namedListArbitrary(options: DataOptions): fc.Arbitrary<DataList> {
  return fc
    .uniqueArray(fc.tuple(name, mapArbitrary({ ...options, minKeys: 0, maxKeys: 3 })), {
      selector: ([n]) => n,
      maxLength: 4,
    })
    .map(([...items]): DataList => ({
      kind: "list",
      items: items.map(([itemName, body]): DataMap => ({
        kind: "map",
        entries: [["name", scalar(itemName)], ...body.entries],
      })),
    }));
}

/** True when the list holds named maps (identity-matched, free to reorder). */
export function isNamedList(list: DataList): boolean {
  return list.items.length > 0 && list.items.every((item) => item.kind === "map");
}

export function itemName(item: Data): string {
  const entry = item.kind === "map" ? item.entries.find(([k]) => k === "name") : undefined;
  if (!entry || entry[1].kind !== "scalar") throw new Error("list item without a name");
  return String(entry[1].value);
}

/** Scalars under map keys (not scalar list items, not the identity `name` of list items). */
export function dataLeaves(node: Data, path: readonly string[], out: Leaf[] = []): Leaf[] {
  if (node.kind === "map") {
    for (const [k, child] of node.entries) {
      if (child.kind === "scalar") out.push(scalarLeaf([...path, k], child));
      else dataLeaves(child, [...path, k], out);
    }
  } else if (node.kind === "list" && isNamedList(node)) {
    for (const item of node.items) {
      const label = `[name=${itemName(item)}]`;
      const body: DataMap = {
        kind: "map",
        entries: (item as DataMap).entries.filter(([k]) => k !== "name"),
      };
      dataLeaves(body, [...path, label], out);
    }
  }
  return out;
}

export function scalarLeaf(path: readonly string[], node: DataScalar): Leaf {
  return {
    path,
    change: () => {
      node.value = changed(node.value);
    },
  };
}

/** The tree a parser should give for the data (line 1 everywhere: the diff ignores lines). */
export function dataTree(node: Data): TreeNode {
  switch (node.kind) {
    case "scalar":
      return scalarNode(1, node.value);
    case "list":
      return listNode(1, node.items.map(dataTree));
    case "map":
      return mapNode(1, new Map(node.entries.map(([k, v]) => [k, dataTree(v)])));
  }
}
