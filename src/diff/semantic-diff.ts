import type { Dialect } from "../formats/dialect.js";
import { sameDuration } from "../formats/durations.js";
import {
  fingerprint,
  listNode,
  mapNode,
  scalarAt,
  toPlain,
  type ListNode,
  type MapNode,
  type Plain,
  type TreeNode,
} from "../formats/tree.js";
import { chooseIdentity } from "./identity.js";
import {
  orderedAt,
  sequenceAt,
  type ListPlace,
  type OrderedList,
  type OrderedListKind,
  type OrderedSequence,
} from "./ordered.js";
import { formatPath, item, key, type PathSegment } from "./path.js";

export type ChangeKind = "added" | "removed" | "modified";

/** One semantic change between two parsed versions of a file. */
export interface Change {
  readonly kind: ChangeKind;
  /** Dotted path with list items shown by identity: `spec.containers[name=web].image`. */
  readonly path: string;
  readonly segments: readonly PathSegment[];
  readonly before?: Plain;
  readonly after?: Plain;
  readonly beforeLine?: number;
  readonly afterLine?: number;
  /** Set when the change is a new evaluation order of an ordered list (`before` / `after`: labels in order). */
  readonly order?: OrderChange;
}

/** An item of an ordered list, by its label (identity, value, or `#n` for its position before the change). */
export interface OrderedItem {
  readonly label: string;
  readonly beforeLine: number;
  readonly afterLine: number;
  /** The item as it is after the change (what rules describe it by: a route's match, a filter's name). */
  readonly value: Plain;
}

/** What changed in the evaluation order of a list whose order is semantic (ordered.ts). */
export interface OrderChange {
  readonly list: OrderedListKind;
  /** The first kept item (in the new order) now ahead of one it used to follow, and that item. */
  readonly moved?: { readonly item: OrderedItem; readonly overtook: OrderedItem };
  /** Labels of new items placed ahead of kept ones, where an item's path does not show its position. */
  readonly insertedAhead: readonly string[];
  /** True for a sequence of directives of several names (nginx rewrite module): the change's path is their block. */
  readonly sequence?: true;
}

/**
 * Semantic diff of two trees: key order, formatting and comments never show; list items are
 * matched by identity (then by equal content, then by position), so a reorder is not a change,
 * except in lists the dialect evaluates in order (ordered.ts): there a new order is one `modified`
 * change at the list's path, `before` / `after` holding the items' labels in order, with `order`.
 * `null` on one side means the file was added or deleted: each top-level entry is reported.
 */
export function diffTrees(
  before: TreeNode | null,
  after: TreeNode | null,
  dialect: Dialect = "generic",
): Change[] {
  const changes: Change[] = [];
  if (before === null && after === null) return changes;
  const empty = (like: TreeNode): TreeNode => (like.kind === "list" ? listNode(1) : mapNode(1));
  const context: Context = { dialect, documentKind: undefined, out: changes, keys: [] };
  const root = after ?? before!;
  walk(before ?? empty(after!), after ?? empty(before!), [], inDocument(context, root));
  return changes;
}

interface Context {
  readonly dialect: Dialect;
  /** The `kind` of the document being walked (Kubernetes), which decides some lists' meaning. */
  readonly documentKind: string | undefined;
  readonly out: Change[];
  /**
   * The keys of the path being walked (list items left out), pushed and popped with the path's
   * segments: one stack for the whole walk, read (never kept) by ordered.ts.
   */
  readonly keys: string[];
}

function inDocument(context: Context, document: TreeNode): Context {
  const kind = scalarAt(document, "kind");
  return { ...context, documentKind: typeof kind === "string" ? kind : undefined };
}

/** Where a list or block sits, for ordered.ts: list items skipped from its path. */
function placeOf(context: Context): ListPlace {
  return { dialect: context.dialect, keys: context.keys, documentKind: context.documentKind };
}

/** The directives of a block that form a sequence, labelled `rewrite ^/a /b last`, `if ($bad)`, in line order. */
function sequenceOf(
  sequence: OrderedSequence,
  block: MapNode,
): { readonly label: string; readonly node: TreeNode }[] {
  const entries: { label: string; node: TreeNode }[] = [];
  for (const [name, value] of block.entries) {
    if (!sequence.directives.has(name)) continue;
    if (name === "if" && value.kind === "map") {
      for (const [condition, bodies] of value.entries)
        for (const body of bodies.kind === "list" ? bodies.items : [bodies])
          entries.push({ label: `if (${condition})`, node: body });
      continue;
    }
    for (const node of value.kind === "list" ? value.items : [value])
      entries.push({
        label:
          node.kind === "scalar" && node.value !== true ? `${name} ${String(node.value)}` : name,
        node,
      });
  }
  return entries.sort((a, b) => a.node.line - b.node.line);
}

