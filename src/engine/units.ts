// The view of a large file that file rules read: its changed units (a backend, an upstream, a
// resource, a Kubernetes object) plus the units they touch, with everything else left out
// (docs/architecture.md, "Unit views"). Rules extract entities from whole trees; on a 1 MB file
// with a handful of edits that is thousands of entities compared to find five changes. The view
// keeps every finding: what is outside any unit (HAProxy `defaults`, nginx `http` directives,
// Terraform variables) is always kept, a change outside a unit keeps the whole file, and a unit
// is kept when its text names a changed unit or a changed unit's text names it.
import { chooseIdentity, type Identity } from "../diff/identity.js";
import type { Change } from "../diff/semantic-diff.js";
import type { Dialect } from "../formats/dialect.js";
import { listNode, mapNode, scalarAt, type ListNode, type TreeNode } from "../formats/tree.js";
import type { FileUnderReview } from "../rules/types.js";

/** Files smaller than this on both sides are read whole: they are cheap, and the view gains nothing. */
export const UNIT_VIEW_MIN_BYTES = 65_536;

/** Where a dialect's units sit: a path of keys (`*` is any key) to a map of units or a list of them. */
interface UnitPlace {
  readonly path: readonly string[];
  /** A map of units by name, or a list of units named by their identity (a single nginx `server` is a map: one block). */
  readonly shape: "map" | "list";
  /** What other units know a unit by. */
  readonly keys: (label: string, unit: TreeNode, at: readonly string[]) => UnitKeys;
  /**
   * Units whose number rules judge (the file's last HAProxy frontend or listen, its last nginx
   * server): one of the family added or removed keeps the whole family.
   */
  readonly family?: string;
}

/** What other units know a unit by. */
interface UnitKeys {
  /** The names other units write to refer to it (a backend's name, `aws_lb_target_group.app`). */
  readonly names: readonly string[];
  /** Kubernetes: its labels, `key=value`. */
  readonly labels?: readonly string[];
  /** Kubernetes: the labels its selectors take, `key=value` (`key=*` for an expression on the key). */
  readonly selectors?: readonly string[];
}

const sectionName = (label: string): UnitKeys => ({ names: [label] });

const PLACES: Partial<Record<Dialect, readonly UnitPlace[]>> = {
  haproxy: ["frontend", "backend", "listen"].map((section) => ({
    path: [section],
    shape: "map",
    keys: sectionName,
    ...(section === "backend" ? {} : { family: "acceptor" }),
  })),
  nginx: [[], ["http"], ["stream"]].flatMap((outer): UnitPlace[] => [
    { path: [...outer, "upstream"], shape: "map", keys: sectionName },
    {
      path: [...outer, "server"],
      shape: "list",
      keys: (_label, unit) => serverNames(unit),
      family: "server",
    },
  ]),
  terraform: [
    {
      path: ["resource", "*"],
      shape: "map",
      keys: (label, _unit, at) => ({ names: [`${at[1]}.${label}`] }),
    },
    {
      path: ["data", "*"],
      shape: "map",
      keys: (label, _unit, at) => ({ names: [`data.${at[1]}.${label}`] }),
    },
    { path: ["module"], shape: "map", keys: (label) => ({ names: [`module.${label}`] }) },
  ],
  cloudformation: [{ path: ["Resources"], shape: "map", keys: sectionName }],
  kubernetes: [{ path: [], shape: "list", keys: (_label, unit) => kubernetesKeys(unit) }],
};

/** One place of units in both trees: its concrete path and its units by label, on each side. */
interface Container {
  readonly path: readonly string[];
  readonly place: UnitPlace;
  readonly before: TreeNode | undefined;
  readonly after: TreeNode | undefined;
  /** For a list of units: how its items are named, as the semantic diff names them. */
  readonly identity?: Identity;
  readonly units: Map<string, { before?: TreeNode; after?: TreeNode }>;
}

