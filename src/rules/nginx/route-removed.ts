import { formatPath, type PathSegment } from "../../diff/path.js";
import { child, itemsOf, type TreeNode } from "../../formats/tree.js";
import { nameList, plural } from "../message.js";
import { nginxBlocks, PASS_DIRECTIVES } from "../model/nginx/blocks.js";
import { memoByNode } from "../model/memo.js";
import { defineRule, type Detection } from "../types.js";

interface Route {
  /** The location's argument as compared: modifier and path, spaces collapsed, no trailing slash. */
  readonly match: string;
  /** As written: `= /status.html`. */
  readonly text: string;
  readonly line: number;
  /**
   * The location only adjusts how the server's own files are served (caching, headers, logging): no directive
   * of its own decides what answers (a pass, `return`, `rewrite`, its own `root`/`alias`, access rules, ...).
   */
  readonly decorative: boolean;
  /** It answers from the server's files (no pass, `return`, `rewrite`, `root` or `alias` of its own). */
  readonly servesFiles: boolean;
}

// Directives with which a location sends a request somewhere else, answers it itself or reads other files.
const ELSEWHERE = [...PASS_DIRECTIVES, "return", "rewrite", "root", "alias"];
// ... and those that decide who may get an answer, or answer without files (ngx_http_*_module).
const DECIDES = [
  ...ELSEWHERE,
  "try_files",
  "deny",
  "allow",
  "auth_basic",
  "auth_request",
  "internal",
  "limit_except",
  "stub_status",
  "api",
  "status",
  "location",
];

interface ServerBlock {
  readonly path: string;
  readonly label: string;
  readonly line: number;
  readonly names: readonly string[];
  readonly ports: readonly string[];
  readonly routes: readonly Route[];
  /** A server-level `return` or `rewrite` that sends every request elsewhere (an HTTP → HTTPS redirect). */
  readonly redirects: boolean;
  /** The server block itself serves what no location matches (`root`, `try_files`, `proxy_pass` ... at server level). */
  readonly servesItself: boolean;
  readonly stream: boolean;
}

// Directives with which a server block answers requests that no location matches.
const SERVER_HANDLERS = [
  "root",
  "alias",
  "try_files",
  "return",
  "proxy_pass",
  "fastcgi_pass",
  "grpc_pass",
];

const sameArgument = (text: string): string =>
  text
    .trim()
    .replace(/\s+/g, " ")
    .replace(/(.)\/$/, "$1");

/** `listen 443 ssl`, `listen 10.0.0.1:8080`, `listen [::]:80`: the port as a string; no listen means 80 (ngx_http_core_module). */
function portsOf(body: TreeNode): string[] {
  const listens = itemsOf(child(body, "listen")).flatMap((node) =>
    node.kind === "scalar" && node.value !== null
      ? [String(node.value).trim().split(/\s+/)[0]!]
      : [],
  );
  if (listens.length === 0) return ["80"];
  return listens.map((address) => {
    if (address.startsWith("unix:")) return address;
    if (/^\d+$/.test(address)) return address;
    return /:(\d+)$/.exec(address)?.[1] ?? "80";
  });
}

function namesOf(body: TreeNode): string[] {
  return itemsOf(child(body, "server_name")).flatMap((node) =>
    node.kind === "scalar" && node.value !== null
      ? String(node.value)
          .split(/\s+/)
          .filter((name) => name !== "" && name !== "_" && name !== '""')
      : [],
  );
}

const isServerPath = (path: readonly PathSegment[]): boolean => {
  const keys = path.filter((segment) => segment.kind === "key");
  const last = keys.at(-1);
  return last?.kind === "key" && last.key === "server" && path.at(-1) === last
    ? true
    : last?.kind === "key" && last.key === "server" && path.at(-1)?.kind === "item";
};

/** The `location` a block is, by its argument: the key after `location` (named `@` locations are internal). */
function locationArgument(path: readonly PathSegment[]): string | undefined {
  const keys = path.filter((segment) => segment.kind === "key");
  const before = keys.at(-2);
  const last = keys.at(-1);
  if (before?.kind !== "key" || before.key !== "location" || last?.kind !== "key") return undefined;
  return last.key.startsWith("@") ? undefined : last.key;
}

