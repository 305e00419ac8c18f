import { diffArrays } from "diff";

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
  // The lines are cut once here and compared as whole strings (diffArrays): the same edit script
  // as the `diff` package's diffLines, without its tokenizer, which cost more than the comparison
  // on a 1 MB file (issue 15). The hunks are laid out as its structuredPatch lays them out.
  const changes = diffArrays(lineTokens(before), lineTokens(after));
  const hunks: Hunk[] = [];
  let open: { beforeStart: number; afterStart: number; lines: string[] } | undefined;
  let beforeLine = 1;
  let afterLine = 1;
  // One pass past the end closes the last hunk.
  for (let i = 0; i <= changes.length; i++) {
    const change = changes[i];
    const tokens = change?.value ?? [];
    if (change?.added || change?.removed) {
      if (!open) {
        const lead = context > 0 ? (changes[i - 1]?.value ?? []).slice(-context) : [];
        open = {
          beforeStart: beforeLine - lead.length,
          afterStart: afterLine - lead.length,
          lines: lead.map((token) => ` ${withoutNewline(token)}`),
        };
      }
      const sign = change.added ? "+" : "-";
      for (const token of tokens) open.lines.push(sign + withoutNewline(token));
      if (change.added) afterLine += tokens.length;
      else beforeLine += tokens.length;
      continue;
    }
    if (open) {
      // A short run of equal lines between two changes joins them into one hunk.
      const joins = tokens.length <= context * 2 && i < changes.length - 1;
      const shown = joins ? tokens.length : Math.min(tokens.length, context);
      for (const token of tokens.slice(0, shown)) open.lines.push(` ${withoutNewline(token)}`);
      if (!joins) {
        hunks.push({
          beforeStart: open.beforeStart,
          beforeLines: beforeLine - open.beforeStart + shown,
          afterStart: open.afterStart,
          afterLines: afterLine - open.afterStart + shown,
          lines: open.lines,
        });
        open = undefined;
      }
    }
    beforeLine += tokens.length;
    afterLine += tokens.length;
  }
  return hunks;
}

/** A text's lines, each with its line end (`\n` or `\r\n`); the last one without, when the text has none. */
function lineTokens(text: string): string[] {
  const tokens: string[] = [];
  let start = 0;
  for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
    tokens.push(text.slice(start, end + 1));
    start = end + 1;
  }
  if (start < text.length) tokens.push(text.slice(start));
  return tokens;
}

const withoutNewline = (token: string): string =>
  token.endsWith("\n") ? token.slice(0, -1) : token;

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