/** How many items `sequenceOf` would list, counted up to `limit` without building them. */
function sequenceLength(sequence: OrderedSequence, block: MapNode, limit: number): number {
  let count = 0;
  for (const [name, value] of block.entries) {
    if (!sequence.directives.has(name)) continue;
    if (name === "if" && value.kind === "map")
      for (const bodies of value.entries.values())
        count += bodies.kind === "list" ? bodies.items.length : 1;
    else count += value.kind === "list" ? value.items.length : 1;
    if (count >= limit) return count;
  }
  return count;
}

function sequenceChange(
  sequence: OrderedSequence,
  segments: PathSegment[],
  before: MapNode,
  after: MapNode,
): Change | undefined {
  // No order to change: nothing before, or at most one item after (a move needs two kept items,
  // an insertion ahead a kept one after it). Most blocks: counted without building the items.
  if (sequenceLength(sequence, before, 1) === 0 || sequenceLength(sequence, after, 2) < 2)
    return undefined;
  const beforeItems = sequenceOf(sequence, before);
  const afterItems = sequenceOf(sequence, after);
  if (beforeItems.length === 0 || afterItems.length === 0) return undefined;
  const change = orderChange(sequence, segments, {
    before: beforeItems,
    after: afterItems,
    ...matchByLabel(
      beforeItems.map((entry) => entry.label),
      afterItems.map((entry) => entry.label),
    ),
    positionsShown: false,
    lines: [before.line, after.line],
  });
  return change?.order ? { ...change, order: { ...change.order, sequence: true } } : change;
}

/**
 * `segments` is the walk's one path stack: a child pushes its segment and pops it when walked,
 * and every change copies the path it names (added, removed, modified, orderChange).
 */
function walk(before: TreeNode, after: TreeNode, segments: PathSegment[], context: Context): void {
  // One tree on both sides (a YAML document the after side did not change, src/formats/yaml-pair.ts).
  if (before === after) return;
  const out = context.out;
  if (before.kind === "map" && after.kind === "map")
    return diffMaps(before, after, segments, context);
  if (before.kind === "list" || after.kind === "list") {
    // A block written once is a map and twice a list (HCL, nginx): compare as lists.
    if (before.kind !== "scalar" && after.kind !== "scalar") {
      return diffLists(asList(before), asList(after), segments, context);
    }
  }
  if (before.kind === "scalar" && after.kind === "scalar") {
    // The same duration written another way (`60s` and `1m`) is no change (docs/risk.md "Not high").
    if (
      before.value !== after.value &&
      !sameDuration(context.dialect, before.value, after.value, context.keys)
    )
      out.push(modified(segments, before, after));
    return;
  }
  if (fingerprint(before) !== fingerprint(after)) out.push(modified(segments, before, after));
}

/** The keys of a path, in order (list items left out): what a scalar is the value of. */
export function keysOf(segments: readonly PathSegment[]): string[] {
  return segments.flatMap((segment) => (segment.kind === "key" ? [segment.key] : []));
}

function asList(node: MapNode | ListNode): ListNode {
  return node.kind === "list" ? node : listNode(node.line, [node]);
}

function diffMaps(
  before: MapNode,
  after: MapNode,
  segments: PathSegment[],
  context: Context,
): void {
  const out = context.out;
  const place = placeOf(context);
  const ordered = orderedAt(place);
  if (ordered?.keys) {
    // The keys are the items (nginx `location ~ re`, `if (cond)`): only the chosen keys take part in the order.
    const beforeKeys = [...before.entries.keys()].filter(ordered.keys);
    const afterKeys = [...after.entries.keys()].filter(ordered.keys);
    const change = orderChange(ordered, segments, {
      before: beforeKeys.map((name) => ({ label: name, node: before.entries.get(name)! })),
      after: afterKeys.map((name) => ({ label: name, node: after.entries.get(name)! })),
      ...matchByLabel(beforeKeys, afterKeys),
      positionsShown: false,
      lines: [before.line, after.line],
    });
    if (change) out.push(change);
  }
  const sequence = sequenceAt(place);
  if (sequence) {
    const change = sequenceChange(sequence, segments, before, after);
    if (change) out.push(change);
  }
  for (const [name, beforeChild] of before.entries) {
    const afterChild = after.entries.get(name);
    if (afterChild === undefined) {
      out.push(removed([...segments, key(name)], beforeChild));
      continue;
    }
    segments.push(key(name));
    context.keys.push(name);
    walk(beforeChild, afterChild, segments, context);
    context.keys.pop();
    segments.pop();
  }
  for (const [name, afterChild] of after.entries) {
    if (!before.entries.has(name)) out.push(added([...segments, key(name)], afterChild));
  }
}

