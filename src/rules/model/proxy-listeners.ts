// Where each proxy format accepts connections, normalised: nginx `listen`, HAProxy `bind`, Envoy listener
// addresses, Traefik entryPoints. Kubernetes Service ports are the kubernetes family's (kubernetes.service.port-changed).
import { formatPath, item, key, type PathSegment } from "../../diff/path.js";
import type { Dialect } from "../../formats/dialect.js";
import { child, entriesOf, itemsOf, scalarAt, type TreeNode } from "../../formats/tree.js";
import { toNumber } from "./figures.js";
import { haproxySections } from "./haproxy/sections.js";
import { nginxBlocks } from "./nginx/blocks.js";
import { memoByDialectTree } from "./memo.js";
import { keptPairs } from "./pairs.js";
import { childFold, fold } from "./traefik/keys.js";

export interface Bind {
  /** The address as written, normalised for comparison (`*:443`, `[::]:443`, `0.0.0.0:8080`). */
  readonly address: string;
  readonly port: number | undefined;
  readonly protocol: "tcp" | "udp";
  readonly tls: boolean;
  /** Expects a PROXY protocol header first (nginx `proxy_protocol`, HAProxy `accept-proxy`). */
  readonly proxyProtocol: boolean;
  readonly line: number;
  /** The whole line as written, for messages. */
  readonly text: string;
}

export interface Listener {
  readonly key: string;
  readonly label: string;
  readonly body: TreeNode;
  readonly line: number;
  readonly path: string;
  readonly binds: readonly Bind[];
  /** Keyed by position (an nginx server without server_name, an unnamed Envoy listener): a reorder re-pairs it. */
  readonly positional?: boolean;
  /** HAProxy `mode` (tcp/http) written on the section; undefined elsewhere or when inherited. */
  readonly mode?: { readonly value: string; readonly line: number } | undefined;
}

/** `*:80`, `0.0.0.0:80` and `:80` are the same IPv4 wildcard; `[::]:80` and `:::80` the IPv6 one. */
function normaliseAddress(address: string): string {
  const match = /^(.*?):(\d+)$/.exec(address);
  if (!match) return address;
  const host = match[1]!;
  if (host === "" || host === "*" || host === "0.0.0.0") return `*:${match[2]}`;
  if (host === "::" || host === "[::]") return `[::]:${match[2]}`;
  return address;
}

const portOf = (address: string): number | undefined => {
  const match = /(?:^|:)(\d+)$/.exec(address);
  return match ? Number(match[1]) : undefined;
};

// nginx `listen address[:port] [ssl] [http2] [quic] [udp] [proxy_protocol] ...`: a bare address listens on 80
// (nginx ngx_http_core_module "listen"; docs/lb-facts.md §P2).
function nginxBind(value: TreeNode, sslOn: boolean): Bind | undefined {
  if (value.kind !== "scalar" || value.value === null) return undefined;
  const text = String(value.value).trim();
  const [address = "", ...flags] = text.split(/\s+/);
  const unix = address.startsWith("unix:");
  const port = unix ? undefined : /^\d+$/.test(address) ? Number(address) : (portOf(address) ?? 80);
  const normalised = /^\d+$/.test(address) ? `*:${address}` : normaliseAddress(address);
  return {
    address: normalised,
    port,
    protocol: flags.includes("udp") || flags.includes("quic") ? "udp" : "tcp",
    tls: flags.includes("ssl") || (sslOn && !flags.includes("quic")),
    proxyProtocol: flags.includes("proxy_protocol"),
    line: value.line,
    text: `listen ${text}`,
  };
}

