// Traefik services (v2/v3 `http|tcp|udp.services`, the v2 pre-release top-level `services`, v1 `backends`), their
// servers and health checks. Keys are matched case-insensitively, as Traefik's file provider does
// (docs/lb-facts.md §P4 "Case-insensitive keys").
import { formatPath, item, key, type PathSegment } from "../../../diff/path.js";
import { entriesOf, itemsOf, type Scalar, type TreeNode } from "../../../formats/tree.js";
import { toNumber } from "../figures.js";
import { memoByNode } from "../memo.js";
import { keptPairs } from "../pairs.js";
import { fold, scalarFold, spelled } from "./keys.js";

export interface TraefikService {
  /** `http:web`, `tcp:db`, `v1:backend1`: stable across versions. */
  readonly key: string;
  readonly name: string;
  /** The routers' protocol; `http` for a v1 backend. */
  readonly protocol: "http" | "tcp" | "udp";
  readonly label: string;
  readonly body: TreeNode;
  readonly segments: readonly PathSegment[];
  /** 1 for a v1 backend (servers keyed by name, `healthcheck` on the backend). */
  readonly version: 1 | 2;
}

export interface TraefikServer {
  /** The URL (http) or address (tcp/udp); the server name when neither is set. */
  readonly key: string;
  readonly line: number;
  readonly weight: number;
  readonly path: string;
}

/** Every service of the file, v2/v3 and v1; extracted once per tree. */
const servicesOfTree = memoByNode((tree: TreeNode): TraefikService[] => extractServices(tree));

export function servicesOf(tree: TreeNode | null): TraefikService[] {
  return tree ? servicesOfTree(tree) : [];
}

function extractServices(tree: TreeNode): TraefikService[] {
  const documents = tree.kind === "list" ? tree.items : [tree];
  const out: TraefikService[] = [];
  const seen = new Set<string>();
  const add = (service: TraefikService): void => {
    // The same service in two documents: Traefik merges providers; the first one is read.
    if (seen.has(service.key)) return;
    seen.add(service.key);
    out.push(service);
  };
  documents.forEach((document, index) => {
    const base: PathSegment[] = tree.kind === "list" ? [item(String(index))] : [];
    for (const [protocol, path] of [
      ["http", ["http", "services"]],
      ["tcp", ["tcp", "services"]],
      ["udp", ["udp", "services"]],
      ["http", ["services"]],
    ] as const) {
      const segments = spelled(document, [...path]);
      if (!segments) continue;
      for (const [name, body] of entriesOf(fold(document, ...path))) {
        add({
          key: `${protocol}:${name}`,
          name,
          protocol,
          label: `${protocol === "http" ? "" : `${protocol} `}service "${name}"`,
          body,
          segments: [...base, ...segments, key(name)],
          version: 2,
        });
      }
    }
    const backends = spelled(document, ["backends"]);
    for (const [name, body] of entriesOf(fold(document, "backends"))) {
      add({
        key: `v1:${name}`,
        name,
        protocol: "http",
        label: `backend "${name}"`,
        body,
        segments: [...base, ...backends!, key(name)],
        version: 1,
      });
    }
  });
  return out;
}

/** Services present in both versions. */
export function servicePairs(
  before: TreeNode | null,
  after: TreeNode | null,
): [TraefikService, TraefikService][] {
  return keptPairs(servicesOf(before), servicesOf(after));
}

/** The block that balances over servers: `loadBalancer` (v2/v3) or the v1 backend itself. */
export const balancerOf = (service: TraefikService): TreeNode | undefined =>
  service.version === 1 ? service.body : fold(service.body, "loadBalancer");

/** The health-check block: `loadBalancer.healthCheck` (v2/v3) or the v1 backend's `healthcheck`. */
export const healthCheckOf = (service: TraefikService): TreeNode | undefined =>
  fold(balancerOf(service), "healthCheck");

/** Tree path of a key inside a service, spelled as in the file when it exists. */
export function servicePath(service: TraefikService, ...names: string[]): string {
  const found = spelled(service.body, names);
  return formatPath([...service.segments, ...(found ?? names.map(key))]);
}

/** Servers of the service's load balancer; weight 1 by default (traefik dynamic config, docs/lb-facts.md §P4). */
export function serversOf(service: TraefikService): TraefikServer[] {
  const balancer = balancerOf(service);
  const list = fold(balancer, "servers");
  if (!list) return [];
  const entries: [string | undefined, TreeNode][] =
    service.version === 1 || list.kind === "map"
      ? entriesOf(list).map(([name, node]) => [name, node])
      : itemsOf(list).map((node) => [undefined, node]);
  const seen = new Map<string, number>();
  return entries.flatMap(([name, node], index) => {
    const target = scalarFold(node, "url") ?? scalarFold(node, "address");
    if ((target ?? name) === undefined || (target ?? name) === null) return [];
    // The same URL twice is two servers to Traefik: number the repeats.
    const base = String(target ?? name);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const id = n > 1 ? `${base}#${n}` : base;
    const weight = fold(node, "weight");
    return [
      {
        key: String(id),
        line: node.line,
        weight: weight?.kind === "scalar" ? (toNumber(weight.value) ?? 1) : 1,
        path: formatPath([
          ...service.segments,
          ...(spelled(
            service.body,
            service.version === 1 ? ["servers"] : ["loadBalancer", "servers"],
          ) ?? []),
          name === undefined ? item(String(index)) : key(name),
        ]),
      },
    ];
  });
}

/** Whether the service runs an active check: a path, or gRPC mode (no check without one: docs/lb-facts.md §P4). */
export function runsHealthCheck(service: TraefikService): boolean {
  const block = healthCheckOf(service);
  if (block?.kind !== "map") return false;
  const path = scalarFold(block, "path");
  const grpc = String(scalarFold(block, "mode") ?? "").toLowerCase() === "grpc";
  return grpc || (typeof path === "string" && path !== "");
}

/** A scalar as written, for comparing versions. */
export const shown = (value: Scalar | undefined): string =>
  value === undefined || value === null ? "(unset)" : String(value);
