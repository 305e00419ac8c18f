import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseSource } from "../src/formats/index.js";
import type { TreeNode } from "../src/formats/tree.js";
import type { Format } from "../src/formats/types.js";

/** Parses or fails the test with the parser's problems. */
export function tree(format: Format, source: string): TreeNode {
  const parsed = parseSource(format, source);
  if (!parsed.ok) throw new Error(`parse failed: ${JSON.stringify(parsed.problems)}`);
  return parsed.tree;
}

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));

export function example(path: string): string {
  return readFileSync(new URL(`../examples/${path}`, import.meta.url), "utf8");
}

/** The shared corpus beside the repository, when present (CI has it; a user's clone may not). */
export const corpusDir = fileURLToPath(new URL("../../shared/corpus/", import.meta.url));
export const hasCorpus = existsSync(corpusDir);