function diffLists(
  before: ListNode,
  after: ListNode,
  segments: PathSegment[],
  context: Context,
): void {
  const out = context.out;
  const ordered = orderedAt(placeOf(context));
  const itemContext = (node: TreeNode): Context =>
    segments.length === 0 ? inDocument(context, node) : context;
  const identity = chooseIdentity(before.items, after.items);
  if (identity) {
    const beforeById = new Map(before.items.map((node, index) => [identity.of(node)!, index]));
    if (ordered && !ordered.keys) {
      const label = (node: TreeNode): string => identity.label(identity.of(node)!);
      const change = orderChange(ordered, segments, {
        before: before.items.map((node) => ({ label: label(node), node })),
        after: after.items.map((node) => ({ label: label(node), node })),
        ...matchByLabel(before.items.map(label), after.items.map(label)),
        positionsShown: false,
        lines: [before.line, after.line],
      });
      if (change) out.push(change);
    }
    const afterIds = new Set<string>();
    for (const node of after.items) {
      const id = identity.of(node)!;
      afterIds.add(id);
      const previous = beforeById.get(id);
      if (previous === undefined) {
        out.push(added([...segments, item(identity.label(id))], node));
        continue;
      }
      const was = before.items[previous]!;
      const within = itemContext(node); // before the push: a document is an item of the root
      segments.push(item(identity.label(id)));
      walk(was, node, segments, within);
      segments.pop();
    }
    for (const [id, index] of beforeById) {
      if (!afterIds.has(id))
        out.push(removed([...segments, item(identity.label(id))], before.items[index]!));
    }
    return;
  }
  // No identity: equal items match wherever they moved; the rest pair up by position.
  const { pairs, added: leftoverAfter } = matchByLabel(
    before.items.map(fingerprint),
    after.items.map(fingerprint),
  );
  const matchedBefore = new Set(pairs.map((pair) => pair.before));
  const leftoverBefore = before.items.flatMap((_, index) =>
    matchedBefore.has(index) ? [] : [index],
  );
  const paired = Math.min(leftoverBefore.length, leftoverAfter.length);
  for (let i = 0; i < paired; i++)
    pairs.push({ before: leftoverBefore[i]!, after: leftoverAfter[i]! });
  if (ordered && !ordered.keys) {
    // Items without identity: a scalar is its own label; a map or list is named by its position before the change.
    const beforeOf = new Map(pairs.map((pair) => [pair.after, pair.before]));
    const label = (node: TreeNode, position: string): string =>
      node.kind === "scalar" ? String(node.value) : position;
    const change = orderChange(ordered, segments, {
      before: before.items.map((node, index) => ({ label: label(node, `#${index + 1}`), node })),
      after: after.items.map((node, index) => {
        const was = beforeOf.get(index);
        return { label: label(node, was === undefined ? "new" : `#${was + 1}`), node };
      }),
      pairs,
      added: leftoverAfter.slice(paired),
      positionsShown: true,
      lines: [before.line, after.line],
    });
    if (change) out.push(change);
  }
  for (let i = 0; i < paired; i++) {
    const afterIndex = leftoverAfter[i]!;
    const node = after.items[afterIndex]!;
    const within = itemContext(node);
    segments.push(item(String(afterIndex)));
    walk(before.items[leftoverBefore[i]!]!, node, segments, within);
    segments.pop();
  }
  for (const index of leftoverBefore.slice(paired))
    out.push(removed([...segments, item(String(index))], before.items[index]!));
  for (const index of leftoverAfter.slice(paired))
    out.push(added([...segments, item(String(index))], after.items[index]!));
}

/** A before item matched to an after item, by their indexes. */
interface Pair {
  readonly before: number;
  readonly after: number;
}

