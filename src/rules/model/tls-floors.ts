// The lowest TLS protocol each TLS context accepts, normalised across formats: nginx `ssl_protocols` (and the
// proxy_/grpc_ directions), ingress-nginx `ssl-protocols`, HAProxy `ssl-default-bind-options` /
// `ssl-default-server-options`, bind and server options (`ssl-min-ver`, `no-tlsv1x`, `force-tlsv1x`), Envoy
// `tls_params.tls_minimum_protocol_version`, Traefik TLS options (`minVersion`, file or TLSOption CRD).
// Defaults when a context writes nothing: docs/lb-facts.md §P8.
import { formatPath, key } from "../../diff/path.js";
import type { Dialect } from "../../formats/dialect.js";
import { child, entriesOf, itemsOf, scalarAt, type TreeNode } from "../../formats/tree.js";
import { clustersOf } from "./envoy/clusters.js";
import { fieldAt } from "./envoy/fields.js";
import { haproxySections } from "./haproxy/sections.js";
import { nginxSettings } from "./kubernetes/ingress-nginx.js";
import { objectPath, objectsOf } from "./kubernetes/objects.js";
import { memoByDialectTree } from "./memo.js";
import { listenersOf } from "./proxy-listeners.js";
import { childFold, fold } from "./traefik/keys.js";

/** Protocol versions in order: the floor is an index into this list. */
export const VERSIONS = ["SSLv3", "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3"] as const;
export const TLS12 = 3;

export interface TlsFloor {
  readonly key: string;
  readonly label: string;
  readonly line: number;
  readonly path: string;
  /** Index into VERSIONS of the lowest protocol accepted; undefined when unknowable. */
  readonly floor: number | undefined;
  /** What is written (undefined: nothing, the default applies). */
  readonly text: string | undefined;
  /** What the default is, for messages. */
  readonly fallback: string;
  /** Who is refused when the floor rises: clients connecting in, or the servers connected to. */
  readonly peers: "clients" | "servers";
  /** The section that would hold it is not in this file (HAProxy `global`). */
  readonly sectionMissing?: true;
  /** The cipher list of the same context as written (OpenSSL string, or suites joined by `:`), when written. */
  readonly ciphers?: { readonly text: string; readonly line: number } | undefined;
}

const written = (node: TreeNode | undefined): { text: string; line: number } | undefined => {
  if (!node) return undefined;
  if (node.kind === "scalar")
    return node.value === null ? undefined : { text: String(node.value), line: node.line };
  const items = itemsOf(node).flatMap((entry) =>
    entry.kind === "scalar" && entry.value !== null ? [String(entry.value)] : [],
  );
  return items.length > 0 ? { text: items.join(":"), line: node.line } : undefined;
};

// nginx / ingress-nginx protocol words.
const NGINX_WORDS: Record<string, number> = {
  sslv2: 0,
  sslv3: 0,
  tlsv1: 1,
  "tlsv1.0": 1,
  "tlsv1.1": 2,
  "tlsv1.2": 3,
  "tlsv1.3": 4,
};

export function listFloor(text: string): number | undefined {
  const found = text
    .split(/\s+/)
    .map((word) => NGINX_WORDS[word.toLowerCase()])
    .filter((index): index is number => index !== undefined);
  return found.length > 0 ? Math.min(...found) : undefined;
}

// HAProxy version words (`ssl-min-ver`, `force-`, `no-`).
const HAPROXY_VERSIONS: Record<string, number> = {
  sslv3: 0,
  tlsv10: 1,
  "tlsv1.0": 1,
  tlsv11: 2,
  "tlsv1.1": 2,
  tlsv12: 3,
  "tlsv1.2": 3,
  tlsv13: 4,
  "tlsv1.3": 4,
};

/** Whether HAProxy options name a protocol version at all. */
export const HAPROXY_VERSION_OPTION =
  /^(no-(sslv3|tlsv1[0-3])|force-(sslv3|tlsv1[0-3])|ssl-min-ver)$/i;

/**
 * The lowest protocol HAProxy options leave enabled, starting from every protocol (HAProxy enables what the SSL
 * library offers unless told otherwise; docs/lb-facts.md §P8).
 */
export function haproxyFloor(tokens: readonly string[]): number {
  let min = 0;
  const disabled = new Set<number>();
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!.toLowerCase();
    if (token === "ssl-min-ver") {
      const version = HAPROXY_VERSIONS[(tokens[index + 1] ?? "").toLowerCase()];
      if (version !== undefined) min = Math.max(min, version);
      index++;
      continue;
    }
    const no = /^no-(sslv3|tlsv1[0-3])$/.exec(token);
    if (no) disabled.add(HAPROXY_VERSIONS[no[1]!]!);
    const force = /^force-(sslv3|tlsv1[0-3])$/.exec(token);
    if (force) min = Math.max(min, HAPROXY_VERSIONS[force[1]!]!);
  }
  for (let version = min; version < VERSIONS.length; version++)
    if (!disabled.has(version)) return version;
  return min;
}