/**
 * The file as file rules read it: the same file, or (for a large file whose changes all sit in
 * units) trees holding only the changed units, the units they touch, and what is outside units.
 * Lines, changes and text are the file's own.
 */
export function unitView(
  file: FileUnderReview,
  bytes: number,
  minBytes = UNIT_VIEW_MIN_BYTES,
): FileUnderReview {
  if (bytes < minBytes || !file.before || !file.after) return file;
  const places = PLACES[file.dialect];
  if (!places) return file;
  const found = places.flatMap((place) => containersAt(place, file.before!, file.after!));
  if (found.includes(undefined)) return file;
  const containers = found.filter((container): container is Container => container !== null);
  const changed = changedUnits(file.changes, containers);
  if (!changed) return file;
  const kept = touchedUnits(containers, changed);
  const total = containers.reduce((sum, container) => sum + container.units.size, 0);
  if (kept.size >= total) return file;
  return {
    ...file,
    before: pruned(file.before, containers, kept, "before"),
    after: pruned(file.after, containers, kept, "after"),
  };
}

const unitId = (path: readonly string[], label: string): string => [...path, label].join("\u0000");

/**
 * The concrete containers of a place on both sides: `null` where the place holds no units (a
 * single nginx server), `undefined` where its units cannot be told apart (a list without an
 * identity, a map on one side and a list on the other).
 */
function containersAt(
  place: UnitPlace,
  before: TreeNode,
  after: TreeNode,
): (Container | null | undefined)[] {
  const paths = new Map<string, string[]>();
  for (const tree of [before, after])
    for (const path of expand(tree, place.path, [])) paths.set(path.join("\u0000"), path);
  return [...paths.values()].map((path) => container(place, path, before, after));
}

function expand(node: TreeNode, pattern: readonly string[], at: string[]): string[][] {
  if (pattern.length === 0) return [at];
  if (node.kind !== "map") return [];
  const [first, ...rest] = pattern;
  if (first !== "*") {
    const next = node.entries.get(first!);
    return next ? expand(next, rest, [...at, first!]) : [];
  }
  return [...node.entries].flatMap(([name, value]) => expand(value, rest, [...at, name]));
}

function nodeAt(tree: TreeNode, path: readonly string[]): TreeNode | undefined {
  let node: TreeNode | undefined = tree;
  for (const key of path) node = node?.kind === "map" ? node.entries.get(key) : undefined;
  return node;
}

function container(
  place: UnitPlace,
  path: string[],
  beforeTree: TreeNode,
  afterTree: TreeNode,
): Container | null | undefined {
  const before = nodeAt(beforeTree, path);
  const after = nodeAt(afterTree, path);
  const kinds = new Set([before?.kind, after?.kind].filter((kind) => kind !== undefined));
  if (kinds.size === 1 && !kinds.has(place.shape)) return null;
  if (kinds.size !== 1) return undefined;
  const units: Container["units"] = new Map();
  const add = (label: string, side: "before" | "after", unit: TreeNode): void => {
    units.set(label, { ...units.get(label), [side]: unit });
  };
  if (kinds.has("map")) {
    for (const [side, node] of [
      ["before", before],
      ["after", after],
    ] as const)
      if (node?.kind === "map") for (const [label, unit] of node.entries) add(label, side, unit);
    return { path, place, before, after, units };
  }
  const beforeItems = before?.kind === "list" ? before.items : [];
  const afterItems = after?.kind === "list" ? after.items : [];
  const identity = chooseIdentity(beforeItems, afterItems);
  if (!identity) return undefined;
  for (const [side, items] of [
    ["before", beforeItems],
    ["after", afterItems],
  ] as const)
    for (const unit of items) add(identity.label(identity.of(unit)!), side, unit);
  return { path, place, before, after, identity, units };
}

