import { memoByNode } from "../model/memo.js";
// nginx upstream servers and inherited directives, read for the nginx.* rules. Directives such as proxy_* and ssl_*
// are inherited from the enclosing block when a block does not set them (nginx "Configuration file structure").
import { formatPath, item, type PathSegment } from "../../diff/path.js";
import { child, entriesOf, itemsOf, type ScalarNode, type TreeNode } from "../../formats/tree.js";
import { toNumber } from "../model/figures.js";
import { nginxBlocks, nginxUpstreams, type NginxUpstream } from "../model/nginx-blocks.js";

export interface UpstreamServer {
  /** `10.0.0.1:8080`, `unix:/tmp/app.sock`, `backend.internal`. */
  readonly address: string;
  /** Stable across versions: the address, `#2` for a repeated one. */
  readonly key: string;
  readonly line: number;
  readonly params: TreeNode;
}

export interface Upstream extends NginxUpstream {
  /** `upstream:app`, `stream/upstream:db`. */
  readonly key: string;
  readonly label: string;
  readonly servers: readonly UpstreamServer[];
}

/** Extracted once per tree (many rules read it). */
const upstreamsOfTree = memoByNode((tree: TreeNode): Upstream[] => extractUpstreams(tree));

export function upstreamsOf(tree: TreeNode | null): Upstream[] {
  return tree ? upstreamsOfTree(tree) : [];
}

function extractUpstreams(tree: TreeNode | null): Upstream[] {
  if (!tree) return [];
  return nginxUpstreams(tree).map((upstream) => ({
    ...upstream,
    key: `${upstream.stream ? "stream/" : ""}upstream:${upstream.name}`,
    label: `${upstream.stream ? "stream upstream" : "upstream"} ${upstream.name}`,
    servers: entriesOf(child(upstream.body, "server")).flatMap(([address, node]) =>
      itemsOf(node).map((params, index) => ({
        address,
        key: index > 0 ? `${address}#${index + 1}` : address,
        line: params.line,
        params,
      })),
    ),
  }));
}

/** Upstream groups present in both versions. */
export function upstreamPairs(
  before: TreeNode | null,
  after: TreeNode | null,
): [Upstream, Upstream][] {
  const previous = new Map(upstreamsOf(before).map((upstream) => [upstream.key, upstream]));
  return upstreamsOf(after).flatMap((upstream) => {
    const old = previous.get(upstream.key);
    return old ? [[old, upstream] as [Upstream, Upstream]] : [];
  });
}

/** Servers present in both versions of a group, by address. */
export function serverPairs(before: Upstream, after: Upstream): [UpstreamServer, UpstreamServer][] {
  const previous = new Map(before.servers.map((server) => [server.key, server]));
  return after.servers.flatMap((server) => {
    const old = previous.get(server.key);
    return old ? [[old, server] as [UpstreamServer, UpstreamServer]] : [];
  });
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

/** ip_hash and `hash` without `consistent` remap most keys when the set of servers changes (LB-FACTS.md §2). */
export const remapsOnChange = (method: string): boolean =>
  method === "ip_hash" || (method.startsWith("hash ") && !/\bconsistent\b/.test(method));

/** One block with the blocks that enclose it, nearest first (for inherited directives). */
export interface ScopedBlock {
  readonly body: TreeNode;
  readonly path: readonly PathSegment[];
  readonly key: string;
  readonly label: string;
  readonly ancestors: readonly TreeNode[];
}

/** Several rules read the same trees: scope them once per tree. */
const scopedCache = new WeakMap<TreeNode, ScopedBlock[]>();

export function scopedBlocks(tree: TreeNode | null): ScopedBlock[] {
  if (!tree) return [];
  let scoped = scopedCache.get(tree);
  if (!scoped) {
    scoped = scope(tree);
    scopedCache.set(tree, scoped);
  }
  return scoped;
}

function scope(tree: TreeNode): ScopedBlock[] {
  const blocks = nginxBlocks(tree);
  const byPath = new Map(blocks.map((block) => [formatPath(block.path), block.body]));
  return blocks.map((block) => {
    // Enclosing blocks, nearest first, looked up by path prefix (not by scanning every block).
    const ancestors: TreeNode[] = [];
    for (let length = block.path.length - 1; length >= 0; length--) {
      const body = byPath.get(formatPath(block.path.slice(0, length)));
      if (body) ancestors.push(body);
    }
    // `server { }` blocks are told apart by what they serve (server_name, listen), not by position, so that adding
    // or inserting one does not pair the others with their neighbours.
    const named = (index: number): PathSegment | undefined => {
      const body = byPath.get(formatPath(block.path.slice(0, index + 1)));
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

/**
 * Blocks of the new version with what applied to them before: the same block, or for a new block the nearest
 * enclosing block of the old version (`fresh`), so that a new block repeating an inherited value is no change.
 * In an added file there is nothing before (`undefined`).
 */
export function blockPairs(
  before: TreeNode | null,
  after: TreeNode | null,
): [ScopedBlock | undefined, ScopedBlock, boolean][] {
  const previous = new Map(scopedBlocks(before).map((block) => [block.key, block]));
  const blocksAfter = scopedBlocks(after);
  return blocksAfter.map((block) => {
    const same = previous.get(block.key);
    if (same) return [same, block, false];
    const enclosing = blocksAfter
      .filter(
        (other) =>
          other.key === "" ||
          block.key.startsWith(`${other.key}.`) ||
          block.key.startsWith(`${other.key}[`),
      )
      .filter((other) => other.key !== block.key)
      .sort((a, b) => b.key.length - a.key.length)
      .map((other) => previous.get(other.key))
      .find(Boolean);
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

export const plural = (count: number, word: string, many = `${word}s`): string =>
  `${count} ${count === 1 ? word : many}`;

export function nameList(names: readonly string[], shown = 3): string {
  if (names.length <= shown) return names.join(", ");
  return `${names.slice(0, shown).join(", ")} and ${names.length - shown} more`;
}
