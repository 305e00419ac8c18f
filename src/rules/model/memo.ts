import type { Dialect } from "../../formats/dialect.js";
import type { TreeNode } from "../../formats/tree.js";

/**
 * Many rules read the same entities out of the same (immutable) trees: extract them once per tree.
 * Results are shared between rules, which treat them as read-only.
 */
export function memoByNode<K extends object, R>(extract: (node: K) => R): (node: K) => R {
  const cache = new WeakMap<K, R>();
  return (node) => {
    if (cache.has(node)) return cache.get(node)!;
    const result = extract(node);
    cache.set(node, result);
    return result;
  };
}

/** As memoByNode, for extractors of entities by `(dialect, tree)`; a missing side (null) has none. */
export function memoByDialectTree<T>(
  extract: (dialect: Dialect, tree: TreeNode) => T[],
): (dialect: Dialect, tree: TreeNode | null) => T[] {
  const cache = new WeakMap<TreeNode, Map<Dialect, T[]>>();
  return (dialect, tree) => {
    if (!tree) return [];
    let byDialect = cache.get(tree);
    if (!byDialect) {
      byDialect = new Map();
      cache.set(tree, byDialect);
    }
    if (!byDialect.has(dialect)) byDialect.set(dialect, extract(dialect, tree));
    return byDialect.get(dialect)!;
  };
}

/**
 * As memoByNode, for work over a pair of shared read-only values (two trees, two memoised lists): done
 * once per pair, held for as long as both are. The first may be null (an added file has no tree before).
 */
export function memoByPair<A extends object | null, B extends object, R>(
  compute: (first: A, second: B) => R,
): (first: A, second: B) => R {
  const cache = new WeakMap<object, WeakMap<B, R>>();
  return (first, second) => {
    const key = first ?? NONE;
    let bySecond = cache.get(key);
    if (!bySecond) {
      bySecond = new WeakMap();
      cache.set(key, bySecond);
    }
    if (bySecond.has(second)) return bySecond.get(second)!;
    const result = compute(first, second);
    bySecond.set(second, result);
    return result;
  };
}

/** memoByPair's key for a null first value. */
const NONE: object = {};
