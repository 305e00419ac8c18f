import { memoByNode } from "../model/memo.js";
// HAProxy sections (defaults, frontend, backend, listen) and servers, read for the haproxy.* rules. Inheritance follows
// the model (rules/model/haproxy-sections.ts): a section's own keyword, else its defaults chain; a server's own
// parameter, else the section's default-server, else the defaults chain's default-server (HAProxy manual §4, §5.2).
import { formatPath, key, type PathSegment } from "../../diff/path.js";
import { child, entriesOf, itemsOf, type TreeNode } from "../../formats/tree.js";
import { toNumber } from "../model/figures.js";
import {
  chainFor,
  defaultsSections,
  lastScalar,
  serverFlag,
  serverParam,
  serverParamSources,
  type HaproxyDefaults,
  type Located,
  type ProxyKind,
} from "../model/haproxy-sections.js";

export type SectionKind = "defaults" | "frontend" | ProxyKind;

export interface HaproxySection {
  readonly kind: SectionKind;
  /** undefined for an unnamed defaults section. */
  readonly name: string | undefined;
  /** Stable across versions: `backend:app`, `defaults:web`, `defaults#1` (the second unnamed one). */
  readonly key: string;
  /** How a reviewer names it: `backend app`, `defaults section`. */
  readonly label: string;
  readonly line: number;
  readonly body: TreeNode;
  /** The defaults sections it inherits from, nearest first (for a defaults section: its `from` chain). */
  readonly defaults: readonly HaproxyDefaults[];
}

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

/** Every defaults, frontend, backend and listen section, in file order. */
/** Extracted once per tree (many rules read it). */
const sectionsOf = memoByNode((root: TreeNode) => extractSections(root));

export function haproxySections(root: TreeNode | null): HaproxySection[] {
  return root ? sectionsOf(root) : [];
}

function extractSections(root: TreeNode): HaproxySection[] {
  const allDefaults = defaultsSections(root);
  const out: HaproxySection[] = [];
  let unnamed = 0;
  for (const section of allDefaults) {
    const key = section.name === undefined ? `defaults#${unnamed++}` : `defaults:${section.name}`;
    const label = section.name === undefined ? "defaults section" : `defaults ${section.name}`;
    // A defaults section inherits only through `from`; without it, it starts afresh.
    const chain = child(section.body, "from")
      ? chainFor(section.body, allDefaults).filter((other) => other !== section)
      : [];
    out.push({
      kind: "defaults",
      name: section.name,
      key,
      label,
      line: section.line,
      body: section.body,
      defaults: chain,
    });
  }
  for (const kind of ["frontend", "backend", "listen"] as const) {
    for (const [name, node] of entriesOf(child(root, kind))) {
      itemsOf(node).forEach((body, index) => {
        out.push({
          kind,
          name,
          key: `${kind}:${name}${index > 0 ? `#${index}` : ""}`,
          label: `${kind} ${name}`,
          line: body.line,
          body,
          defaults: chainFor(body, allDefaults),
        });
      });
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

export const holdsServers = (section: HaproxySection): boolean =>
  section.kind === "backend" || section.kind === "listen";

/** A section keyword (`timeout server`, `balance` ...) where it is written: the section itself, else its defaults. */
export function inheritedValue(
  section: HaproxySection,
  ...keys: string[]
): (Located & { readonly own: boolean }) | undefined {
  const bodies = [section.body, ...section.defaults.map((defaults) => defaults.body)];
  for (const [index, body] of bodies.entries()) {
    let node: TreeNode | undefined = body;
    for (const key of keys) node = child(node, key);
    const scalar = lastScalar(node);
    if (scalar) return { node: scalar, line: scalar.line, own: index === 0 };
  }
  return undefined;
}

/** The sections that take their settings from a defaults section (directly or through a `from` chain). */
export function inheritors(
  sections: readonly HaproxySection[],
  defaults: HaproxySection,
): HaproxySection[] {
  return sections.filter(
    (section) =>
      section.kind !== "defaults" &&
      section.defaults.some((parent) => parent.body === defaults.body),
  );
}

/** Every server and server-template of a backend or listen section. */
/** Servers with their inherited settings, once per section object. */
export const serversOf = memoByNode((section: HaproxySection): HaproxyServer[] =>
  extractServers(section),
);

function extractServers(section: HaproxySection): HaproxyServer[] {
  if (!holdsServers(section)) return [];
  const proxy = { ...section, kind: section.kind as ProxyKind, name: section.name ?? "" };
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
          sources: serverParamSources(proxy, server),
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

export function param(server: HaproxyServer, name: string): Located | undefined {
  return serverParam(server.sources, name);
}

export function flag(server: HaproxyServer, name: string): boolean {
  return serverFlag(server.sources, name)?.on ?? false;
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

/** Receives load-balanced traffic while the farm is healthy: not a backup, not disabled, weight above 0. */
export function isActive(server: HaproxyServer): boolean {
  return !flag(server, "backup") && !isDisabled(server) && weightOf(server) !== 0;
}

/** Number of servers (templates count for their size) matching a predicate. */
export function countServers(
  servers: readonly HaproxyServer[],
  predicate: (server: HaproxyServer) => boolean = () => true,
): number {
  return servers.filter(predicate).reduce((sum, server) => sum + server.count, 0);
}

/** "web1, web2 and 3 more". */
export function nameList(names: readonly string[], shown = 3): string {
  if (names.length <= shown) return names.join(", ");
  return `${names.slice(0, shown).join(", ")} and ${names.length - shown} more`;
}

export const plural = (count: number, word: string, many = `${word}s`): string =>
  `${count} ${count === 1 ? word : many}`;

/** Sections present in both versions, paired by key. */
export function sectionPairs(
  before: TreeNode | null,
  after: TreeNode | null,
): [HaproxySection, HaproxySection][] {
  const previous = new Map(haproxySections(before).map((section) => [section.key, section]));
  return haproxySections(after).flatMap((section) => {
    const old = previous.get(section.key);
    return old ? [[old, section] as [HaproxySection, HaproxySection]] : [];
  });
}

/** Servers present in both versions of a section, paired by key. */
export function serverPairs(
  before: HaproxySection,
  after: HaproxySection,
): [HaproxyServer, HaproxyServer][] {
  const previous = new Map(serversOf(before).map((server) => [server.key, server]));
  return serversOf(after).flatMap((server) => {
    const old = previous.get(server.key);
    return old ? [[old, server] as [HaproxyServer, HaproxyServer]] : [];
  });
}

/** A scalar value as written, for comparing two versions (`undefined` when absent). */
export function written(node: TreeNode | undefined): string | undefined {
  const scalar = lastScalar(node);
  return scalar === undefined ? undefined : JSON.stringify(scalar.value);
}

/** Tree path of a section: `backend.app`, `defaults.web`, `defaults` (unnamed). */
export function sectionSegments(section: HaproxySection): PathSegment[] {
  return section.name === undefined ? [key(section.kind)] : [key(section.kind), key(section.name)];
}

export function sectionPath(section: HaproxySection, ...keys: string[]): string {
  return formatPath([...sectionSegments(section), ...keys.map(key)]);
}

export function serverPath(server: HaproxyServer): string {
  return sectionPath(server.section, server.keyword, server.name);
}
