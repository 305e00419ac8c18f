// Istio networking objects (networking.istio.io v1, v1beta1, v1alpha3): a Gateway's servers (the mesh's
// listeners), a VirtualService's routes and their weighted destinations, a DestinationRule's traffic policies.
// Defaults (docs/lb-facts.md §P5c): outlier detection consecutive5xxErrors 5, interval 10 s, baseEjectionTime
// 30 s, maxEjectionPercent 10; an HTTP route has no timeout unless one is set.
import {
  child,
  entriesOf,
  fingerprint,
  itemsOf,
  scalarAt,
  type TreeNode,
} from "../../../formats/tree.js";
import { goSeconds } from "../durations.js";
import { toNumber } from "../figures.js";
import { memoByNode } from "../memo.js";
import type { KubernetesObject } from "./objects.js";

/** Does the object belong to Istio's networking API? */
export function isIstio(object: KubernetesObject, kind: string): boolean {
  return object.kind === kind && object.apiVersion.startsWith("networking.istio.io/");
}

/** One `servers` entry of a Gateway: a port the ingress gateway listens on, for some hosts. */
export interface GatewayServer {
  /** Identity across versions: the port's name, else its number. */
  readonly key: string;
  readonly port: number | undefined;
  readonly protocol: string;
  readonly hosts: readonly string[];
  /** `tls.mode` (SIMPLE, MUTUAL, PASSTHROUGH, ISTIO_MUTUAL, AUTO_PASSTHROUGH, OPTIONAL_MUTUAL), upper case. */
  readonly tlsMode: string | undefined;
  readonly httpsRedirect: boolean;
  readonly minProtocolVersion: string | undefined;
  readonly line: number;
  readonly body: TreeNode;
}

const text = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : String(value);

export function gatewayServers(object: KubernetesObject): GatewayServer[] {
  const seen = new Map<string, number>();
  return itemsOf(child(child(object.body, "spec"), "servers")).map((server) => {
    const port = child(server, "port");
    const number = toNumber(scalarAt(port, "number"));
    const name = text(scalarAt(port, "name"));
    const base = name ?? String(number ?? `line ${server.line}`);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    const tls = child(server, "tls");
    return {
      key: count === 1 ? base : `${base}#${count}`,
      port: number,
      protocol: (text(scalarAt(port, "protocol")) ?? "").toUpperCase(),
      hosts: itemsOf(child(server, "hosts")).flatMap((host) =>
        host.kind === "scalar" && host.value !== null ? [String(host.value)] : [],
      ),
      tlsMode: text(scalarAt(tls, "mode"))?.toUpperCase(),
      httpsRedirect:
        scalarAt(tls, "httpsRedirect") === true || scalarAt(tls, "httpsRedirect") === "true",
      minProtocolVersion: text(scalarAt(tls, "minProtocolVersion"))?.toUpperCase(),
      line: server.line,
      body: server,
    };
  });
}

/** A host that matches every name (`*`, or `ns/*` in a namespaced host). */
export function isWildcardHost(host: string): boolean {
  const bare = host.includes("/") ? host.slice(host.indexOf("/") + 1) : host;
  return bare === "*";
}

/** One weighted destination of a route. */
export interface RouteDestination {
  /** `host|subset|port`, with the host in its short form when it is a Service of the object's namespace. */
  readonly key: string;
  readonly label: string;
  /** Share of the route's traffic, 0–100 (a lone destination without weight takes all). */
  readonly weight: number;
  readonly line: number;
}

/** One route of a VirtualService (`http`, `tcp` or `tls` section). */
export interface IstioRoute {
  readonly key: string;
  readonly label: string;
  readonly section: "http" | "tcp" | "tls";
  readonly destinations: readonly RouteDestination[];
  /** `timeout` in seconds (HTTP routes; none = no timeout). */
  readonly timeoutSeconds: number | undefined;
  readonly timeoutLine: number | undefined;
  /**
   * Every `match` entry selects requests by a header or query parameter: the route serves chosen requests (a test
   * user, a canary cohort), not everyone. Source labels are not a cohort: they may name every caller.
   */
  readonly scoped: boolean;
  /** The injected abort: its share of requests (undefined when no percentage is written). */
  readonly abort: { readonly percent: number | undefined; readonly line: number } | undefined;
  readonly line: number;
}

