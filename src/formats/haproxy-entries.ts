// Collects the keyword lines of one HAProxy section into a map node.
import { listNode, mapNode, type MapNode, type TreeNode } from "./tree.js";

/** How a repeated key inside a keyed entry is kept. */
export type RepeatRule = "list" | "last";

type Slot =
  | {
      readonly shape: "items";
      readonly line: number;
      readonly items: TreeNode[];
      readonly alwaysList: boolean;
    }
  | {
      readonly shape: "keyed";
      readonly line: number;
      readonly keys: Map<string, TreeNode[]>;
      readonly repeat: RepeatRule;
    };

export class SectionEntries {
  private readonly slots = new Map<string, Slot>();

  /** A keyword value; repeated → list in order (`alwaysList`: a list even when it occurs once). */
  addItem(keyword: string, node: TreeNode, alwaysList = false): boolean {
    const slot = this.slots.get(keyword);
    if (!slot) {
      this.slots.set(keyword, { shape: "items", line: node.line, items: [node], alwaysList });
      return true;
    }
    if (slot.shape !== "items") return false;
    slot.items.push(node);
    return true;
  }

  /** Creates an empty keyed entry (a `default-server` line without parameters). */
  touchKeyed(keyword: string, line: number, repeat: RepeatRule): boolean {
    const slot = this.slots.get(keyword);
    if (!slot) this.slots.set(keyword, { shape: "keyed", line, keys: new Map(), repeat });
    return !slot || slot.shape === "keyed";
  }

  /**
   * A value under keyword → key (`timeout server`, `server web1`, `acl is_api`).
   * Returns false when the keyword already holds plain values; the first line of the key when it repeats; true otherwise.
   */
  addKeyed(keyword: string, key: string, node: TreeNode, repeat: RepeatRule): boolean | number {
    if (!this.touchKeyed(keyword, node.line, repeat)) return false;
    const slot = this.slots.get(keyword) as Extract<Slot, { shape: "keyed" }>;
    const same = slot.keys.get(key);
    if (!same) {
      slot.keys.set(key, [node]);
      return true;
    }
    if (slot.repeat === "last") same.splice(0, same.length, node);
    else same.push(node);
    return same[0] === node ? true : same[0]!.line;
  }

  build(line: number): MapNode {
    const entries = new Map<string, TreeNode>();
    for (const [keyword, slot] of this.slots) {
      if (slot.shape === "items") {
        entries.set(
          keyword,
          slot.items.length === 1 && !slot.alwaysList
            ? slot.items[0]!
            : listNode(slot.line, slot.items),
        );
        continue;
      }
      const keyed = new Map<string, TreeNode>();
      for (const [key, nodes] of slot.keys)
        keyed.set(key, nodes.length === 1 ? nodes[0]! : listNode(nodes[0]!.line, nodes));
      entries.set(keyword, mapNode(slot.line, keyed));
    }
    return mapNode(line, entries);
  }
}
