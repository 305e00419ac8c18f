// Envoy endpoints: each cluster's load_assignment (or v2-era `hosts`) and ClusterLoadAssignment resources (EDS
// files), with whether each endpoint takes traffic.
import { formatPath, item, key, type PathSegment } from "../../../diff/path.js";
import { child, itemsOf, scalarAt, type TreeNode } from "../../../formats/tree.js";
import { clusterLabel, clusterPath, clustersOf } from "./clusters.js";
import { count, field, fieldAt } from "./fields.js";

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
