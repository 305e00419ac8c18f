// textHunks lays out the same hunks as the `diff` package's structuredPatch (which it replaced for
// speed, issue 15): on generated edits of every shape and, when present, on the shared corpus.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { structuredPatch } from "diff";
import { describe, expect, it } from "vitest";
import { textHunks } from "../../src/diff/hunks.js";
import { corpusDir, hasCorpus } from "../helpers.js";

/** What structuredPatch says, in textHunks' shape. */
function reference(before: string, after: string, context = 3): unknown {
  return structuredPatch("before", "after", before, after, undefined, undefined, {
    context,
  }).hunks.map((hunk) => ({
    beforeStart: hunk.oldStart,
    beforeLines: hunk.oldLines,
    afterStart: hunk.newStart,
    afterLines: hunk.newLines,
    lines: hunk.lines.filter((line) => !line.startsWith("\\")),
  }));
}

/** A small deterministic generator (mulberry32), so a failure names its seed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function edited(seed: number): { before: string; after: string } {
  const next = random(seed);
  const pick = (n: number): number => Math.floor(next() * n);
  const words = ["a", "b", "server s1 10.0.0.1:80", "", "  timeout 5s", "}", "x y"];
  const lines = Array.from({ length: pick(40) }, () => words[pick(words.length)]!);
  const after = [...lines];
  for (let edits = pick(6); edits > 0; edits--) {
    const at = pick(after.length + 1);
    const kind = pick(3);
    if (kind === 0) after.splice(at, 0, words[pick(words.length)]!);
    else if (kind === 1) after.splice(at, 1);
    else after[at] = `changed ${pick(5)}`;
  }
  const end = ["", "\n", "\r\n"];
  const eol = next() < 0.2 ? "\r\n" : "\n";
  return {
    before: lines.join(eol) + end[pick(3)]!,
    after: after.join(eol) + end[pick(3)]!,
  };
}

describe("textHunks", () => {
  it("lays out what structuredPatch lays out, on 3,000 generated edits and three contexts", () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const { before, after } = edited(seed);
      const context = seed % 3 === 0 ? 0 : seed % 3 === 1 ? 3 : 1;
      expect(textHunks(before, after, context), `seed ${seed}`).toEqual(
        reference(before, after, context),
      );
    }
  });

  it("shows an added, a removed and an emptied file", () => {
    expect(textHunks("", "a\nb\n")).toEqual(reference("", "a\nb\n"));
    expect(textHunks("a\nb", "")).toEqual(reference("a\nb", ""));
    expect(textHunks("a\n", "a\n")).toEqual([]);
    expect(textHunks("a\nb\n", "a\nc\n")).toEqual([
      { beforeStart: 1, beforeLines: 2, afterStart: 1, afterLines: 2, lines: [" a", "-b", "+c"] },
    ]);
  });

  it.skipIf(!hasCorpus)(
    "lays out what structuredPatch lays out on every change of the shared corpus",
    () => {
      let compared = 0;
      for (const folder of readdirSync(corpusDir)) {
        if (!statSync(join(corpusDir, folder)).isDirectory()) continue;
        for (const change of readdirSync(join(corpusDir, folder))) {
          const dir = join(corpusDir, folder, change);
          if (!statSync(dir).isDirectory()) continue;
          const entries = readdirSync(dir);
          const side = (prefix: string): string => {
            const file = entries.find((entry) => entry.startsWith(prefix));
            return file ? readFileSync(join(dir, file), "utf8") : "";
          };
          const before = side("before.");
          const after = side("after.");
          expect(textHunks(before, after), `${folder}/${change}`).toEqual(reference(before, after));
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(100);
    },
  );
});