/** `reviews`, `reviews.default`, `reviews.default.svc.cluster.local` name the same Service in `default`. */
export function shortHost(host: string, namespace: string): string {
  const trimmed = host.replace(/\.svc\.cluster\.local\.?$/, "").replace(/\.svc$/, "");
  return trimmed.endsWith(`.${namespace}`) ? trimmed.slice(0, -namespace.length - 1) : trimmed;
}

function destinationsOf(route: TreeNode, namespace: string): RouteDestination[] {
  const items = itemsOf(child(route, "route"));
  return items.flatMap((entry) => {
    const destination = child(entry, "destination");
    const host = text(scalarAt(destination, "host"));
    if (host === undefined) return [];
    const subset = text(scalarAt(destination, "subset")) ?? "";
    const port = text(scalarAt(destination, "port", "number")) ?? "";
    const weight = toNumber(scalarAt(entry, "weight")) ?? (items.length === 1 ? 100 : 0);
    const short = shortHost(host, namespace);
    return [
      {
        key: `${short}|${subset}|${port}`,
        label: `${short}${subset ? ` subset ${subset}` : ""}${port ? `:${port}` : ""}`,
        weight,
        line: entry.line,
      },
    ];
  });
}

/**
 * Every route of a VirtualService, keyed by its name, else by what it matches (the last, catch-all one by "*"): read
 * once per object, for the rules that compare routes and those that look for what routes to a host. Shared, read-only.
 */
export const virtualServiceRoutes: (object: KubernetesObject) => readonly IstioRoute[] =
  memoByNode(routesOf);

function routesOf(object: KubernetesObject): IstioRoute[] {
  const spec = child(object.body, "spec");
  const seen = new Map<string, number>();
  const out: IstioRoute[] = [];
  for (const section of ["http", "tcp", "tls"] as const) {
    for (const route of itemsOf(child(spec, section))) {
      const name = text(scalarAt(route, "name"));
      const match = child(route, "match");
      const base = `${section}:${name ?? (match ? fingerprint(match) : "*")}`;
      const count = (seen.get(base) ?? 0) + 1;
      seen.set(base, count);
      const timeout = child(route, "timeout");
      const abort = child(child(route, "fault"), "abort");
      const percentage =
        toNumber(scalarAt(abort, "percentage", "value")) ?? toNumber(scalarAt(abort, "percent"));
      out.push({
        key: count === 1 ? base : `${base}#${count}`,
        label: name
          ? `${section} route ${name}`
          : match
            ? `${section} route at line ${route.line}`
            : `${section} default route`,
        section,
        destinations: destinationsOf(route, object.namespace),
        timeoutSeconds: timeout?.kind === "scalar" ? goSeconds(timeout.value) : undefined,
        timeoutLine: timeout?.line,
        abort: abort ? { percent: percentage, line: abort.line } : undefined,
        scoped:
          itemsOf(match).length > 0 &&
          itemsOf(match).every((entry) =>
            ["headers", "queryParams"].some((field) => child(entry, field) !== undefined),
          ),
        line: route.line,
      });
    }
  }
  return out;
}

/** `spec.hosts` of a VirtualService or Gateway server list. */
export function hostsOf(object: KubernetesObject): string[] {
  return itemsOf(child(child(object.body, "spec"), "hosts")).flatMap((host) =>
    host.kind === "scalar" && host.value !== null ? [String(host.value)] : [],
  );
}

/** One traffic policy of a DestinationRule: the top-level one, a subset's, or a port-level setting. */
export interface TrafficPolicy {
  readonly key: string;
  readonly label: string;
  readonly body: TreeNode;
  readonly line: number;
}

export function trafficPolicies(object: KubernetesObject): TrafficPolicy[] {
  const spec = child(object.body, "spec");
  const host = text(scalarAt(spec, "host")) ?? object.name;
  const out: TrafficPolicy[] = [];
  const add = (policy: TreeNode | undefined, key: string, label: string): void => {
    if (!policy) return;
    out.push({ key, label, body: policy, line: policy.line });
    itemsOf(child(policy, "portLevelSettings")).forEach((setting, index) => {
      const port = text(scalarAt(setting, "port", "number")) ?? `#${index + 1}`;
      out.push({
        key: `${key}|port ${port}`,
        label: `${label} port ${port}`,
        body: setting,
        line: setting.line,
      });
    });
  };
  add(child(spec, "trafficPolicy"), "", `DestinationRule ${object.name} (${host})`);
  for (const subset of itemsOf(child(spec, "subsets"))) {
    const name = text(scalarAt(subset, "name")) ?? `line ${subset.line}`;
    add(
      child(subset, "trafficPolicy"),
      `subset ${name}`,
      `DestinationRule ${object.name} subset ${name}`,
    );
  }
  return out;
}

