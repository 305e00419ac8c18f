// Entities of the two versions of a file, paired by their identity across versions.

/** Pairs entities of the two versions by key: [before, after]; one side is missing when added or removed. */
export function pairByKey<T extends { key: string }>(
  before: readonly T[],
  after: readonly T[],
): [T | undefined, T | undefined][] {
  return pairBy(before, after, (entity) => entity.key);
}

/** As pairByKey, for entities identified by something else than a `key` (an object by kind, namespace, name). */
export function pairBy<T>(
  before: readonly T[],
  after: readonly T[],
  identity: (entity: T) => string,
): [T | undefined, T | undefined][] {
  const byIdentity = new Map(before.map((entity) => [identity(entity), entity]));
  const pairs: [T | undefined, T | undefined][] = after.map((entity) => {
    const previous = byIdentity.get(identity(entity));
    byIdentity.delete(identity(entity));
    return [previous, entity];
  });
  for (const entity of byIdentity.values()) pairs.push([entity, undefined]);
  return pairs;
}

/** The entities present in both versions, paired by key in the order of the new version. */
export function keptPairs<T extends { readonly key: string }>(
  before: readonly T[],
  after: readonly T[],
): [T, T][] {
  return keptPairsBy(before, after, (entity) => entity.key);
}

/** As keptPairs, for entities identified by something else than a `key` (a cluster by its name). */
export function keptPairsBy<T>(
  before: readonly T[],
  after: readonly T[],
  identity: (entity: T) => string,
): [T, T][] {
  return withPreviousBy(before, after, identity).filter(
    (pair): pair is [T, T] => pair[0] !== undefined,
  );
}

/**
 * Every entity of the new version with its previous version by key (undefined when it is new), in
 * the order of the new version: for rules that judge new entities too.
 */
export function withPrevious<T extends { readonly key: string }>(
  before: readonly T[],
  after: readonly T[],
): [T | undefined, T][] {
  return withPreviousBy(before, after, (entity) => entity.key);
}

/** As withPrevious, for entities identified by something else than a `key` (a workload by its object id). */
export function withPreviousBy<T>(
  before: readonly T[],
  after: readonly T[],
  identity: (entity: T) => string,
): [T | undefined, T][] {
  const byIdentity = new Map(before.map((entity) => [identity(entity), entity]));
  return after.map((entity) => [byIdentity.get(identity(entity)), entity]);
}
