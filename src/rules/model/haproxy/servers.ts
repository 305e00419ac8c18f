// HAProxy servers of backend and listen sections, with their parameters resolved through inheritance: a server's
// own parameter, else the section's default-server, else the defaults chain's default-server (HAProxy manual §5.2).
import { child, entriesOf, itemsOf, type TreeNode } from "../../../formats/tree.js";
import { toNumber } from "../figures.js";
import { memoByNode } from "../memo.js";
import { keptPairs } from "../pairs.js";
import {
  holdsServers,
  lastScalar,
  sectionPath,
  type HaproxySection,
  type Located,
} from "./sections.js";

export interface HaproxyServer {
  readonly section: HaproxySection;
  readonly keyword: "server" | "server-template";
  readonly name: string;
  /** Stable across versions: `backend:app/server:web1`. */
  readonly key: string;
  readonly label: string;
  readonly line: number;
  readonly node: TreeNode;
  readonly address: string | undefined;
  /** 1 for a server line; the number of servers a server-template declares. */
  readonly count: number;
  /** Where its parameters come from, nearest first. */
  readonly sources: readonly TreeNode[];
}

/** Every server and server-template of a backend or listen section, with its inherited settings, once per section. */
export const serversOf = memoByNode((section: HaproxySection): HaproxyServer[] =>
  extractServers(section),
);

function extractServers(section: HaproxySection): HaproxyServer[] {
  if (!holdsServers(section)) return [];
  return (["server", "server-template"] as const).flatMap((keyword) =>
    entriesOf(child(section.body, keyword)).flatMap(([name, node]) =>
      itemsOf(node).map((server, index) => {
        const address = child(server, "address");
        return {
          section,
          keyword,
          name,
          key: `${section.key}/${keyword}:${name}${index > 0 ? `#${index + 1}` : ""}`,
          label: `${keyword} ${name} of ${section.label}`,
          line: server.line,
          node: server,
          address:
            address?.kind === "scalar" && address.value !== null
              ? String(address.value)
              : undefined,
          count: keyword === "server" ? 1 : templateCount(child(server, "count")),
          sources: paramSources(section, server),
        };
      }),
    ),
  );
}

/** `server-template web 5 ...` or `server-template web 1-5 ...` → 5. */
function templateCount(node: TreeNode | undefined): number {
  const value = node?.kind === "scalar" ? node.value : undefined;
  const whole = toNumber(value);
  if (whole !== undefined) return Math.max(whole, 1);
  const range = typeof value === "string" ? /^(\d+)-(\d+)$/.exec(value) : null;
  return range ? Math.max(Number(range[2]) - Number(range[1]) + 1, 1) : 1;
}

/**
 * Where a server's parameter comes from: the server line, then the section's `default-server` lines written above
 * the server, then the defaults chain's `default-server`. The parser merges a section's default-server lines (a
 * later value wins), so a value redefined below a server is not seen for that server: rare, and noted here.
 */
function paramSources(section: HaproxySection, server: TreeNode): TreeNode[] {
  const own = child(section.body, "default-server");
  return [
    server,
    ...(own ? [aboveLine(own, server.line)] : []),
    ...section.defaults.flatMap((defaults) => itemsOf(child(defaults.body, "default-server"))),
  ];
}

/** The params of a merged default-server map written above `line`. */
function aboveLine(defaultServer: TreeNode, line: number): TreeNode {
  if (defaultServer.kind !== "map") return defaultServer;
  const entries = new Map([...defaultServer.entries].filter(([, value]) => value.line < line));
  return { ...defaultServer, entries };
}

/** The parameter from the first source that sets it. */
export function param(server: HaproxyServer, name: string): Located | undefined {
  for (const source of server.sources) {
    const scalar = lastScalar(child(source, name));
    if (scalar) return { node: scalar, line: scalar.line };
  }
  return undefined;
}

/** A server flag that a `no-` form turns off (`check` / `no-check`), resolved like any parameter. */
function flagSetting(
  server: HaproxyServer,
  name: string,
): { readonly on: boolean; readonly line: number } | undefined {
  for (const source of server.sources) {
    const on = lastScalar(child(source, name));
    const off = lastScalar(child(source, `no-${name}`));
    // Both in one source (one line, or merged default-server lines): the later one wins, `no-` on a tie.
    if (on && (!off || on.line > off.line)) return { on: on.value !== false, line: on.line };
    if (off) return { on: false, line: off.line };
  }
  return undefined;
}

export function flag(server: HaproxyServer, name: string): boolean {
  return flagSetting(server, name)?.on ?? false;
}

/** `disabled` starts a server in maintenance; `enabled` undoes a default-server `disabled`. */
export function isDisabled(server: HaproxyServer): boolean {
  for (const source of server.sources) {
    const disabled = lastScalar(child(source, "disabled"));
    const enabled = lastScalar(child(source, "enabled"));
    if (disabled && (!enabled || disabled.line > enabled.line)) return disabled.value !== false;
    if (enabled) return false;
  }
  return false;
}

/** A server's weight (HAProxy default 1, manual §5.2); undefined when unreadable. */
export function weightOf(server: HaproxyServer): number | undefined {
  const found = param(server, "weight");
  return found ? toNumber(found.node.value) : 1;
}

/**
 * Receives load-balanced traffic while the farm is healthy: not a backup, not disabled, weight above 0.
 * Once per server: several rules ask it of every server of the same trees.
 */
export const isActive = memoByNode(
  (server: HaproxyServer): boolean =>
    !flag(server, "backup") && !isDisabled(server) && weightOf(server) !== 0,
);

/** Number of servers (templates count for their size) matching a predicate. */
export function countServers(
  servers: readonly HaproxyServer[],
  predicate: (server: HaproxyServer) => boolean = () => true,
): number {
  return servers.filter(predicate).reduce((sum, server) => sum + server.count, 0);
}

/** Servers present in both versions of a section, paired by key. */
export function serverPairs(
  before: HaproxySection,
  after: HaproxySection,
): [HaproxyServer, HaproxyServer][] {
  return keptPairs(serversOf(before), serversOf(after));
}

export function serverPath(server: HaproxyServer): string {
  return sectionPath(server.section, server.keyword, server.name);
}
