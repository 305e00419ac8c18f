// The directives a change writes, rewrites or removes in a block: shared by the nginx rules that
// judge one directive where it is written (inherited values are read with `inheritedDirective`).
import { formatPath, key } from "../../../diff/path.js";
import type { ScalarNode } from "../../../formats/tree.js";
import type { FileUnderReview } from "../../types.js";
import { blockPairs, ownDirective, sameDirective, type ScopedBlock } from "./blocks.js";

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
  return blockPairs(file.before, file.after).flatMap(([blockBefore, blockAfter, fresh]) =>
    names.flatMap((name) => {
      const ownBefore = ownDirective(blockBefore?.body, name);
      const own = ownDirective(blockAfter.body, name);
      if (sameDirective(ownBefore, own)) return [];
      const path = formatPath([...blockAfter.path, key(name)]);
      return [{ before: blockBefore, after: blockAfter, fresh, name, ownBefore, own, path }];
    }),
  );
}
