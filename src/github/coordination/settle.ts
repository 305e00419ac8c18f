/**
 * After an evaluation, requests that arrived meanwhile wait until the PR has been quiet this long
 * (capped at `maxSettleMs`), so a burst (50 pushes in a few seconds, a review storm) costs the
 * leading evaluation and one trailing one. A single event is evaluated at once.
 */
export interface SettleOptions {
  readonly settleMs?: number;
  readonly maxSettleMs?: number;
}

export const DEFAULT_SETTLE_MS = 1000;
export const DEFAULT_MAX_SETTLE_MS = 10_000;

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
