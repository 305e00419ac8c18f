// Small arithmetic the benchmarks share for what they print.

/** `value` rounded to `digits` decimals (2 by default). */
export const round = (value: number, digits = 2): number =>
  Math.round(value * 10 ** digits) / 10 ** digits;

/** The `p`th percentile of `values` (nearest rank; 0 for none). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
