// New evaluation orders of first-match lists, as the diff reports them (src/diff/ordered.ts), and what rules say
// about the items that moved.
import type { OrderedListKind } from "../../diff/ordered.js";
import type { PathSegment } from "../../diff/path.js";
import type { Change, OrderedItem } from "../../diff/semantic-diff.js";
import type { Plain } from "../../formats/tree.js";
import { showValueForMessage } from "../message.js";
import type { FileUnderReview } from "../types.js";

/** A kept item now ahead of one it used to follow, in a list of one of the given kinds. */
export interface Reorder {
  readonly list: OrderedListKind;
  readonly change: Change;
  /** The map keys leading to the list (list items left out): `["frontend", "web", "http-request"]`. */
  readonly keys: readonly string[];
  readonly moved: OrderedItem;
  readonly overtook: OrderedItem;
}

/** Every reorder of kept items in lists of the given kinds (new items placed first are not reorders). */
export function reordersOf(file: FileUnderReview, kinds: readonly OrderedListKind[]): Reorder[] {
  return file.changes.flatMap((change) => {
    const order = change.order;
    if (!order?.moved || !kinds.includes(order.list)) return [];
    return [
      {
        list: order.list,
        change,
        keys: keysOf(change.segments),
        moved: order.moved.item,
        overtook: order.moved.overtook,
      },
    ];
  });
}

/**
 * The labels of every kept item whose place changed against another kept item, in the new order:
 * a reorder names only the first item moved, but a rotation moves more than one pair.
 */
export function reorderedLabels(change: Change): string[] {
  const before = Array.isArray(change.before) ? change.before.map(String) : [];
  const after = Array.isArray(change.after) ? change.after.map(String) : [];
  const kept = after.filter(
    (label, index) => before.includes(label) && after.indexOf(label) === index,
  );
  const was = kept.map((label) => before.indexOf(label));
  return kept.filter((_, i) =>
    was.some((other, j) => (j < i && other > was[i]!) || (j > i && other < was[i]!)),
  );
}

function keysOf(segments: readonly PathSegment[]): string[] {
  return segments.flatMap((segment) => (segment.kind === "key" ? [segment.key] : []));
}

/** A map's field, or undefined. */
export function fieldOf(value: Plain | undefined, ...names: string[]): Plain | undefined {
  let current = value;
  for (const name of names) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return undefined;
    current = current[name];
  }
  return current;
}

/** An item quoted for a message (its description, else its label), on its line. */
export function quoteItem(
  item: OrderedItem,
  describe?: (value: Plain) => string | undefined,
): string {
  return `"${showValueForMessage(describe?.(item.value) ?? item.label)}" (line ${item.afterLine})`;
}