const words = (value: unknown): string[] =>
  typeof value === "string" ? value.split(/\s+/).filter(Boolean) : [];

const HAPROXY_FALLBACK =
  "HAProxy's default: every protocol the SSL library offers before 2.2 (SSLv3 and TLS 1.0 included), TLS 1.2 and up from 2.2";

function haproxyFloors(tree: TreeNode): TlsFloor[] {
  const out: TlsFloor[] = [];
  const global = child(tree, "global");
  const globalTokens = { bind: [] as string[], server: [] as string[] };
  for (const [direction, name] of [
    ["bind", "ssl-default-bind-options"],
    ["server", "ssl-default-server-options"],
  ] as const) {
    const node = child(global, name);
    const tokens = words(node?.kind === "scalar" ? node.value : undefined);
    globalTokens[direction] = tokens;
    out.push({
      // Without a global section here it may come from another file: a global added is not judged, one removed is.
      ...(global ? {} : { sectionMissing: true }),
      key: `global:${name}`,
      label: `global ${name}`,
      line: node?.line ?? global?.line ?? 1,
      path: formatPath([key("global"), key(name)]),
      floor: haproxyFloor(tokens),
      text: node?.kind === "scalar" && node.value !== null ? String(node.value) : undefined,
      fallback: HAPROXY_FALLBACK,
      peers: direction === "bind" ? "clients" : "servers",
      ciphers: written(child(global, `ssl-default-${direction}-ciphers`)),
    });
  }
  // Bind and server lines that name a version themselves: their own options on top of the global ones.
  for (const listener of listenersOf("haproxy", tree))
    for (const bind of listener.binds) {
      if (!bind.tls) continue;
      const own = bind.text.split(/\s+/).slice(2);
      if (!own.some((token) => HAPROXY_VERSION_OPTION.test(token))) continue;
      out.push({
        key: `bind:${listener.key}:${bind.address}`,
        label: `${listener.label} bind ${bind.address}`,
        line: bind.line,
        path: listener.path,
        floor: haproxyFloor([...globalTokens.bind, ...own]),
        text: own.filter((token) => HAPROXY_VERSION_OPTION.test(token)).join(" "),
        fallback: "the global ssl-default-bind-options",
        peers: "clients",
      });
    }
  for (const section of haproxySections(tree)) {
    if (section.kind !== "backend" && section.kind !== "listen") continue;
    for (const [name, server] of entriesOf(child(section.body, "server"))) {
      if (server.kind !== "map" || scalarAt(server, "ssl") !== true) continue;
      const own: string[] = [];
      for (const [option, value] of entriesOf(server)) {
        if (!HAPROXY_VERSION_OPTION.test(option)) continue;
        own.push(option);
        if (option.toLowerCase() === "ssl-min-ver" && value.kind === "scalar")
          own.push(String(value.value));
      }
      if (own.length === 0) continue;
      out.push({
        key: `server:${section.kind}:${section.name ?? ""}:${name}`,
        label: `server ${name} of ${section.kind} ${section.name ?? ""}`,
        line: server.line,
        path: formatPath([key(section.kind), key(section.name ?? ""), key("server"), key(name)]),
        floor: haproxyFloor([...globalTokens.server, ...own]),
        text: own.join(" "),
        fallback: "the global ssl-default-server-options",
        peers: "servers",
      });
    }
  }
  return out;
}

// Envoy TlsParameters.TlsProtocol; TLS_AUTO is the default (docs/lb-facts.md §P3).
const ENVOY_VERSIONS: Record<string, number> = { TLSV1_0: 1, TLSV1_1: 2, TLSV1_2: 3, TLSV1_3: 4 };
const ENVOY_FALLBACK = "Envoy's default, TLS 1.2";

function envoyContext(
  socketOwner: TreeNode | undefined,
  keyText: string,
  label: string,
  path: string,
  peers: "clients" | "servers",
): TlsFloor | undefined {
  const config =
    fieldAt(socketOwner, "transport_socket", "typed_config") ??
    fieldAt(socketOwner, "transport_socket", "config") ??
    fieldAt(socketOwner, "tls_context");
  if (!config) return undefined;
  const params = fieldAt(config, "common_tls_context", "tls_params");
  const node = fieldAt(params, "tls_minimum_protocol_version");
  const value = node?.kind === "scalar" ? String(node.value ?? "").toUpperCase() : undefined;
  const floor = value === undefined || value === "TLS_AUTO" ? TLS12 : ENVOY_VERSIONS[value];
  return {
    key: keyText,
    label,
    line: node?.line ?? params?.line ?? config.line,
    path,
    floor,
    text: value,
    fallback: ENVOY_FALLBACK,
    peers,
    ciphers: written(fieldAt(params, "cipher_suites")),
  };
}