function nginxListeners(tree: TreeNode): Listener[] {
  const out: Listener[] = [];
  // A name can head several blocks (`listen 80` redirecting, `listen 443 ssl` serving): number them in order.
  const seen = new Map<string, number>();
  for (const block of nginxBlocks(tree)) {
    const last = [...block.path].reverse().find((segment) => segment.kind === "key");
    if (last?.kind !== "key" || last.key !== "server") continue;
    const listens = itemsOf(child(block.body, "listen"));
    const sslOn = scalarAt(block.body, "ssl") === "on" || scalarAt(block.body, "ssl") === true;
    const names = itemsOf(child(block.body, "server_name"))
      .flatMap((node) =>
        node.kind === "scalar" && node.value !== null ? [String(node.value)] : [],
      )
      .join(" ");
    const context = block.stream ? "stream " : "";
    const occurrence = (seen.get(context + names) ?? 0) + 1;
    seen.set(context + names, occurrence);
    out.push({
      key: `server:${context}${names}#${occurrence}`,
      label: names
        ? `${context}server "${names}"${occurrence > 1 ? ` (block ${occurrence})` : ""}`
        : `${context}server block ${occurrence}`,
      body: block.body,
      positional: names === "",
      line: block.body.line,
      path: formatPath(block.path),
      binds: listens.flatMap((listen) => nginxBind(listen, sslOn) ?? []),
    });
  }
  return out;
}

// HAProxy `bind [addr]:port[,...] [ssl crt ...] [accept-proxy] ...`; `quic4@`/`udp@` prefixes are UDP
// (HAProxy manual §5.1; docs/lb-facts.md §P1).
function haproxyBinds(body: TreeNode): Bind[] {
  return entriesOf(child(body, "bind")).flatMap(([address, value]) =>
    itemsOf(value).map((node) => {
      const params =
        node.kind === "scalar" && typeof node.value === "string" ? node.value.split(/\s+/) : [];
      return {
        address: address.split(",").map(normaliseAddress).join(","),
        port: portOf(address.split(",")[0]!),
        protocol: /^(quic[46]?|udp[46]?)@/.test(address) ? ("udp" as const) : ("tcp" as const),
        tls: params.includes("ssl"),
        proxyProtocol: params.includes("accept-proxy"),
        line: node.line,
        text: `bind ${address}${params.length > 0 ? ` ${params.join(" ")}` : ""}`,
      };
    }),
  );
}

function haproxyListeners(tree: TreeNode): Listener[] {
  const sections: { kind: string; name: string; body: TreeNode }[] = [];
  for (const [name, node] of entriesOf(child(tree, "frontend")))
    for (const body of itemsOf(node)) sections.push({ kind: "frontend", name, body });
  for (const section of haproxySections(tree))
    if (section.kind === "listen")
      sections.push({ kind: "listen", name: section.name ?? "", body: section.body });
  return sections.map(({ kind, name, body }) => {
    const mode = child(body, "mode");
    return {
      key: `${kind}:${name}`,
      label: `${kind} ${name}`,
      body,
      line: body.line,
      path: formatPath([key(kind), key(name)]),
      binds: haproxyBinds(body),
      mode:
        mode?.kind === "scalar" && typeof mode.value === "string"
          ? { value: mode.value, line: mode.line }
          : undefined,
    };
  });
}

/** A listener terminates TLS when a filter chain carries a TLS transport socket (or the v2 `tls_context`). */
function envoyChainTls(chain: TreeNode): boolean {
  return (
    child(chain, "transport_socket") !== undefined || child(chain, "tls_context") !== undefined
  );
}

const LISTENER_TYPE = /\.(config\.listener\.v3|api\.v2)\.Listener$/;