/** The ids of the units the changes fall in, or undefined when one falls outside every unit. */
function changedUnits(
  changes: readonly Change[],
  containers: readonly Container[],
): Set<string> | undefined {
  const changed = new Set<string>();
  for (const change of changes) {
    if (change.order) return undefined;
    const id = unitOf(change, containers);
    if (id === undefined) return undefined;
    changed.add(id);
  }
  return changed;
}

function unitOf(change: Change, containers: readonly Container[]): string | undefined {
  const segments = change.segments;
  for (const container of containers) {
    const depth = container.path.length;
    if (segments.length <= depth) continue;
    if (!container.path.every((key, i) => segments[i]?.kind === "key" && segments[i].key === key))
      continue;
    const next = segments[depth]!;
    const label = container.identity
      ? next.kind === "item"
        ? next.label
        : undefined
      : next.kind === "key"
        ? next.key
        : undefined;
    if (label !== undefined && container.units.has(label)) return unitId(container.path, label);
  }
  return undefined;
}

/**
 * The changed units and the units they touch: a unit whose text names a changed unit, a unit a
 * changed one names, (Kubernetes) a unit whose selectors take a changed unit's labels or whose
 * labels a changed unit's selectors take, and the family of a unit added or removed.
 */
function touchedUnits(containers: readonly Container[], changed: ReadonlySet<string>): Set<string> {
  // What the changed units are known by and what they say, gathered once.
  const names: string[] = [];
  const texts: string[] = [];
  const labels = new Set<string>();
  const selectors: string[] = [];
  const families = new Set<string>();
  for (const container of containers)
    for (const [label, sides] of container.units) {
      if (!changed.has(unitId(container.path, label))) continue;
      for (const node of [sides.before, sides.after]) {
        if (!node) continue;
        const keys = container.place.keys(label, node, container.path);
        names.push(...keys.names.filter((name) => name !== ""));
        keys.labels?.forEach((value) => labels.add(value));
        selectors.push(...(keys.selectors ?? []));
        texts.push(textOf(node));
      }
      if (container.place.family && (!sides.before || !sides.after))
        families.add(container.place.family);
    }
  const text = texts.join("\n");
  const labelList = [...labels];
  const kept = new Set(changed);
  for (const container of containers)
    for (const [label, sides] of container.units) {
      const id = unitId(container.path, label);
      if (kept.has(id)) continue;
      if (container.place.family && families.has(container.place.family)) {
        kept.add(id);
        continue;
      }
      // A unit without a change reads the same on both sides (semantic-diff.ts): one side is enough.
      const node = (sides.after ?? sides.before)!;
      const keys = container.place.keys(label, node, container.path);
      const touched =
        keys.names.some((name) => name !== "" && text.includes(name)) ||
        selects(selectors, keys.labels ?? []) ||
        selects(keys.selectors ?? [], labelList) ||
        mentions(node, names);
      if (touched) kept.add(id);
    }
  return kept;
}

/** Whether a selector's term takes one of the labels (`key=value`; a term `key=*` takes any value). */
function selects(selectors: readonly string[], labels: readonly string[]): boolean {
  if (selectors.length === 0 || labels.length === 0) return false;
  const have = new Set(labels);
  for (const label of labels) have.add(`${label.slice(0, label.indexOf("="))}=*`);
  return selectors.some((term) => have.has(term));
}

/** Whether a key or string of the subtree holds one of the names (no closure per unit: hot). */
function mentions(node: TreeNode, names: readonly string[]): boolean {
  if (names.length === 0) return false;
  if (node.kind === "scalar") return typeof node.value === "string" && holdsName(node.value, names);
  if (node.kind === "list") {
    for (const item of node.items) if (mentions(item, names)) return true;
    return false;
  }
  for (const [key, value] of node.entries)
    if (holdsName(key, names) || mentions(value, names)) return true;
  return false;
}

function holdsName(text: string, names: readonly string[]): boolean {
  for (const name of names) if (text.includes(name)) return true;
  return false;
}

