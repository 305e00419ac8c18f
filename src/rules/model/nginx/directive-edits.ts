// The directives a change writes, rewrites or removes in a block: shared by the nginx rules that
// judge one directive where it is written (inherited values are read with `inheritedDirective`).
import { formatPath, key } from "../../../diff/path.js";
import { entriesOf, type ScalarNode, type TreeNode } from "../../../formats/tree.js";
import type { FileUnderReview } from "../../types.js";
import { memoByPair } from "../memo.js";
import {
  blockPairs,
  type BlockPair,
  ownDirective,
  sameDirective,
  type ScopedBlock,
} from "./blocks.js";

export interface DirectiveEdit {
  /** The block before the change; for a new block, the nearest enclosing one that existed. */
  readonly before: ScopedBlock | undefined;
  readonly after: ScopedBlock;
  /** Whether the change adds the block. */
  readonly fresh: boolean;
  readonly name: string;
  /** The directive as written in the block before and after; undefined where it is not. */
  readonly ownBefore: ScalarNode | undefined;
  readonly own: ScalarNode | undefined;
  /** Tree path of the directive in the block after the change. */
  readonly path: string;
}

/** Each directive of `names` whose own value changes in a block, block by block in `names` order. */
export function directiveEdits(
  file: Pick<FileUnderReview, "before" | "after">,
  names: readonly string[],
): DirectiveEdit[] {
  return changedPairs(file.before, file.after).flatMap(({ pair, changed }) => {
    const [blockBefore, blockAfter, fresh] = pair;
    return names.flatMap((name) => {
      if (!changed.has(name)) return [];
      const ownBefore = ownDirective(blockBefore?.body, name);
      const own = ownDirective(blockAfter.body, name);
      const path = formatPath([...blockAfter.path, key(name)]);
      return [{ before: blockBefore, after: blockAfter, fresh, name, ownBefore, own, path }];
    });
  });
}

interface ChangedPair {
  readonly pair: BlockPair;
  /** The directives whose own value differs between the two blocks. */
  readonly changed: ReadonlySet<string>;
}

/**
 * The block pairs in which some directive's own value changes, with those directives: worked out once per pair of
 * trees, so that each rule asking for its directives reads only the blocks that changed. A directive written in
 * neither block is the same in both, so only the names written in one of them are compared.
 */
function changedPairs(before: TreeNode | null, after: TreeNode | null): readonly ChangedPair[] {
  return after ? changedOf(before, after) : [];
}

const changedOf = memoByPair((before: TreeNode | null, after: TreeNode): readonly ChangedPair[] =>
  blockPairs(before, after).flatMap((pair) => {
    const [blockBefore, blockAfter] = pair;
    const changed = new Set<string>();
    for (const body of [blockBefore?.body, blockAfter.body])
      for (const [name] of entriesOf(body))
        if (
          !changed.has(name) &&
          !sameDirective(ownDirective(blockBefore?.body, name), ownDirective(blockAfter.body, name))
        )
          changed.add(name);
    return changed.size > 0 ? [{ pair, changed }] : [];
  }),
);
