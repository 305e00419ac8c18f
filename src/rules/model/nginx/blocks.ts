// The blocks of a parsed nginx tree (`http`, `server`, `location`, `upstream` ...) with their tree paths, and the
// directives in force in each: a block's own, else the enclosing block's (nginx "Configuration file structure").
// Blocks sit under `http`, under `stream` (its own namespace of upstream names) or at the top of a fragment that
// is included into one of them.
import { formatPath, item, key, type PathSegment } from "../../../diff/path.js";
import {
  child,
  entriesOf,
  itemsOf,
  type ScalarNode,
  type TreeNode,
} from "../../../formats/tree.js";
import { memoByNode, memoByPair } from "../memo.js";

/** One block (`location`, `server`, `upstream` ...) with its tree path. */
export interface NginxBlock {
  readonly body: TreeNode;
  readonly path: readonly PathSegment[];
  /** Inside `stream { }`, whose upstream names are separate from http's. */
  readonly stream: boolean;
}

// Table bodies (map, geo ...) hold data keyed by arbitrary words, never directives.
const TABLE_BLOCKS = new Set(["map", "geo", "split_clients", "types", "charset_map"]);
// Blocks that hold directives and carry arguments, which the parser keys them by (`location /api/`).
const KEYED_BLOCKS = new Set(["location", "if", "limit_except", "match"]);

/** Every block of the file in document order, the file itself first; extracted once per tree. */
export const nginxBlocks = memoByNode((tree: TreeNode): NginxBlock[] => extractNginxBlocks(tree));

function extractNginxBlocks(tree: TreeNode): NginxBlock[] {
  const out: NginxBlock[] = [];
  const visit = (body: TreeNode, path: PathSegment[], stream: boolean): void => {
    out.push({ body, path, stream });
    for (const [name, value] of entriesOf(body)) {
      if (TABLE_BLOCKS.has(name) || name === "upstream") continue;
      const inStream = stream || name === "stream";
      const items = itemsOf(value);
      // A unit view's list names its items by their place in the file (src/engine/units.ts).
      const view = value.kind === "list" ? value.view : undefined;
      items.forEach((node, index) => {
        const here =
          (view?.length ?? items.length) > 1
            ? [...path, key(name), item(String(view?.positions[index] ?? index))]
            : [...path, key(name)];
        if (node.kind !== "map") return;
        // Blocks with arguments are keyed by them (`location /api/` → location → "/api/" → body).
        if (KEYED_BLOCKS.has(name)) {
          for (const [argument, inner] of entriesOf(node)) {
            const bodies = itemsOf(inner);
            bodies.forEach((innerBody, innerIndex) =>
              visit(
                innerBody,
                bodies.length > 1
                  ? [...here, key(argument), item(String(innerIndex))]
                  : [...here, key(argument)],
                inStream,
              ),
            );
          }
        } else visit(node, here, inStream);
      });
    }
  };
  visit(tree, [], false);
  return out;
}

/** One block with the blocks that enclose it, nearest first (for inherited directives). */
export interface ScopedBlock {
  readonly body: TreeNode;
  readonly path: readonly PathSegment[];
  readonly key: string;
  readonly label: string;
  readonly ancestors: readonly TreeNode[];
}

/** Several rules read the same trees: scope them once per tree. */
const scopedOf = memoByNode((tree: TreeNode): ScopedBlock[] => scope(tree));

/** Every scoped block of a tree in document order (the file itself first); shared, read-only. */
export function scopedBlocksOf(tree: TreeNode | null): readonly ScopedBlock[] {
  return tree ? scopedOf(tree) : [];
}

function scope(tree: TreeNode): ScopedBlock[] {
  const blocks = nginxBlocks(tree);
  // Each block's path prefixes as formatted, shortest first: prefixes[block][length] is the path's first `length` segments.
  const prefixes = blocks.map((block) => pathPrefixes(block.path));
  const byPath = new Map(blocks.map((block, index) => [prefixes[index]!.at(-1)!, block.body]));
  return blocks.map((block, blockIndex) => {
    const prefix = prefixes[blockIndex]!;
    // Enclosing blocks, nearest first, looked up by path prefix (not by scanning every block).
    const ancestors: TreeNode[] = [];
    for (let length = block.path.length - 1; length >= 0; length--) {
      const body = byPath.get(prefix[length]!);
      if (body) ancestors.push(body);
    }
    // `server { }` blocks are told apart by what they serve (server_name, listen), not by position, so that adding
    // or inserting one does not pair the others with their neighbours.
    const named = (index: number): PathSegment | undefined => {
      const body = byPath.get(prefix[index + 1]!);
      const names = ["server_name", "listen"].map((name) =>
        itemsOf(child(body, name))
          .map((node) => (node.kind === "scalar" ? String(node.value) : ""))
          .join(","),
      );
      const [serverName, listen] = names;
      if (!serverName && !listen) return undefined;
      return item([serverName, listen ? `listen ${listen}` : ""].filter(Boolean).join(" "));
    };
    const identity: PathSegment[] = [];
    block.path.forEach((segment, index) => {
      if (segment.kind === "item") {
        const owner = block.path[index - 1];
        identity.push(
          owner?.kind === "key" && owner.key === "server" ? (named(index) ?? segment) : segment,
        );
        return;
      }
      identity.push(segment);
      if (segment.key === "server" && block.path[index + 1]?.kind !== "item") {
        const id = named(index);
        if (id) identity.push(id);
      }
    });
    return {
      body: block.body,
      path: block.path,
      key: formatPath(identity),
      label: blockLabel(identity),
      ancestors,
    };
  });
}

