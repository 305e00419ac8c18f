// "Hair-trigger" health checks (docs/risk.md "Healthy targets are ejected"): checks that take a healthy
// target out of the pool on the first hiccup. One definition for every format, applied to new checks as
// well as changed ones, with each product's defaults where a value is absent (docs/lb-facts.md §7).
import { formatSeconds } from "./figures.js";
import type { HealthCheck } from "./health-check.js";
import { clampTo, limitsOf } from "./limits.js";
import { memoByPair } from "./memo.js";
import { pairByKey } from "./pairs.js";

export interface HairTriggerParams {
  readonly hairTriggerSeconds: number;
}

export const HAIR_TRIGGER_PARAMS = {
  // Judgement (docs/risk.md "Healthy targets are ejected"): below 5 s a single slow answer, a GC pause or a
  // deploy's warm-up ejects a target. The products' own defaults stay above it (HAProxy 2 s × 3 = 6 s, NGINX Plus
  // 5 s × 1, Kubernetes 10 s × 3, AWS 30 s × 2 or × 3, Traefik 30 s), so a check left at its defaults is not one.
  hairTriggerSeconds: {
    default: 5,
    description:
      "A check that ejects a target in less than this (interval × unhealthy threshold, seconds) is hair-trigger.",
  },
} as const;

/**
 * Why a check is hair-trigger, or undefined when it is not: it ejects a target (interval × unhealthy
 * threshold) in less than `hairTriggerSeconds`, so a single failed check on a short interval is enough
 * (a threshold of 1 with an interval under the floor is the common case).
 * A timeout at or above the interval is the other hair-trigger shape; lb.health-check.timeout-not-below-interval
 * judges it (it needs an explicit timeout, since providers' default timeouts vary).
 */
export function hairTrigger(check: HealthCheck, params: HairTriggerParams): string | undefined {
  const eject = check.ejectAfterSeconds;
  if (eject === undefined || eject <= 0 || eject >= params.hairTriggerSeconds) return undefined;
  const threshold = check.unhealthyThreshold?.value;
  const interval = check.intervalSeconds?.value;
  if (threshold === 1 && interval !== undefined)
    return `a single failed check every ${formatSeconds(interval)} ejects it, under the ${formatSeconds(params.hairTriggerSeconds)} hair-trigger floor`;
  return `${formatSeconds(eject)} of failed checks eject it, under the ${formatSeconds(params.hairTriggerSeconds)} hair-trigger floor`;
}

/**
 * A timing that ejects a target after at least `target` seconds, changing as little as it can: a threshold of
 * at least 3 (so one slow answer never counts alone) and the interval raised only when the threshold cannot
 * reach the target. Traefik has no threshold (one failed check marks a server down): only its interval moves.
 */
export function saferTiming(
  check: HealthCheck,
  target: number,
): { interval: number; threshold: number } | undefined {
  const interval = check.intervalSeconds?.value;
  if (interval === undefined || interval <= 0) return undefined;
  if (check.provider === "traefik") return { interval: Math.max(interval, target), threshold: 1 };
  // Within what the product accepts (docs/lb-facts.md "Product limits the advice respects"): AWS takes an
  // interval of at least 5 s and a threshold of at most 10, so the interval rises where the threshold cannot.
  const limits = limitsOf(check.provider);
  const threshold = clampTo(
    Math.max(check.unhealthyThreshold?.value ?? 1, 3),
    limits?.unhealthyThreshold,
  );
  const needed = Math.max(interval, Math.ceil(target / threshold));
  return { interval: clampTo(needed, limits?.interval, limits?.wholeSeconds), threshold };
}

/** Other values for a check's interval (seconds) and unhealthy threshold, as a one-line fix would write them. */
export interface Retiming {
  readonly interval?: number;
  readonly threshold?: number;
}

/**
 * The check as it would read with `timing` written over its figures, its eject time derived again the way
 * the product derives it (docs/lb-facts.md §7): interval × threshold, Traefik's interval alone, HAProxy's
 * inter + (fall − 1) × fastinter with fastinter read back from the old figures (inter itself when fall is 1,
 * fastinter's default). Undefined when the eject time was not derived from these figures (nginx's passive
 * check) or a figure to change is unknown: then no fix is offered rather than a guess.
 */
export function retimed(check: HealthCheck, timing: Retiming): HealthCheck | undefined {
  const {
    intervalSeconds: interval,
    unhealthyThreshold: threshold,
    ejectAfterSeconds: eject,
  } = check;
  if (eject === undefined || !interval) return undefined;
  const intervalNow = timing.interval ?? interval.value;
  const thresholdNow = timing.threshold ?? threshold?.value;
  let ejectNow: number | undefined;
  if (check.provider === "traefik") ejectNow = intervalNow;
  else if (!threshold || thresholdNow === undefined) return undefined;
  else if (check.provider === "haproxy") {
    const fast =
      threshold.value > 1 ? (eject - interval.value) / (threshold.value - 1) : interval.value;
    ejectNow = intervalNow + (thresholdNow - 1) * fast;
  } else if (interval.value * threshold.value === eject) ejectNow = intervalNow * thresholdNow;
  else return undefined;
  return {
    ...check,
    intervalSeconds: { ...interval, value: intervalNow },
    ...(threshold && thresholdNow !== undefined
      ? { unhealthyThreshold: { ...threshold, value: thresholdNow } }
      : {}),
    ejectAfterSeconds: Math.round(ejectNow * 1000) / 1000,
  };
}

/**
 * Health checks of the two versions paired by key, then each new check with a removed one of the same
 * provider and timing: a pool renamed or its tables moved keeps its check, which is no new check
 * (docs/risk.md "Not high": a rename that keeps every reference consistent). Worked out once per
 * pair of lists: the health-check rules each ask it of the same memoised `healthChecksOf` lists.
 */
export const pairHealthChecks: (
  before: readonly HealthCheck[],
  after: readonly HealthCheck[],
) => readonly CheckPair[] = memoByPair(pairChecks);

type CheckPair = [HealthCheck | undefined, HealthCheck | undefined];

function pairChecks(before: readonly HealthCheck[], after: readonly HealthCheck[]): CheckPair[] {
  const pairs = pairByKey(before, after);
  const gone = pairs.flatMap(([was, now]) => (was && !now ? [was] : []));
  // Nothing removed, or nothing added: no check to pair by timing (a large file keeps thousands).
  if (gone.length === 0 || !pairs.some(([was]) => !was)) return pairs;
  const taken = new Set<HealthCheck>();
  const out = pairs.map(([was, now]): CheckPair => {
    if (was || !now) return [was, now];
    const same = gone.find((check) => !taken.has(check) && sameTiming(check, now));
    if (same) taken.add(same);
    return [same, now];
  });
  return out.filter(([was, now]) => now || !taken.has(was!));
}

function sameTiming(a: HealthCheck, b: HealthCheck): boolean {
  return (
    a.provider === b.provider &&
    a.probe === b.probe &&
    a.intervalSeconds?.value === b.intervalSeconds?.value &&
    a.timeoutSeconds?.value === b.timeoutSeconds?.value &&
    a.unhealthyThreshold?.value === b.unhealthyThreshold?.value &&
    a.ejectAfterSeconds === b.ejectAfterSeconds
  );
}
