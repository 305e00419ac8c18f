// nginx upstream groups and their servers (ngx_http_upstream_module), in `http` or `stream`.
import { formatPath, key, type PathSegment } from "../../../diff/path.js";
import { child, entriesOf, itemsOf, type TreeNode } from "../../../formats/tree.js";
import { toNumber } from "../figures.js";
import { memoByNode } from "../memo.js";
import { keptPairs } from "../pairs.js";
import { nginxBlocks } from "./blocks.js";

export interface UpstreamServer {
  /** `10.0.0.1:8080`, `unix:/tmp/app.sock`, `backend.internal`. */
  readonly address: string;
  /** Stable across versions: the address, `#2` for a repeated one. */
  readonly key: string;
  readonly line: number;
  readonly params: TreeNode;
}

/** One `upstream NAME { }` group. */
export interface Upstream {
  readonly name: string;
  readonly body: TreeNode;
  readonly line: number;
  readonly path: readonly PathSegment[];
  /** Inside `stream { }`, whose upstream names are separate from http's. */
  readonly stream: boolean;
  /** `upstream:app`, `stream/upstream:db`. */
  readonly key: string;
  /** `upstream app`, `stream upstream db`. */
  readonly label: string;
  readonly servers: readonly UpstreamServer[];
}

/** Every `upstream NAME { }` group, in document order; extracted once per tree. */
const upstreamsOfTree = memoByNode((tree: TreeNode): Upstream[] =>
  nginxBlocks(tree).flatMap((block) =>
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
          key: `${block.stream ? "stream/" : ""}upstream:${name}`,
          label: `${block.stream ? "stream upstream" : "upstream"} ${name}`,
          servers: serversOf(body),
        },
      ];
    }),
  ),
);

export function upstreamsOf(tree: TreeNode | null): Upstream[] {
  return tree ? upstreamsOfTree(tree) : [];
}

function serversOf(body: TreeNode): UpstreamServer[] {
  return entriesOf(child(body, "server")).flatMap(([address, node]) =>
    itemsOf(node).map((params, index) => ({
      address,
      key: index > 0 ? `${address}#${index + 1}` : address,
      line: params.line,
      params,
    })),
  );
}

/** Upstream groups present in both versions. */
export function upstreamPairs(
  before: TreeNode | null,
  after: TreeNode | null,
): [Upstream, Upstream][] {
  return keptPairs(upstreamsOf(before), upstreamsOf(after));
}

/** Servers present in both versions of a group, by address. */
export function serverPairs(before: Upstream, after: Upstream): [UpstreamServer, UpstreamServer][] {
  return keptPairs(before.servers, after.servers);
}

export const hasFlag = (server: UpstreamServer, name: string): boolean => {
  const value = child(server.params, name);
  return value !== undefined && !(value.kind === "scalar" && value.value === false);
};

export const numberParam = (server: UpstreamServer, name: string): number | undefined => {
  const value = child(server.params, name);
  return value?.kind === "scalar" ? toNumber(value.value) : undefined;
};

/** Takes requests while the group is healthy: neither `backup` nor `down` (ngx_http_upstream_module). */
export const isActive = (server: UpstreamServer): boolean =>
  !hasFlag(server, "backup") && !hasFlag(server, "down");

/** The balancing method: `ip_hash`, `hash KEY [consistent]`, `random ...`, `least_conn`, or round robin. */
export function methodOf(upstream: Upstream): string {
  for (const name of ["ip_hash", "hash", "random", "least_conn", "least_time"]) {
    const node = itemsOf(child(upstream.body, name))[0];
    if (node?.kind === "scalar")
      return node.value === true ? name : `${name} ${String(node.value)}`.trim();
  }
  return "round robin";
}

/** ip_hash and `hash` without `consistent` remap most keys when the set of servers changes (docs/lb-facts.md §P2). */
export const remapsOnChange = (method: string): boolean =>
  method === "ip_hash" || (method.startsWith("hash ") && !/\bconsistent\b/.test(method));

/** Tree path of a server line of a group. */
export const serverPath = (upstream: Upstream, server: UpstreamServer): string =>
  formatPath([...upstream.path, key("server"), key(server.address)]);
