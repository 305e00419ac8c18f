import { formatPath, item, key, type PathSegment } from "../../diff/path.js";
import { child, itemsOf, scalarAt, toPlain, type TreeNode } from "../../formats/tree.js";
import type { Affinity } from "./affinity.js";
import type { DialectModel } from "./dialect-model.js";
import { protoSeconds } from "./durations.js";
import { product, toNumber, type Figure } from "./figures.js";
import type { HealthCheck } from "./health-check.js";

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
export function envoyClusters(tree: TreeNode): EnvoyCluster[] {
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

/** A protobuf Duration field (`"5s"`, `"0.5s"` or `{ seconds, nanos }`) in seconds. */
function durationFigure(node: TreeNode | undefined, field: string): Figure | undefined {
  const found = child(node, field);
  if (!found) return undefined;
  const value = protoSeconds(toPlain(found));
  return value === undefined ? undefined : { value, line: found.line, explicit: true };
}

/** A UInt32Value field: a bare number in proto3 JSON, or the `{ value: n }` wrapper form. */
function countFigure(node: TreeNode | undefined, field: string): Figure | undefined {
  const found = child(node, field);
  const scalar = found?.kind === "map" ? child(found, "value") : found;
  const value = scalar?.kind === "scalar" ? toNumber(scalar.value) : undefined;
  return found && value !== undefined ? { value, line: found.line, explicit: true } : undefined;
}

// health_checks[].interval, timeout, unhealthy_threshold and healthy_threshold are required: no defaults
// (envoy core/v3 health_check.proto; LB-FACTS.md "3. Envoy v3").
function clusterChecks(tree: TreeNode): HealthCheck[] {
  return envoyClusters(tree).flatMap((cluster) =>
    itemsOf(child(cluster.body, "health_checks")).map((check, index) => {
      const interval = durationFigure(check, "interval");
      const unhealthy = countFigure(check, "unhealthy_threshold");
      return {
        key: `cluster:${cluster.name}${index > 0 ? `:health_checks[${index}]` : ""}`,
        label: `health check${index > 0 ? ` ${index + 1}` : ""} of cluster "${cluster.name}"`,
        provider: "envoy" as const,
        path: formatPath([...cluster.segments, key("health_checks"), item(String(index))]),
        line: check.line,
        intervalSeconds: interval,
        timeoutSeconds: durationFigure(check, "timeout"),
        unhealthyThreshold: unhealthy,
        healthyThreshold: countFigure(check, "healthy_threshold"),
        // ≈ unhealthy_threshold × interval; an unexpected HTTP status ejects at once (LB-FACTS.md §6).
        ejectAfterSeconds: product(interval, unhealthy),
        // Envoy accepts timeout ≥ interval; flagging it is LB-FACTS.md §7's judgement ("Check timeout ≥ interval: medium").
        timeoutRule: "below-interval" as const,
      };
    }),
  );
}

/** Hash policies keep a key (set by a route hash_policy) on one host; the others spread requests. */
const HASH_POLICIES = new Set(["RING_HASH", "MAGLEV"]);

/** The typed `load_balancing_policy` (it overrides lb_policy): Envoy uses the first policy of the list. */
function typedPolicy(cluster: TreeNode): { mode: string; line: number } | undefined {
  const policy = itemsOf(child(child(cluster, "load_balancing_policy"), "policies"))[0];
  const type = scalarAt(policy, "typed_extension_config", "typed_config", "@type");
  if (typeof type !== "string") return undefined;
  const line = child(cluster, "load_balancing_policy")!.line;
  if (/ring_hash/i.test(type)) return { mode: "RING_HASH", line };
  if (/maglev/i.test(type)) return { mode: "MAGLEV", line };
  return { mode: type.split(".").pop() ?? type, line };
}

// lb_policy defaults to ROUND_ROBIN (envoy cluster/v3 cluster.proto; LB-FACTS.md "3. Envoy v3").
function clusterAffinities(tree: TreeNode): Affinity[] {
  return envoyClusters(tree).map((cluster) => {
    const policyNode = child(cluster.body, "lb_policy");
    const typed = typedPolicy(cluster.body);
    // Envoy parses enum names case-insensitively (`round_robin` is accepted), so compare them upper-cased.
    const mode = typed?.mode ?? String(scalarAt(policyNode) ?? "ROUND_ROBIN").toUpperCase();
    return {
      key: `cluster:${cluster.name}`,
      label: `cluster "${cluster.name}"`,
      path: formatPath([...cluster.segments, key(typed ? "load_balancing_policy" : "lb_policy")]),
      line: typed?.line ?? policyNode?.line ?? cluster.line,
      enabled: HASH_POLICIES.has(mode),
      mode,
    };
  });
}

export const envoyModel: DialectModel = {
  healthChecks: clusterChecks,
  affinities: clusterAffinities,
};
