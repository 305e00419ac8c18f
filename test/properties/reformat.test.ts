// Property tests of the parsers and the semantic diff: a config written in two styles (indentation, comments,
// key and directive order, flow/block, alignment, CRLF...) parses to trees with no difference (and, where the
// generator knows the documented tree shape, to the generated values themselves); changing one
// scalar gives exactly one change at that scalar's path; no parser throws on junk or damaged configs.
// Seeded (SEED), so a failure reproduces; the number of cases run per format is printed.
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { diffTrees, type Change } from "../../src/diff/semantic-diff.js";
import { parseSource } from "../../src/formats/index.js";
import type { TreeNode } from "../../src/formats/tree.js";
import type { Format } from "../../src/formats/types.js";
import type { ConfigGenerator } from "./generators/common.js";
import { haproxyGenerator } from "./generators/haproxy.js";
import { hclGenerator } from "./generators/hcl.js";
import { jsonGenerator } from "./generators/json.js";
import { nginxGenerator } from "./generators/nginx.js";
import { tomlGenerator } from "./generators/toml.js";
import { yamlGenerator } from "./generators/yaml.js";

// PROPERTY_SEED and PROPERTY_SCALE (a run multiplier) explore further; CI runs the fixed seed.
const SEED = Number(process.env.PROPERTY_SEED ?? 42);
const SCALE = Number(process.env.PROPERTY_SCALE ?? 1);
const RUNS = { reformat: 200, change: 200, junk: 300, damaged: 200 } as const;
const settings = (numRuns: number): fc.Parameters<unknown> => ({
  seed: SEED,
  numRuns: Math.round(numRuns * SCALE),
});

/** Cases run per property, plus how many changed-scalar cases had no scalar to change and how many
 * junk or damaged texts still parsed (the rest were reported as problems). */
type Tally = Record<keyof typeof RUNS | "noScalar" | "junkParsed" | "damagedParsed", number>;
const tallies = new Map<string, Tally>();

afterAll(() => {
  console.log(`property runs per format (seed ${SEED}):`);
  console.table(Object.fromEntries(tallies));
});

function parsed(format: Format, text: string, what: string): TreeNode {
  const result = parseSource(format, text);
  if (!result.ok) {
    throw new Error(
      `${what} does not parse as ${format}: ${JSON.stringify(result.problems)}\n----\n${text}----`,
    );
  }
  return result.tree;
}

const pathOf = (change: Change): string[] =>
  change.segments.map((segment) => (segment.kind === "key" ? segment.key : `[${segment.label}]`));

function explain(changes: readonly Change[], textA: string, textB: string): string {
  return `${JSON.stringify(changes, null, 1)}\n---- style A\n${textA}---- style B\n${textB}----`;
}

/** Random insertions and deletions, each at a position given as a fraction of the text. */
const edits = (noise: string): fc.Arbitrary<{ at: number; insert: string; remove: number }[]> =>
  fc.array(
    fc.record({
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      insert: fc.oneof(fc.constant(""), fc.constantFrom(...noise), fc.string({ maxLength: 3 })),
      remove: fc.integer({ min: 0, max: 3 }),
    }),
    { minLength: 1, maxLength: 6 },
  );

function damage(text: string, changes: { at: number; insert: string; remove: number }[]): string {
  let out = text;
  for (const { at, insert, remove } of changes) {
    const position = Math.floor(at * out.length);
    out = out.slice(0, position) + insert + out.slice(position + remove);
  }
  return out;
}

/** Parses without throwing; a tree diffs empty against itself, problems have a code and a line. */
function expectWellFormed(format: Format, text: string): boolean {
  let result;
  try {
    result = parseSource(format, text);
  } catch (error) {
    throw new Error(`parseSource("${format}") threw on ${JSON.stringify(text)}`, { cause: error });
  }
  if (result.ok) {
    expect(diffTrees(result.tree, result.tree)).toEqual([]);
    return true;
  }
  for (const problem of result.problems) {
    expect(problem.code).toMatch(/^(parse|file)\./);
    expect(problem.line).toBeGreaterThanOrEqual(1);
  }
  return false;
}

