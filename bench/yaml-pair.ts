// Parsing both sides of the ~1 MB Kubernetes pair (bench/engine-fixtures.ts): each side whole with
// parseSource, against parseYamlPair, which parses the after side's changed documents only.
// `npx tsx bench/yaml-pair.ts` prints the figures alone.
import { fileURLToPath } from "node:url";
import { parseSource } from "../src/formats/index.js";
import { parseYamlPair } from "../src/formats/yaml-pair.js";
import { PAIRS } from "./engine-fixtures.js";

const WARMUPS = 2;
const RUNS = 7;

export interface YamlPairFigures {
  /** Median milliseconds to parse both sides with parseSource. */
  readonly bothMs: number;
  /** Median milliseconds for parseYamlPair on the same pair. */
  readonly pairMs: number;
  /** Size of the larger side, in bytes. */
  readonly bytes: number;
  /** After-side documents that reused a before-side tree. */
  readonly reusedDocuments: number;
}

function medianMs(run: () => unknown): number {
  for (let i = 0; i < WARMUPS; i++) run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Measures and prints one line; returns the figures. */
export function runYamlPairBench(): YamlPairFigures {
  const { before, after, path } = PAIRS.yaml();
  const pair = parseYamlPair(before, after, path);
  if (!pair) throw new Error("bench/yaml-pair: the fixture no longer takes the document-wise path");
  const bothMs = medianMs(() => [
    parseSource("yaml", before, path),
    parseSource("yaml", after, path),
  ]);
  const pairMs = medianMs(() => parseYamlPair(before, after, path));
  const figures = {
    bothMs,
    pairMs,
    bytes: Math.max(before.length, after.length),
    reusedDocuments: pair.reusedDocuments,
  };
  console.log(
    `yaml pair parse (${(figures.bytes / 1e6).toFixed(2)} MB per side, median of ${RUNS}): ` +
      `both sides whole ${bothMs.toFixed(0)} ms, parseYamlPair ${pairMs.toFixed(0)} ms ` +
      `(${figures.reusedDocuments} after-side documents reused)`,
  );
  return figures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) runYamlPairBench();
