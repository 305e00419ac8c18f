// HAProxy proxies that hold servers (backend, listen) with the defaults sections they inherit from, and the
// lookups that resolve a setting through that inheritance (HAProxy configuration manual §4 "Proxies", §5.2).
import { child, entriesOf, itemsOf, type ScalarNode, type TreeNode } from "../../formats/tree.js";

export type ProxyKind = "backend" | "listen";

export interface HaproxyDefaults {
  /** undefined for an anonymous `defaults` section. */
  readonly name: string | undefined;
  /** Line of the section header; a proxy inherits the last defaults section above it. */
  readonly line: number;
  readonly body: TreeNode;
}

export interface HaproxyProxy {
  readonly kind: ProxyKind;
  readonly name: string;
  readonly line: number;
  readonly body: TreeNode;
  /** Defaults sections it inherits from, nearest first (`defaults B from A` makes a chain). */
  readonly defaults: readonly HaproxyDefaults[];
}

/** A value found in the file, with the line it was written on. */
export interface Located {
  readonly node: ScalarNode;
  readonly line: number;
}

const PROXY_KINDS: readonly ProxyKind[] = ["backend", "listen"];

/** Every backend and listen section, in file order, with its defaults chain resolved. */
export function haproxyProxies(root: TreeNode): HaproxyProxy[] {
  const defaults = defaultsSections(root);
  const proxies: HaproxyProxy[] = [];
  for (const kind of PROXY_KINDS) {
    for (const [name, node] of entriesOf(child(root, kind))) {
      // A repeated proxy name is a parse problem; each body is still read.
      for (const body of itemsOf(node)) {
        proxies.push({ kind, name, line: body.line, body, defaults: chainFor(body, defaults) });
      }
    }
  }
  return proxies.sort((a, b) => a.line - b.line);
}

/**
 * The parser keeps unnamed defaults as a map (or a list of maps), and switches to NAME → map as soon as one is named.
 * In the named shape each entry is a section whose header is on the container's first line; in the unnamed shape
 * only the scalar `from` can sit on the header line.
 */
export function defaultsSections(root: TreeNode): HaproxyDefaults[] {
  const node = child(root, "defaults");
  if (!node) return [];
  if (node.kind === "list")
    return node.items.map((body) => ({ name: undefined, line: body.line, body }));
  if (node.kind !== "map") return [];
  const named = entriesOf(node).some(
    ([, value]) => value.kind !== "scalar" && value.line === node.line,
  );
  if (!named) return [{ name: undefined, line: node.line, body: node }];
  const sections = entriesOf(node).flatMap(([name, value]) =>
    itemsOf(value).map((body) => ({ name: name === "" ? undefined : name, line: body.line, body })),
  );
  return sections.sort((a, b) => a.line - b.line);
}

// A proxy uses the defaults section named by `from`, else the last one declared above it; a defaults section can
// itself name another with `from` (HAProxy 2.4+ named defaults).
export function chainFor(body: TreeNode, all: readonly HaproxyDefaults[]): HaproxyDefaults[] {
  const chain: HaproxyDefaults[] = [];
  let current = pick(body, all);
  while (current && !chain.includes(current)) {
    chain.push(current);
    current = fromName(current.body) === undefined ? undefined : pick(current.body, all);
  }
  return chain;
}

function pick(body: TreeNode, all: readonly HaproxyDefaults[]): HaproxyDefaults | undefined {
  const from = fromName(body);
  if (from !== undefined) return all.find((section) => section.name === from);
  return all.filter((section) => section.line < body.line).at(-1);
}

function fromName(body: TreeNode): string | undefined {
  const from = child(body, "from");
  return from?.kind === "scalar" && typeof from.value === "string" ? from.value : undefined;
}

/** The last scalar written for a keyword (a repeated keyword is a list, HAProxy keeps the last line). */
export function lastScalar(node: TreeNode | undefined): ScalarNode | undefined {
  const last = itemsOf(node).at(-1);
  return last?.kind === "scalar" ? last : undefined;
}

/** A proxy keyword, else the same keyword of its defaults chain (`balance`, `cookie`, `timeout check` ...). */
export function inherited(proxy: HaproxyProxy, ...keys: string[]): Located | undefined {
  for (const body of [proxy.body, ...proxy.defaults.map((section) => section.body)]) {
    let node: TreeNode | undefined = body;
    for (const key of keys) node = child(node, key);
    const scalar = lastScalar(node);
    if (scalar) return { node: scalar, line: scalar.line };
  }
  return undefined;
}

/**
 * Where a server's parameter comes from: the server line, then the proxy's `default-server` lines written above the
 * server, then the defaults chain's `default-server`. The parser merges a section's default-server lines (a later
 * value wins), so a value redefined below a server is not seen for that server: rare, and noted here.
 */
export function serverParamSources(proxy: HaproxyProxy, server: TreeNode): TreeNode[] {
  const own = child(proxy.body, "default-server");
  return [
    server,
    ...(own ? [aboveLine(own, server.line)] : []),
    ...proxy.defaults.flatMap((section) => itemsOf(child(section.body, "default-server"))),
  ];
}

/** The params of a merged default-server map written above `line`. */
function aboveLine(defaultServer: TreeNode, line: number): TreeNode {
  if (defaultServer.kind !== "map") return defaultServer;
  const entries = new Map([...defaultServer.entries].filter(([, value]) => value.line < line));
  return { ...defaultServer, entries };
}

/** The first source that sets the parameter. */
export function serverParam(sources: readonly TreeNode[], name: string): Located | undefined {
  for (const source of sources) {
    const scalar = lastScalar(child(source, name));
    if (scalar) return { node: scalar, line: scalar.line };
  }
  return undefined;
}

/** A server flag that a `no-` form turns off (`check` / `no-check`), resolved like any parameter. */
export function serverFlag(
  sources: readonly TreeNode[],
  name: string,
): { readonly on: boolean; readonly line: number } | undefined {
  for (const source of sources) {
    const on = lastScalar(child(source, name));
    const off = lastScalar(child(source, `no-${name}`));
    // Both in one source (one line, or merged default-server lines): the later one wins, `no-` on a tie.
    if (on && (!off || on.line > off.line)) return { on: on.value !== false, line: on.line };
    if (off) return { on: false, line: off.line };
  }
  return undefined;
}
