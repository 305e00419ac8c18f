// The ranges each product accepts (docs/lb-facts.md "Product limits the advice respects"), one table
// keyed by product, so that advice and fixes only ever suggest values the product takes: a timeout
// already at its minimum is not advised lower, the other lever (a longer interval) is advised instead.
// How a proxy writes a duration (syntax, not range) is in proxy-durations.ts.
import type { CheckProvider } from "./health-check.js";

/** An accepted range; `max` absent when the product documents none. */
export interface Range {
  readonly min: number;
  readonly max?: number;
}

/** The ranges of one product's check figures and how the product names them. */
export interface CheckLimits {
  readonly interval: Range;
  readonly timeout: Range;
  readonly unhealthyThreshold: Range;
  readonly healthyThreshold?: Range;
  /** The product counts seconds in whole numbers. */
  readonly wholeSeconds: boolean;
  /** How advice names the figures (`periodSeconds`, `timeoutSeconds`, `failureThreshold`), when not plain words. */
  readonly names?: {
    readonly interval: string;
    readonly timeout: string;
    readonly threshold: string;
  };
  /** The product, as advice names it when it says a value is at the product's minimum. */
  readonly product: string;
}

const AWS_ELBV2: CheckLimits = {
  // docs/lb-facts.md §1a: interval 5–300 s, timeout 2–120 s, thresholds 2–10.
  interval: { min: 5, max: 300 },
  timeout: { min: 2, max: 120 },
  unhealthyThreshold: { min: 2, max: 10 },
  healthyThreshold: { min: 2, max: 10 },
  wholeSeconds: true,
  product: "AWS",
};

/** Limits of the products this table knows; a product absent here is not clamped. */
export const CHECK_LIMITS: Partial<Record<CheckProvider, CheckLimits>> = {
  "aws-elbv2": AWS_ELBV2,
  // The AWS Load Balancer Controller writes the same target group (docs/lb-facts.md §4).
  "aws-lbc": AWS_ELBV2,
  // docs/lb-facts.md §3: Classic ELB interval 5–300 s, timeout 2–60 s, thresholds 2–10.
  "aws-elb": { ...AWS_ELBV2, timeout: { min: 2, max: 60 } },
  // docs/lb-facts.md §5a: whole seconds, at least 1 (upper bounds not documented).
  gcp: {
    interval: { min: 1 },
    timeout: { min: 1 },
    unhealthyThreshold: { min: 1 },
    wholeSeconds: true,
    product: "Google Cloud",
  },
  // docs/lb-facts.md §6a, §6c: one provider for load-balancer probes (interval ≥ 5 s, probe_threshold 1–100)
  // and Application Gateway probes (interval and timeout 1–86400 s, unhealthy_threshold up to 20): the
  // ranges both accept.
  azure: {
    interval: { min: 5, max: 86400 },
    timeout: { min: 1, max: 86400 },
    unhealthyThreshold: { min: 1, max: 20 },
    wholeSeconds: true,
    product: "Azure",
  },
  // HAProxy times are whole milliseconds or finer (limits of every time: PROXY_LIMITS below); `fall` and
  // `rise` count from 1 (https://docs.haproxy.org/3.2/configuration.html#5.2-inter).
  haproxy: {
    interval: { min: 0.001 },
    timeout: { min: 0.001 },
    unhealthyThreshold: { min: 1 },
    healthyThreshold: { min: 1 },
    wholeSeconds: false,
    product: "HAProxy",
  },
  // NGINX Plus `health_check` counts `fails=` and `passes=` from 1 (docs/lb-facts.md §P2).
  "nginx-plus": {
    interval: { min: 0.001 },
    timeout: { min: 0.001 },
    unhealthyThreshold: { min: 1 },
    healthyThreshold: { min: 1 },
    wholeSeconds: false,
    product: "NGINX Plus",
  },
  // docs/lb-facts.md §P5a: periodSeconds, timeoutSeconds and failureThreshold at least 1.
  kubernetes: {
    interval: { min: 1 },
    timeout: { min: 1 },
    unhealthyThreshold: { min: 1 },
    wholeSeconds: true,
    names: { interval: "periodSeconds", timeout: "timeoutSeconds", threshold: "failureThreshold" },
    product: "Kubernetes",
  },
};

/**
 * The proxies' ranges beyond health checks. HAProxy rejects a time above 2147483647 ms as a timer
 * overflow (https://docs.haproxy.org/3.2/configuration.html#2.5). Envoy's Duration holds at most
 * 315576000000 s (protobuf's Duration), and outlier detection's max_ejection_percent and enforcing_*
 * are percentages, 0 to 100.
 */
export const PROXY_LIMITS = {
  haproxy: { timeMilliseconds: { min: 0, max: 2_147_483_647 } },
  envoy: { durationSeconds: { min: 0, max: 315_576_000_000 }, percent: { min: 0, max: 100 } },
} as const satisfies Record<string, Record<string, Range>>;

const ANY: Range = { min: 0 };

/** The limits of `provider`, or none (every non-negative value) when the table does not know it. */
export function limitsOf(provider: CheckProvider): CheckLimits | undefined {
  return CHECK_LIMITS[provider];
}

/** `value` moved into `range` (whole numbers when `whole`, rounding up). */
export function clampTo(value: number, range: Range = ANY, whole = false): number {
  const rounded = whole ? Math.ceil(value) : value;
  const low = Math.max(rounded, range.min);
  return range.max === undefined ? low : Math.min(low, range.max);
}

/** Whether `value` is one the product accepts for that figure (a number, inside the range). */
export function within(value: number, range: Range = ANY): boolean {
  return (
    Number.isFinite(value) && value >= range.min && (range.max === undefined || value <= range.max)
  );
}
