// Envoy upstream clusters (bootstrap, xDS resource files, admin config dumps), with their active health checks
// and load-balancing policy, read for the envoy rules and the cross-format entities.
import { formatPath, item, key, type PathSegment } from "../../../diff/path.js";
import { child, itemsOf, scalarAt, type TreeNode } from "../../../formats/tree.js";
import { memoByNode } from "../memo.js";
import { keptPairsBy } from "../pairs.js";
import { field } from "./fields.js";

/** One upstream cluster of an Envoy bootstrap, xDS resource file or config dump. */
export interface EnvoyCluster {
  readonly name: string;
  readonly body: TreeNode;
  readonly line: number;
  readonly segments: readonly PathSegment[];
}

const CLUSTER_TYPE = /\.(config\.cluster\.v3|api\.v2)\.Cluster$/;

const isClusterResource = (node: TreeNode | undefined): boolean =>
  CLUSTER_TYPE.test(String(scalarAt(node, "@type") ?? ""));

/**
 * Clusters in `static_resources.clusters[]` (bootstrap), `resources[]` of type Cluster (xDS files),
 * `configs[].static_clusters[].cluster` / `dynamic_active_clusters[].cluster` (admin config dumps) and
 * lists of `{ cluster: {...} }` entries.
 */
function extractClusters(tree: TreeNode): EnvoyCluster[] {
  const multi = tree.kind === "list";
  const documents = multi ? tree.items : [tree];
  const out: EnvoyCluster[] = [];
  const add = (body: TreeNode, segments: PathSegment[]): void => {
    if (body.kind !== "map") return;
    const name = scalarAt(body, "name");
    out.push({
      name:
        typeof name === "string" || typeof name === "number" ? String(name) : `(line ${body.line})`,
      body,
      line: body.line,
      segments,
    });
  };
  const named = (body: TreeNode, index: number): PathSegment => {
    const name = scalarAt(body, "name");
    return item(typeof name === "string" ? `name=${name}` : String(index));
  };
  documents.forEach((document, documentIndex) => {
    const base: PathSegment[] = multi ? [item(String(documentIndex))] : [];
    itemsOf(child(child(document, "static_resources"), "clusters")).forEach((cluster, index) =>
      add(cluster, [...base, key("static_resources"), key("clusters"), named(cluster, index)]),
    );
    itemsOf(child(document, "resources")).forEach((resource, index) => {
      if (isClusterResource(resource))
        add(resource, [...base, key("resources"), named(resource, index)]);
    });
    itemsOf(child(document, "configs")).forEach((config, configIndex) => {
      for (const field of [
        "static_clusters",
        "dynamic_active_clusters",
        "dynamic_warming_clusters",
      ]) {
        itemsOf(child(config, field)).forEach((entry, index) => {
          const cluster = child(entry, "cluster");
          if (cluster)
            add(cluster, [
              ...base,
              key("configs"),
              item(String(configIndex)),
              key(field),
              item(String(index)),
              key("cluster"),
            ]);
        });
      }
    });
    if (multi && isClusterResource(child(document, "cluster")))
      add(child(document, "cluster")!, [...base, key("cluster")]);
  });
  return out;
}

/** Every cluster of the file; extracted once per tree. */
export const envoyClusters = memoByNode(extractClusters);

export const clustersOf = (tree: TreeNode | null): EnvoyCluster[] =>
  tree ? envoyClusters(tree) : [];

/** Clusters present in both versions, by name. */
export function clusterPairs(
  before: TreeNode | null,
  after: TreeNode | null,
): [EnvoyCluster, EnvoyCluster][] {
  return keptPairsBy(clustersOf(before), clustersOf(after), (cluster) => cluster.name);
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

/** Looks a field up in a node: `field` reads either spelling, `child` the snake_case one only. */
type FieldLookup = (node: TreeNode | undefined, name: string) => TreeNode | undefined;

export interface LbPolicy {
  /** Upper-cased (Envoy accepts enum names in any case): ROUND_ROBIN, LEAST_REQUEST, RING_HASH, MAGLEV ... */
  readonly mode: string;
  /** Set by the typed `load_balancing_policy`, which overrides `lb_policy`. */
  readonly typed: boolean;
  /** Line of the field that sets it; undefined for the default. */
  readonly line: number | undefined;
}

/**
 * The load-balancing policy of a cluster: the typed `load_balancing_policy` (Envoy uses the first policy of the
 * list), else `lb_policy`, ROUND_ROBIN by default (envoy cluster/v3 cluster.proto; docs/lb-facts.md §P3).
 */
export function lbPolicy(cluster: EnvoyCluster, lookup: FieldLookup = field): LbPolicy {
  const typedNode = lookup(cluster.body, "load_balancing_policy");
  const type = scalarAt(
    itemsOf(lookup(typedNode, "policies"))[0],
    "typed_extension_config",
    "typed_config",
    "@type",
  );
  if (typeof type === "string") {
    const mode = /ring_hash/i.test(type)
      ? "RING_HASH"
      : /maglev/i.test(type)
        ? "MAGLEV"
        : (type.split(".").pop() ?? type);
    return { mode, typed: true, line: typedNode?.line };
  }
  const node = lookup(cluster.body, "lb_policy");
  return {
    mode: String(scalarAt(node) ?? "ROUND_ROBIN").toUpperCase(),
    typed: false,
    line: node?.line,
  };
}

/** Hash policies keep a key (set by a route hash_policy) on one host; the others spread requests. */
export const HASH_POLICIES = new Set(["RING_HASH", "MAGLEV"]);
