// Envoy clusters, endpoints and routes, read for the envoy.* rules. Field names may be written in snake_case or in
// the lowerCamelCase of the proto3 JSON mapping (`connect_timeout` = `connectTimeout`).
import { formatPath, item, key, type PathSegment } from "../../diff/path.js";
import {
  child,
  entriesOf,
  fingerprint,
  itemsOf,
  scalarAt,
  toPlain,
  type TreeNode,
} from "../../formats/tree.js";
import { protoSeconds } from "../model/durations.js";
import { envoyClusters, type EnvoyCluster } from "../model/envoy.js";
import { toNumber } from "../model/figures.js";

const camel = (snake: string): string =>
  snake.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** A field in either spelling. */
export function field(node: TreeNode | undefined, name: string): TreeNode | undefined {
  return child(node, name) ?? child(node, camel(name));
}

export function fieldAt(node: TreeNode | undefined, ...names: string[]): TreeNode | undefined {
  let current = node;
  for (const name of names) current = field(current, name);
  return current;
}

/** A protobuf Duration field in seconds (`"5s"`, `{ seconds, nanos }`). */
export function seconds(node: TreeNode | undefined): number | undefined {
  return node ? protoSeconds(toPlain(node)) : undefined;
}

/** A UInt32Value or Percent field: a bare number, or the `{ value: n }` wrapper. */
export function count(node: TreeNode | undefined): number | undefined {
  const scalar = node?.kind === "map" ? child(node, "value") : node;
  return scalar?.kind === "scalar" ? toNumber(scalar.value) : undefined;
}

export const clustersOf = (tree: TreeNode | null): EnvoyCluster[] =>
  tree ? envoyClusters(tree) : [];

/** Clusters present in both versions, by name. */
export function clusterPairs(
  before: TreeNode | null,
  after: TreeNode | null,
): [EnvoyCluster, EnvoyCluster][] {
  const previous = new Map(clustersOf(before).map((cluster) => [cluster.name, cluster]));
  return clustersOf(after).flatMap((cluster) => {
    const old = previous.get(cluster.name);
    return old ? [[old, cluster] as [EnvoyCluster, EnvoyCluster]] : [];
  });
}

/** An active health check present in both versions of a cluster, matched by its place in `health_checks`. */
export interface HealthCheckPair {
  readonly cluster: EnvoyCluster;
  readonly index: number;
  readonly before: TreeNode;
  readonly after: TreeNode;
}

/** The health checks of the clusters present in both versions, paired by position. */
export function healthCheckPairs(
  before: TreeNode | null,
  after: TreeNode | null,
): HealthCheckPair[] {
  return clusterPairs(before, after).flatMap(([clusterBefore, cluster]) => {
    const checksBefore = itemsOf(field(clusterBefore.body, "health_checks"));
    return itemsOf(field(cluster.body, "health_checks")).flatMap((check, index) => {
      const previous = checksBefore[index];
      return previous ? [{ cluster, index, before: previous, after: check }] : [];
    });
  });
}

export const clusterPath = (cluster: EnvoyCluster, ...names: string[]): string =>
  formatPath([...cluster.segments, ...names.map(key)]);

export const clusterLabel = (cluster: EnvoyCluster): string => `cluster "${cluster.name}"`;

/** The load-balancing policy, upper-cased (Envoy accepts enum names in any case); ROUND_ROBIN by default. */
export function lbPolicyOf(cluster: EnvoyCluster): string {
  const typed = scalarAt(
    itemsOf(fieldAt(cluster.body, "load_balancing_policy", "policies"))[0],
    "typed_extension_config",
    "typed_config",
    "@type",
  );
  if (typeof typed === "string") {
    if (/ring_hash/i.test(typed)) return "RING_HASH";
    if (/maglev/i.test(typed)) return "MAGLEV";
    return typed.split(".").pop() ?? typed;
  }
  return String(scalarAt(field(cluster.body, "lb_policy")) ?? "ROUND_ROBIN").toUpperCase();
}

export const HASH_POLICIES = new Set(["RING_HASH", "MAGLEV"]);

// --- endpoints ---

export interface Endpoint {
  /** `10.0.0.1:8080`, `backend:8000`, `unix:/run/app.sock`. */
  readonly address: string;
  readonly line: number;
  /** Takes traffic while healthy: priority 0 and no health_status that excludes it. */
  readonly active: boolean;
}

export interface Assignment {
  /** The cluster it feeds. */
  readonly name: string;
  readonly label: string;
  readonly path: string;
  readonly endpoints: readonly Endpoint[];
}

// core/v3 HealthStatus values a host is not load-balanced to (EDS-reported status overrides active checks).
const OUT_OF_SERVICE = new Set(["UNHEALTHY", "DRAINING", "TIMEOUT"]);

function addressOf(endpoint: TreeNode | undefined): string | undefined {
  const socket = fieldAt(endpoint, "address", "socket_address");
  if (socket) {
    const host = scalarAt(socket, "address");
    const port = scalarAt(field(socket, "port_value")) ?? scalarAt(field(socket, "named_port"));
    return host === undefined
      ? undefined
      : `${String(host)}${port === undefined ? "" : `:${String(port)}`}`;
  }
  const pipe = scalarAt(fieldAt(endpoint, "address", "pipe"), "path");
  return pipe === undefined ? undefined : `unix:${String(pipe)}`;
}

