// Both sides of a change to a large multi-document YAML file (a Kubernetes manifest of hundreds of
// objects), the after side parsed only where it differs: the documents it shares byte for byte with
// the before side reuse the before side's trees. An optimisation only: each side is what
// parseSource would return for it.
import { assertNever } from "../shared/assert-never.js";
import { parseSource, readsAsTemplateFirst, type ParsedSide } from "./index.js";
import { MAX_ALIAS_NODES, MAX_NODES } from "./limits.js";
import { listNode, mapNode, type TreeNode } from "./tree.js";
import { documentsTree, readYamlDocuments } from "./yaml.js";

/** When the document-wise reading is worth its bookkeeping. */
export interface YamlPairThresholds {
  /** Both sides at least this many characters (small files parse fast whole). */
  readonly minLength: number;
  /** Both sides cut into at least this many documents. */
  readonly minDocuments: number;
}

export const YAML_PAIR_THRESHOLDS: YamlPairThresholds = { minLength: 64 * 1024, minDocuments: 8 };

export interface ParsedYamlPair {
  readonly before: ParsedSide;
  readonly after: ParsedSide;
  /** After-side documents whose tree came from the before side (0 when a side was parsed whole). */
  readonly reusedDocuments: number;
}

/**
 * Parses both sides of a YAML file, the after side's unchanged documents not at all. Undefined
 * when the texts rule that out (too small, too few documents, too many changed, anything the
 * document cut is not sure of: directives, template actions parseSource reads first, CR line ends, a BOM past the start); the
 * caller then parses both sides with parseSource. Once parsing has begun, a side the document-wise
 * reading cannot vouch for (a problem, a warning, a limit half reached) is parsed whole instead.
 */
export function parseYamlPair(
  before: string,
  after: string,
  path?: string,
  thresholds: YamlPairThresholds = YAML_PAIR_THRESHOLDS,
): ParsedYamlPair | undefined {
  const beforeChunks = documentChunks(before, thresholds);
  const afterChunks = documentChunks(after, thresholds);
  if (!beforeChunks || !afterChunks) return undefined;
  const byText = chunksByText(beforeChunks);
  const sources = afterChunks.map((chunk) => reusableSource(chunk, beforeChunks, byText));
  const changed = sources.filter((source) => source === undefined).length;
  if (changed * 2 > afterChunks.length) return undefined;

  const whole = (): ParsedYamlPair => ({
    before: parseSource("yaml", before, path),
    after: parseSource("yaml", after, path),
    reusedDocuments: 0,
  });
  const beforeRead = beforeChunks.map((chunk) => readChunk(chunk));
  if (!beforeRead.every(isRead)) return whole();
  const beforeSide = assembled(beforeRead);
  if (!beforeSide) return whole();

  const afterRead = afterChunks.map((chunk, index) => {
    const source = sources[index];
    if (source === undefined) return readChunk(chunk);
    const reused = beforeRead[source]!;
    const from = beforeChunks[source]!.firstLine;
    const delta = chunk.firstLine - from;
    return delta === 0
      ? reused
      : { ...reused, roots: reused.roots.map((root) => shifted(root, delta, from)) };
  });
  const afterSide = afterRead.every(isRead) ? assembled(afterRead) : undefined;
  if (!afterSide)
    return { before: beforeSide, after: parseSource("yaml", after, path), reusedDocuments: 0 };
  return {
    before: beforeSide,
    after: afterSide,
    reusedDocuments: sources.length - changed,
  };
}

/** A run of lines holding at most one document, where it starts in its file. */
interface Chunk {
  readonly text: string;
  readonly firstLine: number;
}

interface ChunkRead {
  readonly roots: TreeNode[];
  readonly nodes: number;
  readonly aliasNodes: number;
}

/** A document marker at column 0 (YAML 1.2 §9.1.2, https://yaml.org/spec/1.2.2/#912-document-markers). */
const MARKER = /^(?:---|\.\.\.)(?=[ \t\n]|$)/gm;

/**
 * The text cut before every `---` line and after every `...` line; undefined when the cut could
 * differ from the parser's (directives, CR, a BOM past the start, an unquoted template action) or the file is
 * below the thresholds.
 */
