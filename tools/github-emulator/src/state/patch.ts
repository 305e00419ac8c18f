/** Unified-diff hunks in the form GitHub puts in a file's `patch` field. */
import { diffLines, structuredPatch } from "diff";

export interface FilePatch {
  patch: string;
  additions: number;
  deletions: number;
}

export function filePatch(before: string, after: string): FilePatch {
  const structured = structuredPatch("a", "b", before, after, undefined, undefined, { context: 3 });
  let additions = 0;
  let deletions = 0;
  const hunks = structured.hunks.map((h) => {
    for (const line of h.lines) {
      if (line.startsWith("+")) additions++;
      else if (line.startsWith("-")) deletions++;
    }
    const oldRange = h.oldLines === 1 ? `${h.oldStart}` : `${h.oldStart},${h.oldLines}`;
    const newRange = h.newLines === 1 ? `${h.newStart}` : `${h.newStart},${h.newLines}`;
    return [`@@ -${oldRange} +${newRange} @@`, ...h.lines].join("\n");
  });
  return { patch: hunks.join("\n"), additions, deletions };
}

/** Share of lines two texts have in common (0..1), for rename detection. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const total = Math.max(countLines(a), countLines(b));
  if (total === 0) return 1;
  let common = 0;
  for (const part of diffLines(a, b))
    if (!part.added && !part.removed) common += part.count ?? countLines(part.value);
  return common / total;
}

function countLines(text: string): number {
  if (text === "") return 0;
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}
