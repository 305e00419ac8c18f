/** Pairs entities of two versions by key, keeping those present on both sides. */
export function pairKept<T extends { key: string }>(
  before: readonly T[],
  after: readonly T[],
): [T, T][] {
  const byKey = new Map(before.map((entity) => [entity.key, entity]));
  return after.flatMap((entity) => {
    const previous = byKey.get(entity.key);
    return previous ? [[previous, entity] as [T, T]] : [];
  });
}