function documentChunks(source: string, thresholds: YamlPairThresholds): Chunk[] | undefined {
  if (source.length < thresholds.minLength) return undefined;
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  // A template action elsewhere (`"{{ $labels.pod }}"` in a quoted string) is plain YAML text; a
  // side that fails to parse is parsed whole, where parseSource's other template reading happens.
  if (
    text.includes("\r") ||
    text.includes("\ufeff") ||
    readsAsTemplateFirst(source) ||
    /^%/m.test(text)
  )
    return undefined;
  const cuts: number[] = [];
  for (const match of text.matchAll(MARKER)) {
    if (match[0] === "---") cuts.push(match.index);
    else {
      const end = text.indexOf("\n", match.index);
      cuts.push(end === -1 ? text.length : end + 1);
    }
  }
  cuts.push(text.length);
  const chunks: Chunk[] = [];
  let start = 0;
  let line = 1;
  for (const cut of cuts) {
    if (cut <= start) continue;
    const chunkText = text.slice(start, cut);
    chunks.push({ text: chunkText, firstLine: line });
    line += newlines(chunkText);
    start = cut;
  }
  return chunks.length >= thresholds.minDocuments ? chunks : undefined;
}

function newlines(text: string): number {
  let count = 0;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) count++;
  return count;
}

/**
 * The before-side chunk whose trees `chunk` can take: the same text, on the same line if there is
 * one. A tree moved off line 1 cannot be shifted (a node the parser gives no position is on line 1
 * too), so a chunk that started the file is reused only in place.
 */
function reusableSource(
  chunk: Chunk,
  beforeChunks: readonly Chunk[],
  byText: ReadonlyMap<string, number[]>,
): number | undefined {
  const same = byText.get(chunk.text) ?? [];
  return (
    same.find((index) => beforeChunks[index]!.firstLine === chunk.firstLine) ??
    same.find((index) => beforeChunks[index]!.firstLine !== 1)
  );
}

function chunksByText(chunks: readonly Chunk[]): Map<string, number[]> {
  const byText = new Map<string, number[]>();
  for (const [index, chunk] of chunks.entries()) {
    const same = byText.get(chunk.text);
    if (same) same.push(index);
    else byText.set(chunk.text, [index]);
  }
  return byText;
}

function readChunk(chunk: Chunk): ChunkRead | undefined {
  const read = readYamlDocuments(chunk.text, chunk.firstLine);
  // A warning, a problem or a re-read quote may read differently in the whole file: parse it whole.
  if (!read.ok || read.warnings.length > 0 || read.continued) return undefined;
  return read;
}

function isRead(read: ChunkRead | undefined): read is ChunkRead {
  return read !== undefined;
}

/**
 * One side from its chunks' trees, as parseSource gives it; undefined when the limits are half
 * reached (counted over the whole file there) or fewer than two documents hold a value (the tree
 * would then depend on how many empty documents the cut saw).
 */
function assembled(reads: readonly ChunkRead[]): ParsedSide | undefined {
  const roots = reads.flatMap((read) => read.roots);
  const nodes = reads.reduce((sum, read) => sum + read.nodes, 0);
  const aliasNodes = reads.reduce((sum, read) => sum + read.aliasNodes, 0);
  if (nodes * 2 > MAX_NODES || aliasNodes * 2 > MAX_ALIAS_NODES) return undefined;
  const valued = roots.filter((root) => !(root.kind === "scalar" && root.value === null));
  if (valued.length < 2) return undefined;
  return { ok: true, tree: documentsTree(roots), format: "yaml", template: false, warnings: [] };
}

/** A copy of `node` with every line from `from` on moved by `delta` (line 1 stays: see reusableSource). */
function shifted(node: TreeNode, delta: number, from: number): TreeNode {
  const line = node.line >= from ? node.line + delta : node.line;
  switch (node.kind) {
    case "scalar":
      return { ...node, line };
    case "list":
      return listNode(
        line,
        node.items.map((item) => shifted(item, delta, from)),
      );
    case "map":
      return mapNode(
        line,
        new Map([...node.entries].map(([key, value]) => [key, shifted(value, delta, from)])),
      );
    default:
      return assertNever(node);
  }
}
