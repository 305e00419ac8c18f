import { structuredPatch } from "diff";

/** A text hunk for display beside the semantic changes (never used to decide anything). */
export interface Hunk {
  readonly beforeStart: number;
  readonly beforeLines: number;
  readonly afterStart: number;
  readonly afterLines: number;
  /** Unified-diff lines: " context", "-removed", "+added". */
  readonly lines: readonly string[];
}

export function textHunks(before: string, after: string, context = 3): Hunk[] {
  const patch = structuredPatch("before", "after", before, after, undefined, undefined, {
    context,
  });
  return patch.hunks.map((hunk) => ({
    beforeStart: hunk.oldStart,
    beforeLines: hunk.oldLines,
    afterStart: hunk.newStart,
    afterLines: hunk.newLines,
    lines: hunk.lines.filter((line) => !line.startsWith("\\")),
  }));
}