/**
 * Items matched by label, in order (the nth of a label to the nth of it): the pairs, and the
 * indexes of new items in the after list.
 */
function matchByLabel(
  before: readonly string[],
  after: readonly string[],
): { pairs: Pair[]; added: number[] } {
  const unmatched = new Map<string, number[]>();
  before.forEach((label, index) => {
    const indexes = unmatched.get(label);
    if (indexes) indexes.push(index);
    else unmatched.set(label, [index]);
  });
  const pairs: Pair[] = [];
  const added: number[] = [];
  after.forEach((label, index) => {
    const was = unmatched.get(label)?.shift();
    if (was === undefined) added.push(index);
    else pairs.push({ before: was, after: index });
  });
  return { pairs, added };
}

interface OrderInput {
  readonly before: readonly { readonly label: string; readonly node: TreeNode }[];
  readonly after: readonly { readonly label: string; readonly node: TreeNode }[];
  readonly pairs: readonly Pair[];
  /** Indexes of new items in the after list. */
  readonly added: readonly number[];
  /** True when an added item's path already shows its position (items without identity). */
  readonly positionsShown: boolean;
  readonly lines: readonly [number, number];
}

/**
 * The change of evaluation order, if any: a kept item now ahead of one it used to follow, or a new
 * item placed ahead of kept ones where its path does not show where it went (staleness compares
 * paths, so moving a new named route from last to first must still change the change set).
 */
function orderChange(
  ordered: OrderedList,
  segments: PathSegment[],
  input: OrderInput,
): Change | undefined {
  const groupOf = (index: number): string =>
    ordered.group ? ordered.group(input.after[index]!.node, input.after[index]!.label) : "";
  const groups = new Map<string, Pair[]>();
  for (const pair of input.pairs) {
    const group = groupOf(pair.after);
    groups.set(group, [...(groups.get(group) ?? []), pair]);
  }
  let moved: { item: Pair; overtook: Pair } | undefined;
  for (const pairs of groups.values()) {
    const byAfter = [...pairs].sort((a, b) => a.after - b.after);
    const byBefore = [...pairs].sort((a, b) => a.before - b.before);
    const at = byAfter.findIndex((pair, index) => pair !== byBefore[index]);
    if (at < 0) continue;
    if (!moved || byAfter[at]!.after < moved.item.after)
      moved = { item: byAfter[at]!, overtook: byBefore[at]! };
  }
  const insertedAhead = input.positionsShown
    ? []
    : input.added.filter((index) =>
        (groups.get(groupOf(index)) ?? []).some((pair) => pair.after > index),
      );
  if (!moved && insertedAhead.length === 0) return undefined;
  const itemOf = (pair: Pair): OrderedItem => ({
    label: input.after[pair.after]!.label,
    beforeLine: input.before[pair.before]!.node.line,
    afterLine: input.after[pair.after]!.node.line,
    value: toPlain(input.after[pair.after]!.node),
  });
  const afterLine = moved
    ? input.after[moved.item.after]!.node.line
    : input.after[insertedAhead[0]!]!.node.line;
  return {
    kind: "modified",
    path: formatPath(segments),
    segments: [...segments],
    before: input.before.map((entry) => entry.label),
    after: input.after.map((entry) => entry.label),
    beforeLine: moved ? input.before[moved.item.before]!.node.line : input.lines[0],
    afterLine,
    order: {
      list: ordered.kind,
      ...(moved ? { moved: { item: itemOf(moved.item), overtook: itemOf(moved.overtook) } } : {}),
      insertedAhead: insertedAhead.map((index) => input.after[index]!.label),
    },
  };
}

function added(segments: PathSegment[], node: TreeNode): Change {
  return {
    kind: "added",
    path: formatPath(segments),
    segments: [...segments],
    after: toPlain(node),
    afterLine: node.line,
  };
}

function removed(segments: PathSegment[], node: TreeNode): Change {
  return {
    kind: "removed",
    path: formatPath(segments),
    segments: [...segments],
    before: toPlain(node),
    beforeLine: node.line,
  };
}

function modified(segments: PathSegment[], before: TreeNode, after: TreeNode): Change {
  return {
    kind: "modified",
    path: formatPath(segments),
    segments: [...segments],
    before: toPlain(before),
    after: toPlain(after),
    beforeLine: before.line,
    afterLine: after.line,
  };
}
