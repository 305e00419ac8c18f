// Which lists a dialect evaluates in the order written (first match wins, or a pipeline), so that a reorder there
// is a change. Everywhere else items are matched by identity and a reorder is no change: servers of a pool,
// environment variables by name, ports, prefix locations.
import type { Dialect } from "../formats/dialect.js";
import type { TreeNode } from "../formats/tree.js";

/** The kinds of ordered lists, each with what its order decides. */
export type OrderedListKind =
  | "haproxy.rules"
  | "haproxy.check-sequence"
  | "haproxy.filters"
  | "nginx.regex-locations"
  | "nginx.rewrite"
  | "envoy.routes"
  | "envoy.http-filters"
  | "envoy.listener-filters"
  | "envoy.network-filters"
  | "traefik.middlewares"
  | "istio.routes"
  | "argv"
  | "init-containers";

export interface OrderedList {
  readonly kind: OrderedListKind;
  /** For a map whose keys are its items (nginx `location` blocks): the keys that take part in the order. */
  readonly keys?: (key: string) => boolean;
  /** Items are ordered only against items of the same group (HAProxy `tcp-request connection` vs `content`). */
  readonly group?: (item: TreeNode, label: string) => string;
}

/** Where a list sits: the dialect, the map keys leading to it (list items skipped) and its document's `kind`. */
export interface ListPlace {
  readonly dialect: Dialect;
  readonly keys: readonly string[];
  readonly documentKind: string | undefined;
}

// HAProxy evaluates each rule set in its declaration order and the first final action wins (use_backend: "all these
// rules are evaluated in their declaration order, and the first one which matches will assign the backend"; the same
// for http-request, tcp-request, use-server, stick match ...), HAProxy manual §4.2:
// https://haproxy.org/download/2.4/doc/configuration.txt. `acl` lines of one name are ORed and `errorfile` is
// keyed by status: their order means nothing.
const HAPROXY_RULES = new Set([
  "http-request",
  "http-response",
  "http-after-response",
  "tcp-request",
  "tcp-response",
  "use_backend",
  "use-server",
  "redirect",
  "quic-initial",
  "block",
]);
// HAProxy 1.x header filters (reqrep, reqideny, rspadd ...; removed in 2.1, still in old configs) form one request
// and one response list in declaration order, across their keywords: a sequence (sequenceAt).
const HAPROXY_LEGACY_FILTERS: ReadonlySet<string> = new Set(
  ["req", "reqi", "rsp", "rspi"].flatMap((prefix) =>
    ["add", "allow", "del", "deny", "pass", "rep", "tarpit"].map((action) => `${prefix}${action}`),
  ),
);
const HAPROXY_PROXIES = new Set(["frontend", "backend", "listen", "defaults"]);
// `http-check`/`tcp-check` lines are one send/expect sequence; filters run in the order declared.
const HAPROXY_SEQUENCES = new Set(["http-check", "tcp-check"]);

/** `tcp-request connection|session|content` are separate rule sets; `inspect-delay` is a setting. */
const firstWord = (item: TreeNode): string =>
  item.kind === "scalar" ? String(item.value).split(/\s+/)[0]! : "";

// nginx checks regex locations "in the order of their appearance in the configuration file" and stops at the first
// match; prefix and exact locations are chosen by length, whatever their order:
// https://nginx.org/en/docs/http/ngx_http_core_module.html#location
const REGEX_LOCATION = /^~\*? /;
// The rewrite module's directives of a block (`rewrite`, `if`, `return`, `set`, `break`) are executed sequentially, in
// the order written: https://nginx.org/en/docs/http/ngx_http_rewrite_module.html. The parser groups a block's
// directives by name, so their sequence is read back from their lines (sequenceAt).
const REWRITE_DIRECTIVES: ReadonlySet<string> = new Set([
  "rewrite",
  "if",
  "return",
  "set",
  "break",
]);
// Table bodies hold data keyed by arbitrary words, never directives.
const NGINX_TABLES = new Set(["map", "geo", "split_clients", "types", "charset_map"]);