/** The server blocks of a tree with their locations, worked out once per tree. */
const serversOf = memoByNode((tree: TreeNode): ServerBlock[] => {
  const blocks = nginxBlocks(tree);
  const servers = new Map<TreeNode, ServerBlock & { routes: Route[] }>();
  // Blocks come in document order, each after the blocks enclosing it: the block last seen at a path length is,
  // for the blocks that follow inside it, their enclosing block at that length.
  const lastAt: TreeNode[] = [];
  for (const block of blocks) {
    lastAt[block.path.length] = block.body;
    if (isServerPath(block.path)) {
      const names = namesOf(block.body);
      const ports = portsOf(block.body);
      const path = formatPath(block.path);
      servers.set(block.body, {
        path,
        label: `${block.stream ? "stream " : ""}server ${names.length > 0 ? `"${names.join(" ")}"` : "block"} on ${ports.join(", ")}`,
        line: block.body.line,
        names,
        ports,
        routes: [],
        redirects:
          child(block.body, "return") !== undefined || child(block.body, "rewrite") !== undefined,
        stream: block.stream,
        servesItself: SERVER_HANDLERS.some((name) => child(block.body, name) !== undefined),
      });
    }
    const argument = locationArgument(block.path);
    if (argument !== undefined) {
      let end = -1;
      block.path.forEach((segment, index) => {
        if (segment.kind === "key" && segment.key === "server") end = index + 1;
      });
      if (end >= 0 && block.path[end]?.kind === "item") end++;
      // Each location belongs to the innermost server block on its path, seen before it (one pass, no scan).
      const owner = end >= 0 ? lastAt[end] : undefined;
      const server = owner ? servers.get(owner) : undefined;
      const has = (names: readonly string[]) =>
        names.some((name) => child(block.body, name) !== undefined);
      server?.routes.push({
        match: sameArgument(argument),
        text: argument,
        line: block.body.line,
        decorative: !has(DECIDES),
        servesFiles: !has(ELSEWHERE),
      });
    }
  }
  return [...servers.values()];
});

/**
 * The servers of the new version that answer what `server` answered: a shared port, and a shared name (or both
 * unnamed). Looked up through the new servers indexed by port and name, so a file of many server blocks is not
 * scanned per block.
 */
function counterparts(
  server: ServerBlock,
  index: ReadonlyMap<string, ServerBlock[]>,
): ServerBlock[] {
  const found = new Set<ServerBlock>();
  const names = server.names.length === 0 ? [""] : server.names;
  for (const port of server.ports)
    for (const name of names)
      for (const other of index.get(indexKey(server.stream, port, name)) ?? []) found.add(other);
  return [...found];
}

const indexKey = (stream: boolean, port: string, name: string): string =>
  `${stream}|${port}|${name}`;

/** The servers by each port and name they answer ("" for a server without names). */
function byPortOf(servers: readonly ServerBlock[]): Map<string, ServerBlock[]> {
  const index = new Map<string, ServerBlock[]>();
  for (const server of servers)
    for (const port of new Set(server.ports))
      for (const name of new Set(server.names.length === 0 ? [""] : server.names)) {
        const key = indexKey(server.stream, port, name);
        const list = index.get(key);
        if (list) list.push(server);
        else index.set(key, [server]);
      }
  return index;
}

