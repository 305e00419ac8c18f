import {
  fingerprint,
  listNode,
  mapNode,
  toPlain,
  type ListNode,
  type MapNode,
  type Plain,
  type TreeNode,
} from "../formats/tree.js";
import { chooseIdentity } from "./identity.js";
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
}

/**
 * Semantic diff of two trees: key order, formatting and comments never show; list items are
 * matched by identity (then by equal content, then by position), so a reorder is not a change.
 * `null` on one side means the file was added or deleted: each top-level entry is reported.
 */
export function diffTrees(before: TreeNode | null, after: TreeNode | null): Change[] {
  const changes: Change[] = [];
  if (before === null && after === null) return changes;
  const empty = (like: TreeNode): TreeNode => (like.kind === "list" ? listNode(1) : mapNode(1));
  walk(before ?? empty(after!), after ?? empty(before!), [], changes);
  return changes;
}

function walk(before: TreeNode, after: TreeNode, segments: PathSegment[], out: Change[]): void {
  if (before.kind === "map" && after.kind === "map") return diffMaps(before, after, segments, out);
  if (before.kind === "list" || after.kind === "list") {
    // A block written once is a map and twice a list (HCL, nginx): compare as lists.
    if (before.kind !== "scalar" && after.kind !== "scalar") {
      return diffLists(asList(before), asList(after), segments, out);
    }
  }
  if (before.kind === "scalar" && after.kind === "scalar") {
    if (before.value !== after.value) out.push(modified(segments, before, after));
    return;
  }
  if (fingerprint(before) !== fingerprint(after)) out.push(modified(segments, before, after));
}

function asList(node: MapNode | ListNode): ListNode {
  return node.kind === "list" ? node : listNode(node.line, [node]);
}

function diffMaps(before: MapNode, after: MapNode, segments: PathSegment[], out: Change[]): void {
  for (const [name, beforeChild] of before.entries) {
    const afterChild = after.entries.get(name);
    const path = [...segments, key(name)];
    if (afterChild === undefined) out.push(removed(path, beforeChild));
    else walk(beforeChild, afterChild, path, out);
  }
  for (const [name, afterChild] of after.entries) {
    if (!before.entries.has(name)) out.push(added([...segments, key(name)], afterChild));
  }
}

function diffLists(
  before: ListNode,
  after: ListNode,
  segments: PathSegment[],
  out: Change[],
): void {
  const identity = chooseIdentity(before.items, after.items);
  if (identity) {
    const beforeById = new Map(before.items.map((node) => [identity.of(node)!, node]));
    const afterIds = new Set<string>();
    for (const node of after.items) {
      const id = identity.of(node)!;
      afterIds.add(id);
      const path = [...segments, item(identity.label(id))];
      const previous = beforeById.get(id);
      if (previous) walk(previous, node, path, out);
      else out.push(added(path, node));
    }
    for (const [id, node] of beforeById) {
      if (!afterIds.has(id)) out.push(removed([...segments, item(identity.label(id))], node));
    }
    return;
  }
  // No identity: equal items match wherever they moved; the rest pair up by position.
  const unmatchedBefore = new Map<string, number[]>();
  before.items.forEach((node, index) => {
    const print = fingerprint(node);
    unmatchedBefore.set(print, [...(unmatchedBefore.get(print) ?? []), index]);
  });
  const leftoverAfter: number[] = [];
  after.items.forEach((node, index) => {
    const candidates = unmatchedBefore.get(fingerprint(node));
    if (candidates && candidates.length > 0) candidates.shift();
    else leftoverAfter.push(index);
  });
  const leftoverBefore = [...unmatchedBefore.values()].flat().sort((a, b) => a - b);
  const paired = Math.min(leftoverBefore.length, leftoverAfter.length);
  for (let i = 0; i < paired; i++) {
    const afterIndex = leftoverAfter[i]!;
    walk(
      before.items[leftoverBefore[i]!]!,
      after.items[afterIndex]!,
      [...segments, item(String(afterIndex))],
      out,
    );
  }
  for (const index of leftoverBefore.slice(paired))
    out.push(removed([...segments, item(String(index))], before.items[index]!));
  for (const index of leftoverAfter.slice(paired))
    out.push(added([...segments, item(String(index))], after.items[index]!));
}

function added(segments: PathSegment[], node: TreeNode): Change {
  return {
    kind: "added",
    path: formatPath(segments),
    segments,
    after: toPlain(node),
    afterLine: node.line,
  };
}

function removed(segments: PathSegment[], node: TreeNode): Change {
  return {
    kind: "removed",
    path: formatPath(segments),
    segments,
    before: toPlain(node),
    beforeLine: node.line,
  };
}

function modified(segments: PathSegment[], before: TreeNode, after: TreeNode): Change {
  return {
    kind: "modified",
    path: formatPath(segments),
    segments,
    before: toPlain(before),
    after: toPlain(after),
    beforeLine: before.line,
    afterLine: after.line,
  };
}