function envoyListeners(tree: TreeNode): Listener[] {
  const multi = tree.kind === "list";
  const out: Listener[] = [];
  (multi ? tree.items : [tree]).forEach((document, documentIndex) => {
    const base: PathSegment[] = multi ? [item(String(documentIndex))] : [];
    const candidates: [TreeNode, PathSegment[]][] = [];
    itemsOf(child(child(document, "static_resources"), "listeners")).forEach((listener, index) =>
      candidates.push([
        listener,
        [...base, key("static_resources"), key("listeners"), item(String(index))],
      ]),
    );
    itemsOf(child(document, "resources")).forEach((resource, index) => {
      if (LISTENER_TYPE.test(String(scalarAt(resource, "@type") ?? "")))
        candidates.push([resource, [...base, key("resources"), item(String(index))]]);
    });
    candidates.forEach(([listener, segments], index) => {
      const name = scalarAt(listener, "name");
      const socket = child(child(listener, "address"), "socket_address");
      const port = toNumber(scalarAt(socket, "port_value"));
      const host = String(scalarAt(socket, "address") ?? "");
      const chains = itemsOf(child(listener, "filter_chains"));
      const binds: Bind[] = socket
        ? [
            {
              address: normaliseAddress(`${host}:${port ?? scalarAt(socket, "named_port") ?? "?"}`),
              port,
              protocol:
                String(scalarAt(socket, "protocol") ?? "TCP").toUpperCase() === "UDP"
                  ? "udp"
                  : "tcp",
              tls: chains.length > 0 && chains.some(envoyChainTls),
              proxyProtocol: itemsOf(child(listener, "listener_filters")).some((filter) =>
                String(scalarAt(filter, "name") ?? "").includes("proxy_protocol"),
              ),
              line: child(socket, "port_value")?.line ?? socket.line,
              text: `${host}:${port ?? "?"}`,
            },
          ]
        : [];
      out.push({
        key: typeof name === "string" ? `listener:${name}` : `listener#${index}`,
        label: typeof name === "string" ? `listener "${name}"` : `listener ${index + 1}`,
        body: listener,
        positional: typeof name !== "string",
        line: listener.line,
        path: formatPath([...segments]),
        binds,
      });
    });
  });
  return out;
}

// entryPoints.NAME.address `[host]:port[/tcp|/udp]`; TLS on the entry point: v2+ `http.tls`, v1 `tls` (T).
function traefikListeners(tree: TreeNode): Listener[] {
  const documents = tree.kind === "list" ? tree.items : [tree];
  return documents.flatMap((document) => {
    const found = childFold(document, "entryPoints");
    if (!found) return [];
    return entriesOf(found[1]).map(([name, body]) => {
      const address = fold(body, "address");
      const text =
        address?.kind === "scalar" && address.value !== null ? String(address.value) : "";
      const [hostPort = "", transport = "tcp"] = text.split("/");
      return {
        key: `entrypoint:${name.toLowerCase()}`,
        label: `entryPoint ${name}`,
        body,
        line: body.line,
        path: formatPath([key(found[0]), key(name)]),
        binds: address
          ? [
              {
                address: normaliseAddress(hostPort),
                port: portOf(hostPort),
                protocol: transport.toLowerCase() === "udp" ? ("udp" as const) : ("tcp" as const),
                tls: fold(body, "http", "tls") !== undefined || fold(body, "tls") !== undefined,
                proxyProtocol: fold(body, "proxyProtocol") !== undefined,
                line: address.line,
                text: `address ${text}`,
              },
            ]
          : [],
      };
    });
  });
}

/**
 * The listeners of a proxy config; Kubernetes, Terraform and CloudFormation have their own rules.
 * Extracted once per tree (many rules read it).
 */
export const listenersOf = memoByDialectTree(extractListenersOf);

function extractListenersOf(dialect: Dialect, tree: TreeNode): Listener[] {
  switch (dialect) {
    case "nginx":
      return nginxListeners(tree);
    case "haproxy":
      return haproxyListeners(tree);
    case "envoy":
      return envoyListeners(tree);
    case "traefik":
      return traefikListeners(tree);
    default:
      return [];
  }
}

/** Listeners of the two versions paired by key: [before, after] for those on both sides. */
export function keptListeners(
  dialect: Dialect,
  before: TreeNode | null,
  after: TreeNode | null,
): [Listener, Listener][] {
  return keptPairs(listenersOf(dialect, before), listenersOf(dialect, after));
}
