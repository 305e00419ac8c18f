import { memoByNode } from "./memo.js";
// Where upstream groups and the blocks that proxy to them sit in a parsed nginx tree: under `http`, under `stream`
// (its own namespace of upstream names) or at the top of a fragment that is included into one of them.
import { item, key, type PathSegment } from "../../diff/path.js";
import { child, entriesOf, itemsOf, type TreeNode } from "../../formats/tree.js";

/** One block (`location`, `server`, `upstream` ...) with its tree path. */
export interface NginxBlock {
  readonly body: TreeNode;
  readonly path: readonly PathSegment[];
  /** Inside `stream { }`, whose upstream names are separate from http's. */
  readonly stream: boolean;
}

export interface NginxUpstream extends NginxBlock {
  readonly name: string;
  readonly line: number;
}

// Table bodies (map, geo ...) hold data keyed by arbitrary words, never directives.
const TABLE_BLOCKS = new Set(["map", "geo", "split_clients", "types", "charset_map"]);
// Blocks that hold directives and carry arguments, which the parser keys them by (`location /api/`).
const KEYED_BLOCKS = new Set(["location", "if", "limit_except", "match"]);

/** Every block of the file in document order, the file itself first. */
/** Extracted once per tree (many rules read it). */
export const nginxBlocks = memoByNode((tree: TreeNode): NginxBlock[] => extractNginxBlocks(tree));

function extractNginxBlocks(tree: TreeNode): NginxBlock[] {
  const out: NginxBlock[] = [];
  const visit = (body: TreeNode, path: PathSegment[], stream: boolean): void => {
    out.push({ body, path, stream });
    for (const [name, value] of entriesOf(body)) {
      if (TABLE_BLOCKS.has(name) || name === "upstream") continue;
      const inStream = stream || name === "stream";
      const items = itemsOf(value);
      items.forEach((node, index) => {
        const here =
          items.length > 1 ? [...path, key(name), item(String(index))] : [...path, key(name)];
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

/** Every `upstream NAME { }` group, in document order. */
/** Extracted once per tree (many rules read it). */
export const nginxUpstreams = memoByNode((tree: TreeNode): NginxUpstream[] =>
  extractNginxUpstreams(tree),
);

function extractNginxUpstreams(tree: TreeNode): NginxUpstream[] {
  return nginxBlocks(tree).flatMap((block) =>
    entriesOf(child(block.body, "upstream")).flatMap(([name, node]) => {
      // A repeated upstream name is rejected by nginx; the first one is read.
      const body = itemsOf(node)[0];
      if (body?.kind !== "map") return [];
      return [
        {
          name,
          body,
          line: body.line,
          path: [...block.path, key("upstream"), key(name)],
          stream: block.stream,
        },
      ];
    }),
  );
}

const PASS_DIRECTIVES = [
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