function envoyFloors(tree: TreeNode): TlsFloor[] {
  const out: TlsFloor[] = [];
  for (const cluster of clustersOf(tree)) {
    const found = envoyContext(
      cluster.body,
      `cluster:${cluster.name}`,
      `cluster "${cluster.name}" (upstream TLS)`,
      formatPath([...cluster.segments, key("transport_socket")]),
      "servers",
    );
    if (found) out.push(found);
  }
  for (const listener of listenersOf("envoy", tree))
    itemsOf(child(listener.body, "filter_chains")).forEach((chain, index) => {
      const found = envoyContext(
        chain,
        `${listener.key}#${index}`,
        `${listener.label} filter chain ${index + 1} (downstream TLS)`,
        `${listener.path}.filter_chains[${index}]`,
        "clients",
      );
      if (found) out.push(found);
    });
  return out;
}

// Traefik `VersionTLS1x`; TLS 1.2 is the default from v2.8.1 (docs/lb-facts.md §P4).
const TRAEFIK_VERSIONS: Record<string, number> = {
  versiontls10: 1,
  versiontls11: 2,
  versiontls12: 3,
  versiontls13: 4,
};
const TRAEFIK_FALLBACK = "Traefik's default, TLS 1.2 (since v2.8.1)";

function traefikOption(
  body: TreeNode,
  keyText: string,
  label: string,
  path: string,
  line: number,
): TlsFloor {
  const node = fold(body, "minVersion");
  const value = node?.kind === "scalar" ? String(node.value ?? "") : undefined;
  return {
    key: keyText,
    label,
    line: node?.line ?? line,
    path,
    floor: value === undefined ? TLS12 : TRAEFIK_VERSIONS[value.toLowerCase()],
    text: value,
    fallback: TRAEFIK_FALLBACK,
    peers: "clients",
    ciphers: written(fold(body, "cipherSuites")),
  };
}

function traefikFloors(tree: TreeNode): TlsFloor[] {
  const documents = tree.kind === "list" ? tree.items : [tree];
  return documents.flatMap((document) => {
    const tls = childFold(document, "tls");
    const options = childFold(tls?.[1], "options");
    if (!tls || !options) return [];
    return entriesOf(options[1]).map(([name, body]) =>
      traefikOption(
        body,
        `tls-option:${name}`,
        `TLS option ${name}`,
        formatPath([key(tls[0]), key(options[0]), key(name)]),
        body.line,
      ),
    );
  });
}

const INGRESS_NGINX_FALLBACK = "ingress-nginx's default, TLSv1.2 TLSv1.3";

function kubernetesFloors(tree: TreeNode): TlsFloor[] {
  const out: TlsFloor[] = [];
  for (const object of objectsOf(tree)) {
    if (object.kind === "TLSOption") {
      out.push(
        traefikOption(
          child(object.body, "spec") ?? object.body,
          object.id,
          object.label,
          objectPath(object, key("spec"), key("minVersion")),
          object.line,
        ),
      );
      continue;
    }
    if (object.kind !== "ConfigMap" && object.kind !== "Ingress") continue;
    const settings = nginxSettings(object);
    if (!settings) continue;
    // An Ingress sets its cipher list by annotation; its protocols are the controller's (ConfigMap).
    const setting = object.kind === "ConfigMap" ? settings.get("ssl-protocols") : undefined;
    if (object.kind === "Ingress" && !settings.has("ssl-ciphers")) continue;
    out.push({
      key: object.id,
      label: object.label,
      line: setting?.line ?? object.line,
      path: objectPath(object, key("data"), key("ssl-protocols")),
      floor: setting ? listFloor(setting.value) : TLS12,
      text: setting?.value,
      fallback: INGRESS_NGINX_FALLBACK,
      peers: "clients",
      ciphers: settings.get("ssl-ciphers")
        ? { text: settings.get("ssl-ciphers")!.value, line: settings.get("ssl-ciphers")!.line }
        : undefined,
    });
  }
  return out;
}

/**
 * The TLS floors of a file (nginx's are read directive by directive by the rule itself), extracted once per tree
 * for generic.tls.minimum-changed and generic.tls.ciphers-narrowed.
 */
export const tlsFloorsOf = memoByDialectTree((dialect: Dialect, tree: TreeNode): TlsFloor[] => {
  switch (dialect) {
    case "haproxy":
      return haproxyFloors(tree);
    case "envoy":
      return envoyFloors(tree);
    case "traefik":
      return traefikFloors(tree);
    case "kubernetes":
      return kubernetesFloors(tree);
    default:
      return [];
  }
});
