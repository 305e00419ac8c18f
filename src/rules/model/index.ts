import type { Dialect } from "../../formats/dialect.js";
import type { TreeNode } from "../../formats/tree.js";
import type { Affinity } from "./affinity.js";
import { cloudFormationModel } from "./cloudformation.js";
import type { DialectModel } from "./dialect-model.js";
import { envoyModel } from "./envoy.js";
import { haproxyModel } from "./haproxy.js";
import type { HealthCheck } from "./health-check.js";
import { kubernetesModel } from "./kubernetes.js";
import { nginxModel } from "./nginx.js";
import { terraformModel } from "./terraform.js";
import { traefikModel } from "./traefik.js";

/** The extractor for each dialect; a dialect without one has no load-balancer model. */
const MODELS: Partial<Record<Dialect, DialectModel>> = {
  terraform: terraformModel,
  cloudformation: cloudFormationModel,
  kubernetes: kubernetesModel,
  envoy: envoyModel,
  traefik: traefikModel,
  haproxy: haproxyModel,
  nginx: nginxModel,
};

// Several rules read the same entities of the same tree: extract them once per tree (trees are immutable).
const healthCheckCache = new WeakMap<TreeNode, Map<Dialect, HealthCheck[]>>();
const affinityCache = new WeakMap<TreeNode, Map<Dialect, Affinity[]>>();

function cached<T>(
  cache: WeakMap<TreeNode, Map<Dialect, T[]>>,
  tree: TreeNode,
  dialect: Dialect,
  extract: () => T[],
): T[] {
  let byDialect = cache.get(tree);
  if (!byDialect) {
    byDialect = new Map();
    cache.set(tree, byDialect);
  }
  let entities = byDialect.get(dialect);
  if (!entities) {
    entities = extract();
    byDialect.set(dialect, entities);
  }
  return entities;
}

export function healthChecksOf(dialect: Dialect, tree: TreeNode | null): HealthCheck[] {
  if (!tree) return [];
  return cached(healthCheckCache, tree, dialect, () => MODELS[dialect]?.healthChecks?.(tree) ?? []);
}

export function affinitiesOf(dialect: Dialect, tree: TreeNode | null): Affinity[] {
  if (!tree) return [];
  return cached(affinityCache, tree, dialect, () => MODELS[dialect]?.affinities?.(tree) ?? []);
}

/** Pairs entities of the two versions by key: [before, after]; one side is missing when added or removed. */
export function pairByKey<T extends { key: string }>(
  before: readonly T[],
  after: readonly T[],
): [T | undefined, T | undefined][] {
  const byKey = new Map(before.map((entity) => [entity.key, entity]));
  const pairs: [T | undefined, T | undefined][] = after.map((entity) => {
    const previous = byKey.get(entity.key);
    byKey.delete(entity.key);
    return [previous, entity];
  });
  for (const entity of byKey.values()) pairs.push([entity, undefined]);
  return pairs;
}