/** formatPath of every prefix of a path, shortest (empty) first, each extending the one before. */
function pathPrefixes(path: readonly PathSegment[]): string[] {
  const out = [""];
  let text = "";
  for (const segment of path) {
    const piece = formatPath([segment]);
    // A bare key joins with a dot; an item or a quoted key is bracketed (formatPath's own rule).
    text += segment.kind === "key" && text !== "" && !piece.startsWith("[") ? `.${piece}` : piece;
    out.push(text);
  }
  return out;
}

/**
 * Blocks of the new version with what applied to them before: the same block, or for a new block the nearest
 * enclosing block of the old version (`fresh`), so that a new block repeating an inherited value is no change.
 * In an added file there is nothing before (`undefined`).
 */
export function blockPairs(before: TreeNode | null, after: TreeNode | null): readonly BlockPair[] {
  // Many rules pair the same two trees: pair them once.
  return after ? pairsOf(before, after) : [];
}

/** A block after the change, what applied to it before, and whether the change adds it. */
export type BlockPair = readonly [ScopedBlock | undefined, ScopedBlock, boolean];

const pairsOf = memoByPair(pairBlocks);

function pairBlocks(before: TreeNode | null, after: TreeNode): BlockPair[] {
  const previous = new Map(scopedBlocksOf(before).map((block) => [block.key, block]));
  const blocksAfter = scopedBlocksOf(after);
  const keysAfter = new Set(blocksAfter.map((block) => block.key));
  return blocksAfter.map((block): BlockPair => {
    const same = previous.get(block.key);
    if (same) return [same, block, false];
    // The nearest enclosing block of the new version that existed before: the longest key of a new block that
    // ends where this key goes on with `.` or `[`, looked up by those prefixes (not by scanning every block).
    let enclosing: ScopedBlock | undefined;
    for (let end = block.key.length - 1; end >= 0 && !enclosing; end--) {
      const char = block.key[end];
      if (char !== "." && char !== "[") continue;
      const prefix = block.key.slice(0, end);
      if (keysAfter.has(prefix)) enclosing = previous.get(prefix);
    }
    if (!enclosing && block.key !== "" && keysAfter.has("")) enclosing = previous.get("");
    return [enclosing, block, true];
  });
}

/** `location /api/ in server example.com 443 ssl in http`, `server #2 in http`, `the top level`. */
function blockLabel(identity: readonly PathSegment[]): string {
  const parts: string[] = [];
  for (let i = 0; i < identity.length; i++) {
    const segment = identity[i]!;
    if (segment.kind === "item") {
      parts[parts.length - 1] += /^\d+$/.test(segment.label)
        ? ` #${Number(segment.label) + 1}`
        : ` ${segment.label}`;
      continue;
    }
    const next = identity[i + 1];
    if (["location", "if", "limit_except"].includes(segment.key) && next?.kind === "key") {
      parts.push(`${segment.key} ${next.key}`);
      i++;
    } else parts.push(segment.key);
  }
  return parts.length === 0 ? "the top level" : parts.reverse().join(" in ");
}

/** The directive as written in this block (the last one when repeated). */
export function ownDirective(body: TreeNode | undefined, name: string): ScalarNode | undefined {
  const node = itemsOf(child(body, name)).at(-1);
  return node?.kind === "scalar" ? node : undefined;
}

/** The directive in force in a block: its own, else the nearest enclosing block's. */
export function inheritedDirective(
  block: ScopedBlock | undefined,
  name: string,
): ScalarNode | undefined {
  if (!block) return undefined;
  for (const body of [block.body, ...block.ancestors]) {
    const found = ownDirective(body, name);
    if (found) return found;
  }
  return undefined;
}

/** Compares the directive as written in two versions of a block. */
export const sameDirective = (a: ScalarNode | undefined, b: ScalarNode | undefined): boolean =>
  (a === undefined && b === undefined) ||
  (a !== undefined && b !== undefined && a.value === b.value);

/** The directives with which a block passes requests to another server (ngx_http_*_module `*_pass`). */
export const PASS_DIRECTIVES: readonly string[] = [
  "proxy_pass",
  "grpc_pass",
  "fastcgi_pass",
  "uwsgi_pass",
  "scgi_pass",
  "memcached_pass",
];

/**
 * The upstream group a block passes requests to: `proxy_pass http://NAME/path` (or `NAME` in stream).
 * undefined for a variable, a host with a port or an address, which cannot name an upstream block.
 */
export function passedUpstream(block: TreeNode): string | undefined {
  for (const directive of PASS_DIRECTIVES) {
    const value = child(block, directive);
    if (value?.kind !== "scalar" || typeof value.value !== "string") continue;
    const host = value.value.replace(/^[a-z]+:\/\//i, "").split("/")[0] ?? "";
    if (host === "" || /[$:[\]]/.test(host) || /^\d+(\.\d+){3}$/.test(host)) return undefined;
    return host;
  }
  return undefined;
}