/** Every key and string of a subtree, one per line: where other units' names are looked for. */
function textOf(node: TreeNode): string {
  const out: string[] = [];
  const visit = (current: TreeNode): void => {
    if (current.kind === "scalar") {
      if (typeof current.value === "string") out.push(current.value);
    } else if (current.kind === "list") current.items.forEach(visit);
    else
      for (const [key, value] of current.entries) {
        out.push(key);
        visit(value);
      }
  };
  visit(node);
  return out.join("\n");
}

/** The tree with the units not kept left out; what is outside units is the tree's own. */
function pruned(
  tree: TreeNode,
  containers: readonly Container[],
  kept: ReadonlySet<string>,
  side: "before" | "after",
): TreeNode {
  let root = tree;
  for (const container of containers) {
    const node = container[side];
    if (!node) continue;
    const keep = (label: string): boolean => kept.has(unitId(container.path, label));
    const replacement =
      node.kind === "map"
        ? mapNode(node.line, new Map([...node.entries].filter(([label]) => keep(label))))
        : node.kind === "list"
          ? listView(node, (unit) => keep(container.identity!.label(container.identity!.of(unit)!)))
          : node;
    root = replaced(root, container.path, replacement);
  }
  return root;
}

/** The list with the items not kept left out, each kept item's place in the file's list noted. */
function listView(list: ListNode, keep: (item: TreeNode) => boolean): ListNode {
  const positions = list.items.flatMap((item, index) => (keep(item) ? [index] : []));
  return {
    ...listNode(
      list.line,
      positions.map((index) => list.items[index]!),
    ),
    view: { positions, length: list.items.length },
  };
}

/** A copy of `tree` with the node at `path` replaced; only the maps on the way are copied. */
function replaced(tree: TreeNode, path: readonly string[], node: TreeNode): TreeNode {
  if (path.length === 0) return node;
  if (tree.kind !== "map") return tree;
  const [first, ...rest] = path;
  const child = tree.entries.get(first!);
  if (!child) return tree;
  const entries = new Map(tree.entries);
  entries.set(first!, replaced(child, rest, node));
  return mapNode(tree.line, entries);
}

/** An nginx server's names: its `server_name` values. */
function serverNames(unit: TreeNode): UnitKeys {
  const names = scalarAt(unit, "server_name");
  return { names: typeof names === "string" ? names.split(/\s+/) : [] };
}

/**
 * A Kubernetes object's name, its labels (under any `labels` key) and what its selectors take
 * (under any key ending in `selector` or `matchLabels`, and `labels` inside those; an expression
 * takes any value of its key, which is wider than it is and so keeps more, never less).
 */
function kubernetesKeys(unit: TreeNode): UnitKeys {
  const name = scalarAt(unit, "metadata", "name");
  const labels: string[] = [];
  const selectors: string[] = [];
  const pairs = (node: TreeNode, into: string[]): void => {
    if (node.kind === "map")
      for (const [key, value] of node.entries)
        if (value.kind === "scalar") into.push(`${key}=${String(value.value)}`);
  };
  const visit = (node: TreeNode, selecting: boolean): void => {
    if (node.kind === "list") node.items.forEach((item) => visit(item, selecting));
    if (node.kind !== "map") return;
    for (const [key, value] of node.entries) {
      if (key === "matchExpressions") {
        for (const term of value.kind === "list" ? value.items : [value]) {
          const on = scalarAt(term, "key");
          if (typeof on === "string") selectors.push(`${on}=*`);
        }
        continue;
      }
      const selector = selecting || /selector$/i.test(key) || key === "matchLabels";
      if (key === "labels" || selector) pairs(value, selector ? selectors : labels);
      visit(value, selector);
    }
  };
  visit(unit, false);
  return {
    names: typeof name === "string" || typeof name === "number" ? [String(name)] : [],
    labels,
    selectors,
  };
}
