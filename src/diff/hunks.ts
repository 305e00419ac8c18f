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

/**
 * The head-side line numbers (1-based) of the hunks' added lines: the lines the change wrote or
 * rewrote, not context and not removed ones (the lines a suggested fix may be offered on).
 */
export function addedLines(hunks: readonly Hunk[]): ReadonlySet<number> {
  const added = new Set<number>();
  for (const hunk of hunks) {
    let line = hunk.afterStart;
    for (const text of hunk.lines) {
      if (text.startsWith("-")) continue;
      if (text.startsWith("+")) added.add(line);
      line++;
    }
  }
  return added;
}