function endpointsOf(assignment: TreeNode | undefined): Endpoint[] {
  return itemsOf(field(assignment, "endpoints")).flatMap((locality) => {
    const priority = count(field(locality, "priority")) ?? 0;
    return itemsOf(field(locality, "lb_endpoints")).flatMap((entry) => {
      const address = addressOf(field(entry, "endpoint"));
      if (address === undefined) return [];
      const status = String(scalarAt(field(entry, "health_status")) ?? "").toUpperCase();
      return [{ address, line: entry.line, active: priority === 0 && !OUT_OF_SERVICE.has(status) }];
    });
  });
}

/** Endpoints of each cluster's load_assignment, and of ClusterLoadAssignment resources (EDS files). */
export function assignmentsOf(tree: TreeNode | null): Assignment[] {
  if (!tree) return [];
  const out: Assignment[] = clustersOf(tree).flatMap((cluster) => {
    const assignment = field(cluster.body, "load_assignment");
    // v2-era clusters list `hosts` directly.
    const hosts = itemsOf(field(cluster.body, "hosts")).flatMap((host) => {
      const address = addressOf({
        kind: "map",
        line: host.line,
        entries: new Map([["address", host]]),
      });
      return address === undefined ? [] : [{ address, line: host.line, active: true }];
    });
    if (!assignment && hosts.length === 0) return [];
    return [
      {
        name: cluster.name,
        label: clusterLabel(cluster),
        path: clusterPath(cluster, assignment ? "load_assignment" : "hosts"),
        endpoints: [...endpointsOf(assignment), ...hosts],
      },
    ];
  });
  const documents = tree.kind === "list" ? tree.items : [tree];
  documents.forEach((document, documentIndex) => {
    itemsOf(child(document, "resources")).forEach((resource, index) => {
      if (!/ClusterLoadAssignment$/.test(String(scalarAt(resource, "@type") ?? ""))) return;
      const name = String(scalarAt(field(resource, "cluster_name")) ?? `(line ${resource.line})`);
      const segments: PathSegment[] = [
        ...(tree.kind === "list" ? [item(String(documentIndex))] : []),
        key("resources"),
        item(String(index)),
      ];
      out.push({
        name,
        label: `load assignment of cluster "${name}"`,
        path: formatPath(segments),
        endpoints: endpointsOf(resource),
      });
    });
  });
  return out;
}

// --- routes ---

export interface EnvoyRoute {
  /** Route configuration, virtual host and match: stable across versions when the route is kept. */
  readonly key: string;
  readonly label: string;
  readonly line: number;
  /** The target cluster (a plain `cluster`; weighted and header-named clusters are not followed). */
  readonly cluster: string | undefined;
  readonly hashPolicy: TreeNode | undefined;
  /** Tree path of the route's hash_policy. */
  readonly path: string;
}

/** Every route of every virtual host in the file (HCM route_config, RouteConfiguration resources). */
export function routesOf(tree: TreeNode | null): EnvoyRoute[] {
  const out: EnvoyRoute[] = [];
  const seen = new Map<string, number>();
  const visit = (node: TreeNode, configName: string, segments: PathSegment[]): void => {
    if (node.kind === "list") {
      node.items.forEach((entry, index) =>
        visit(entry, configName, [...segments, item(String(index))]),
      );
      return;
    }
    if (node.kind !== "map") return;
    const hosts = field(node, "virtual_hosts");
    const name = scalarAt(node, "name");
    const here = hosts && typeof name === "string" ? name : configName;
    itemsOf(hosts).forEach((host, hostIndex) => {
      const hostName = String(scalarAt(host, "name") ?? "");
      itemsOf(field(host, "routes")).forEach((route, routeIndex) => {
        const match = field(route, "match");
        const base = `${here}/${hostName}/${match ? fingerprint(match) : ""}`;
        const n = (seen.get(base) ?? 0) + 1;
        seen.set(base, n);
        const action = field(route, "route");
        const cluster = scalarAt(field(action, "cluster"));
        const prefix = match ? (scalarAt(match, "prefix") ?? scalarAt(match, "path")) : undefined;
        out.push({
          key: n > 1 ? `${base}#${n}` : base,
          label: `route ${prefix === undefined ? `#${routeIndex + 1}` : `"${String(prefix)}"`} of virtual host "${hostName}"`,
          path: formatPath([
            ...segments,
            key("virtual_hosts"),
            item(String(hostIndex)),
            key("routes"),
            item(String(routeIndex)),
            key("route"),
            key("hash_policy"),
          ]),
          line: route.line,
          cluster: typeof cluster === "string" ? cluster : undefined,
          hashPolicy: field(action, "hash_policy"),
        });
      });
    });
    for (const [entryKey, value] of entriesOf(node))
      if (value !== hosts) visit(value, here, [...segments, key(entryKey)]);
  };
  if (tree) visit(tree, "", []);
  return out;
}