/** A route (location) or a whole server block removed: requests that reached it get another handler or nothing. */
export default defineRule({
  id: "nginx.route.removed",
  family: "nginx",
  title: "Location or server block removed",
  description:
    "A `location` disappears from the server block that answers the same names on the same port (compared by its " +
    "argument, so reordering, re-indenting or a trailing slash is no change; named `@` locations are internal), or " +
    "a whole `server` block disappears with no block left for its names and port: requests it handled now fall " +
    "through to another location or the default server (a 404, or the wrong backend). High. A location moved to a " +
    "server on another port still counts: clients use the old port. A server that now redirects every request " +
    "(server-level `return`/`rewrite`, an HTTP → HTTPS redirect) does not report its locations, nor does a " +
    "catch-all `location /` folded into the server block (server-level `root`, `try_files`, `proxy_pass`). A location " +
    "that only set caching, headers or logging, removed where `location /` still serves the same files, is medium.",
  severity: "high",
  params: {},
  dialects: ["nginx"],
  check(file) {
    if (!file.before || !file.after) return [];
    const before = serversOf(file.before);
    const after = serversOf(file.after);
    const byPort = byPortOf(after);
    const findings: Detection[] = [];
    const elsewhere = (route: Route, exclude: readonly ServerBlock[]): ServerBlock | undefined =>
      after.find(
        (other) => !exclude.includes(other) && other.routes.some((r) => r.match === route.match),
      );
    for (const server of before) {
      const now = counterparts(server, byPort);
      // The same names still served on other ports: a moved listener, which generic.port-or-protocol.changed reports.
      const sameNames = (other: ServerBlock): boolean =>
        other.stream === server.stream && other.names.join(" ") === server.names.join(" ");
      if (now.length === 0 && after.filter(sameNames).length >= before.filter(sameNames).length)
        continue;
      if (now.length === 0) {
        const routes = server.routes.map((route) => route.text);
        findings.push({
          severity: "high",
          line: server.line,
          path: server.path,
          message:
            `${server.label} is removed${routes.length > 0 ? ` with its ${plural(routes.length, "location")} (${nameList(routes)})` : ""}: ` +
            `requests for ${server.names.length > 0 ? nameList(server.names) : "it"} on port ${server.ports.join(", ")} now reach another server block (the default one) or are refused. ` +
            `Safe: keep a server block with \`listen ${server.ports[0]}\`${server.names.length > 0 ? ` and \`server_name ${server.names.join(" ")}\`` : ""} until its clients have moved.`,
          before: server.label,
          after: null,
          checklist: [`Confirm no client still sends requests to ${server.label}.`],
        });
        continue;
      }
      if (now.some((other) => other.redirects) && !server.redirects) continue;
      const kept = new Set(now.flatMap((other) => other.routes.map((route) => route.match)));
      // The catch-all `location /` folded into the server block itself still answers every request.
      const foldedIn = now.some((other) => other.servesItself);
      const gone = server.routes.filter(
        (route) => !kept.has(route.match) && !(route.match === "/" && foldedIn),
      );
      if (gone.length === 0) continue;
      const moved = gone.flatMap((route) => {
        const target = elsewhere(route, now);
        return target ? [`${route.text} now only in ${target.label}`] : [];
      });
      // A caching/header-only location whose requests `location /` still answers from the same files: only its
      // settings are lost, not the route.
      const fallsBackToFiles = now.some((other) =>
        other.routes.some((route) => route.match === "/" && route.servesFiles),
      );
      if (fallsBackToFiles && gone.every((route) => route.decorative)) {
        const texts = gone.map((route) => `location ${route.text}`);
        findings.push({
          severity: "medium",
          line: gone[0]!.line,
          path: server.path,
          message: `${server.label} drops ${nameList(texts)}, which only set how files are sent (caching, headers, logging): its requests are still served from the same root by location /, without those settings.`,
          before: texts,
          after: null,
          checklist: [`Confirm the caching and headers ${nameList(texts)} set are not needed.`],
        });
        continue;
      }
      const texts = gone.map((route) => `location ${route.text}`);
      findings.push({
        severity: "high",
        line: gone[0]!.line,
        path: server.path,
        message:
          `${server.label} loses ${plural(gone.length, "route")} (${nameList(texts)})` +
          `${moved.length > 0 ? `; ${moved.join("; ")}` : ""}: requests to ${gone.length === 1 ? "it" : "them"} on port ${server.ports.join(", ")} now fall through to another location (a 404, or the wrong backend). ` +
          `Safe: keep \`location ${gone[0]!.text}\` in ${server.label} (answering \`return 301\` to its new place if it moved) until its clients have moved.`,
        before: texts,
        after: null,
        figures: { routesRemoved: gone.length },
        checklist: [
          `Confirm no client, health check or dashboard still calls ${nameList(texts)} on ${server.label}.`,
        ],
      });
    }
    return findings;
  },
});