/** The ordered list at a place, or undefined when its order carries no meaning. */
export function orderedAt(place: ListPlace): OrderedList | undefined {
  const last = place.keys.at(-1);
  if (last === undefined) return undefined;
  const parent = place.keys.at(-2);
  switch (place.dialect) {
    case "haproxy":
      if (HAPROXY_RULES.has(last))
        return last.startsWith("tcp-")
          ? { kind: "haproxy.rules", group: firstWord }
          : { kind: "haproxy.rules" };
      if (parent === "stick" && (last === "match" || last === "on"))
        return { kind: "haproxy.rules" };
      if (HAPROXY_SEQUENCES.has(last)) return { kind: "haproxy.check-sequence" };
      if (last === "filter") return { kind: "haproxy.filters" };
      return undefined;
    case "nginx":
      if (last === "location") return { kind: "nginx.regex-locations", keys: isRegexLocation };
      return undefined;
    case "envoy":
      return envoyList(place.keys);
    case "traefik":
      // A router's middlewares run in the order listed, before its service; a chain's likewise:
      // https://doc.traefik.io/traefik/reference/routing-configuration/http/middlewares/chain
      return last.toLowerCase() === "middlewares" ? { kind: "traefik.middlewares" } : undefined;
    case "kubernetes":
      return kubernetesList(place, last, parent);
    case "compose":
      return (last === "command" || last === "entrypoint") && place.keys[0] === "services"
        ? { kind: "argv" }
        : undefined;
    default:
      return undefined;
  }
}

/** Directives of one block whose relative order matters across their names, in the order of their lines. */
export interface OrderedSequence extends OrderedList {
  readonly directives: ReadonlySet<string>;
}

/** The ordered sequence of the block (a map) at a place, or undefined. */
export function sequenceAt(place: ListPlace): OrderedSequence | undefined {
  if (place.dialect === "haproxy") {
    const section = place.keys[0];
    return section !== undefined && HAPROXY_PROXIES.has(section) && place.keys.length <= 2
      ? {
          kind: "haproxy.rules",
          directives: HAPROXY_LEGACY_FILTERS,
          group: (_item, label) => label.slice(0, 3),
        }
      : undefined;
  }
  if (place.dialect !== "nginx" || place.keys.some((name) => NGINX_TABLES.has(name)))
    return undefined;
  return { kind: "nginx.rewrite", directives: REWRITE_DIRECTIVES };
}

function isRegexLocation(key: string): boolean {
  return REGEX_LOCATION.test(key);
}

function envoyList(keys: readonly string[]): OrderedList | undefined {
  const last = keys.at(-1)!;
  const within = (name: string, camel: string): boolean =>
    keys.includes(name) || keys.includes(camel);
  // "Each route entry in the virtual host is checked, in order. If there is a match, the route is used and no
  // further route checks are made": https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_conn_man/route_matching
  if (last === "routes") return { kind: "envoy.routes" };
  // HTTP and network filters form chains run in order; the router filter must close the HTTP chain:
  // https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/http/http_filters
  if (last === "http_filters" || last === "httpFilters") return { kind: "envoy.http-filters" };
  if (last === "listener_filters" || last === "listenerFilters")
    return { kind: "envoy.listener-filters" };
  if (
    last === "filters" &&
    (within("filter_chains", "filterChains") ||
      within("default_filter_chain", "defaultFilterChain"))
  )
    return { kind: "envoy.network-filters" };
  return undefined;
}

const TRAEFIK_KINDS = new Set(["IngressRoute", "IngressRouteTCP", "Middleware", "MiddlewareTCP"]);

function kubernetesList(
  place: ListPlace,
  last: string,
  parent: string | undefined,
): OrderedList | undefined {
  // Istio: "Routing rules are evaluated in sequential order from top to bottom, with the first rule in the virtual
  // service definition being given highest priority": https://istio.io/latest/docs/concepts/traffic-management/#routing-rule-precedence
  if (
    place.documentKind === "VirtualService" &&
    place.keys.length === 2 &&
    parent === "spec" &&
    (last === "http" || last === "tcp" || last === "tls")
  )
    return { kind: "istio.routes" };
  if (
    place.documentKind !== undefined &&
    TRAEFIK_KINDS.has(place.documentKind) &&
    last === "middlewares"
  )
    return { kind: "traefik.middlewares" };
  // A container's argv; init containers run one after another, in the order listed:
  // https://kubernetes.io/docs/concepts/workloads/pods/init-containers/
  if (last === "args" || last === "command") return { kind: "argv" };
  if (last === "initContainers") return { kind: "init-containers" };
  return undefined;
}
