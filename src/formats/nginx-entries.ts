// Collects the directives of one nginx block into a map node, grouping repeated names.
import { listNode, mapNode, type MapNode, type TreeNode } from "./tree.js";
import type { Problem } from "./types.js";

type Slot =
  | { readonly shape: "plain"; readonly line: number; readonly items: TreeNode[] }
  | { readonly shape: "keyed"; readonly line: number; readonly keys: Map<string, TreeNode[]> };

/** One block's entries: a name used once is a plain value, a repeated name a list in order. */
export class BlockEntries {
  private readonly slots = new Map<string, Slot>();
  readonly warnings: Problem[] = [];

  /** A simple directive or an argument-less block (`server {}`, `http {}`). */
  addPlain(name: string, node: TreeNode): string | undefined {
    const slot = this.slots.get(name);
    if (!slot) {
      this.slots.set(name, { shape: "plain", line: node.line, items: [node] });
      return undefined;
    }
    if (slot.shape !== "plain") return conflict(name, slot.line);
    slot.items.push(node);
    return undefined;
  }

  /** An entry keyed under its name (`location /api/ {}`, upstream `server 10.0.0.1:80 ...;`). */
  addKeyed(name: string, key: string, node: TreeNode): string | undefined {
    const slot = this.slots.get(name);
    if (!slot) {
      this.slots.set(name, { shape: "keyed", line: node.line, keys: new Map([[key, [node]]]) });
      return undefined;
    }
    if (slot.shape !== "keyed") return conflict(name, slot.line);
    const same = slot.keys.get(key);
    if (!same) {
      slot.keys.set(key, [node]);
      return undefined;
    }
    same.push(node);
    this.warnings.push({
      code: "parse.duplicate-key",
      message: `${name} "${key}" is defined more than once (first on line ${same[0]!.line})`,
      line: node.line,
    });
    return undefined;
  }

  build(line: number): MapNode {
    const entries = new Map<string, TreeNode>();
    for (const [name, slot] of this.slots) {
      if (slot.shape === "plain") {
        entries.set(name, single(slot.items, slot.line));
        continue;
      }
      const keyed = new Map<string, TreeNode>();
      for (const [key, nodes] of slot.keys) keyed.set(key, single(nodes, nodes[0]!.line));
      entries.set(name, mapNode(slot.line, keyed));
    }
    return mapNode(line, entries);
  }
}

function single(nodes: TreeNode[], line: number): TreeNode {
  return nodes.length === 1 ? nodes[0]! : listNode(line, nodes);
}

function conflict(name: string, firstLine: number): string {
  return `"${name}" is used here both with and without a key (first on line ${firstLine}), e.g. a server block next to an upstream server`;
}