function properties<Config, Style>(generator: ConfigGenerator<Config, Style>): void {
  const { format } = generator;
  const tally: Tally = {
    reformat: 0,
    change: 0,
    noScalar: 0,
    junk: 0,
    junkParsed: 0,
    damaged: 0,
    damagedParsed: 0,
  };
  tallies.set(format, tally);

  describe(format, () => {
    afterAll(() => console.log(`${format}: ${JSON.stringify(tally)} cases run`));

    it("reads a config written in two styles as the same tree", () => {
      fc.assert(
        fc.property(generator.config, generator.style, generator.style, (config, a, b) => {
          tally.reformat++;
          const textA = generator.serialize(config, a);
          const textB = generator.serialize(config, b);
          const treeA = parsed(format, textA, "style A");
          const treeB = parsed(format, textB, "style B");
          expect(diffTrees(treeA, treeA)).toEqual([]);
          const changes = diffTrees(treeA, treeB);
          if (changes.length > 0)
            throw new Error(`styles differ:\n${explain(changes, textA, textB)}`);
          // The generated values themselves, typed as the format's documented tree shape says.
          const misread = generator.expected ? diffTrees(generator.expected(config), treeA) : [];
          if (misread.length > 0)
            throw new Error(
              `tree differs from the generated config:\n${explain(misread, textA, "")}`,
            );
        }),
        settings(RUNS.reformat),
      );
    });

    it("reports one changed scalar as exactly one change at its path", () => {
      fc.assert(
        fc.property(
          generator.config,
          generator.style,
          generator.style,
          fc.nat(),
          (config, a, b, choice) => {
            tally.change++;
            const count = generator.leaves(config).length;
            if (count === 0) return void tally.noScalar++;
            // A JSON copy, not structuredClone: generated values may share objects (fc.constant), and one
            // change must land in one place.
            const after = JSON.parse(JSON.stringify(config)) as Config;
            const leaf = generator.leaves(after)[choice % count]!;
            leaf.change();
            const textA = generator.serialize(config, a);
            const textB = generator.serialize(after, b);
            const changes = diffTrees(
              parsed(format, textA, "before"),
              parsed(format, textB, "after"),
            );
            const ok =
              changes.length === 1 &&
              changes[0]!.kind === "modified" &&
              JSON.stringify(pathOf(changes[0]!)) === JSON.stringify(leaf.path);
            if (!ok) {
              throw new Error(
                `expected one change at ${JSON.stringify(leaf.path)}, got:\n${explain(changes, textA, textB)}`,
              );
            }
          },
        ),
        settings(RUNS.change),
      );
    });

    it("never throws on arbitrary text", () => {
      const punctuation = fc.string({
        unit: fc.constantFrom(...`${generator.noise}abc019 \t\n\r#;{}"'$%`),
        maxLength: 200,
      });
      fc.assert(
        fc.property(
          fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), punctuation),
          (text) => {
            tally.junk++;
            if (expectWellFormed(format, text)) tally.junkParsed++;
          },
        ),
        settings(RUNS.junk),
      );
    });

    it("never throws on a damaged config", () => {
      fc.assert(
        fc.property(
          generator.config,
          generator.style,
          edits(generator.noise),
          (config, style, changes) => {
            tally.damaged++;
            const text = damage(generator.serialize(config, style), changes);
            if (expectWellFormed(format, text)) tally.damagedParsed++;
          },
        ),
        settings(RUNS.damaged),
      );
    });
  });
}

properties(jsonGenerator);
properties(yamlGenerator);
properties(tomlGenerator);
properties(hclGenerator);
properties(nginxGenerator);
properties(haproxyGenerator);