/** Outlier detection as Istio applies it, with its defaults where a value is absent. */
export interface OutlierDetection {
  /** Consecutive errors that eject a host (the smallest of 5xx, gateway and legacy `consecutiveErrors`). */
  readonly errors: number;
  readonly errorsKey: string;
  readonly errorsLine: number;
  readonly maxEjectionPercent: number;
  readonly baseEjectionSeconds: number;
  readonly line: number;
}

// Istio DestinationRule reference (docs/lb-facts.md §P5c): consecutive5xxErrors 5, consecutiveGatewayErrors off,
// baseEjectionTime 30 s, maxEjectionPercent 10.
export const OUTLIER_DEFAULTS = { errors: 5, maxEjectionPercent: 10, baseEjectionSeconds: 30 };

export function outlierDetectionOf(policy: TreeNode): OutlierDetection | undefined {
  const outlier = child(policy, "outlierDetection");
  if (!outlier) return undefined;
  const written = ["consecutive5xxErrors", "consecutiveGatewayErrors", "consecutiveErrors"].flatMap(
    (name) => {
      const node = child(outlier, name);
      const value = node?.kind === "scalar" ? toNumber(node.value) : undefined;
      return node && value !== undefined ? [{ name, value, line: node.line }] : [];
    },
  );
  // 0 turns a detector off; consecutive5xxErrors applies its default of 5 unless it is written.
  const active = written.filter((entry) => entry.value > 0);
  if (!written.some((entry) => entry.name === "consecutive5xxErrors"))
    active.push({
      name: "consecutive5xxErrors",
      value: OUTLIER_DEFAULTS.errors,
      line: outlier.line,
    });
  const first = active.sort((a, b) => a.value - b.value)[0];
  if (!first) return undefined;
  const { value: errors, name: errorsKey, line: errorsLine } = first;
  const base = child(outlier, "baseEjectionTime");
  return {
    errors,
    errorsKey,
    errorsLine,
    maxEjectionPercent:
      toNumber(scalarAt(outlier, "maxEjectionPercent")) ?? OUTLIER_DEFAULTS.maxEjectionPercent,
    baseEjectionSeconds:
      (base?.kind === "scalar" ? goSeconds(base.value) : undefined) ??
      OUTLIER_DEFAULTS.baseEjectionSeconds,
    line: outlier.line,
  };
}

/** The consistent-hash key of a load balancer policy (`httpHeaderName: x-user`, `httpCookie: s`, …), if any. */
export function consistentHashOf(policy: TreeNode): { text: string; line: number } | undefined {
  const hash = child(child(policy, "loadBalancer"), "consistentHash");
  if (!hash) return undefined;
  const [name, value] = entriesOf(hash)[0] ?? [];
  const shown =
    name === undefined
      ? "consistentHash"
      : value?.kind === "scalar"
        ? `${name}: ${String(value.value)}`
        : value?.kind === "map"
          ? `${name} ${String(scalarAt(value, "name") ?? "")}`.trim()
          : name;
  return { text: shown, line: hash.line };
}

/** `tls.mode` of a traffic policy (DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL), upper case. */
export function tlsModeOf(policy: TreeNode): { mode: string; line: number } | undefined {
  const mode = child(child(policy, "tls"), "mode");
  if (mode?.kind !== "scalar" || mode.value === null) return undefined;
  return { mode: String(mode.value).toUpperCase(), line: mode.line };
}

/**
 * Connection pool limits that reject requests above them (HTTP pending/concurrent requests, TCP connections).
 * `maxRequestsPerConnection` is not one: at its limit the connection is closed and the next request opens another
 * (1 turns keep-alive off), nothing is rejected.
 */
export const POOL_LIMITS = [
  { path: ["tcp", "maxConnections"], name: "tcp.maxConnections" },
  { path: ["http", "http1MaxPendingRequests"], name: "http.http1MaxPendingRequests" },
  { path: ["http", "http2MaxRequests"], name: "http.http2MaxRequests" },
] as const;

export function poolLimit(
  policy: TreeNode,
  path: readonly string[],
): { value: number; line: number } | undefined {
  let node: TreeNode | undefined = child(policy, "connectionPool");
  for (const name of path) node = child(node, name);
  const value = node?.kind === "scalar" ? toNumber(node.value) : undefined;
  return node && value !== undefined ? { value, line: node.line } : undefined;
}
