// What the proxies accept, so that advice and fixes only ever suggest values the product would load
// (docs/lb-facts.md "Product limits the advice respects"): how each one writes a duration, and the
// ranges of the counts the rules advise. Rules write values through these, never by hand.

/** A count's valid range, as the product's parser or schema enforces it. */
export interface CountRange {
  readonly min: number;
  readonly max?: number;
}

/**
 * HAProxy: times are integers with a unit (`us`, `ms`, `s`, `m`, `h`, `d`), a bare number is
 * milliseconds, and a time above 2147483647 ms is rejected ("timer overflow"); `fall` and `rise`
 * count from 1 (https://docs.haproxy.org/3.2/configuration.html#2.5 and #5.2-inter).
 */
export const HAPROXY = {
  maxTimeMilliseconds: 2_147_483_647,
  fall: { min: 1 },
  rise: { min: 1 },
} as const satisfies Record<string, unknown>;

/**
 * nginx: times are integers with units `ms`, `s`, `m`, `h`, `d`, `w`, `M`, `y`; a bare number is
 * seconds. `fail_timeout=` is parsed in whole seconds and rejects `ms` (ngx_parse_time with is_sec);
 * `max_fails=0` turns passive checks off. NGINX Plus `health_check` counts `fails=` and `passes=`
 * from 1 (defaults: interval 5 s, fails 1, passes 1).
 */
export const NGINX = {
  secondsOnly: new Set(["fail_timeout"]),
  plusCheck: {
    defaults: { intervalSeconds: 5, fails: 1, passes: 1 },
    fails: { min: 1 },
    passes: { min: 1 },
  },
} as const;

/**
 * Envoy: durations are protobuf Durations, written in YAML/JSON as a decimal number of seconds
 * with an `s` suffix and at most nine fractional digits ("5s", "0.25s"; "250ms" is rejected).
 * Outlier detection's max_ejection_percent and enforcing_* are percentages, 0 to 100.
 */
export const ENVOY = {
  percent: { min: 0, max: 100 },
  maxDurationSeconds: 315_576_000_000,
} as const;

/** Whether `value` is inside `range`. */
export function within(value: number, range: CountRange): boolean {
  return (
    Number.isFinite(value) && value >= range.min && (range.max === undefined || value <= range.max)
  );
}

/** `value` moved into `range` (rounded to a whole count). */
export function clampCount(value: number, range: CountRange): number {
  const whole = Math.round(value);
  return Math.min(Math.max(whole, range.min), range.max ?? Number.POSITIVE_INFINITY);
}

const HAPROXY_UNITS: readonly [string, number][] = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1000],
  ["ms", 1],
];

/**
 * `seconds` as HAProxy writes a time: the largest unit that keeps it a whole number (`90s`, `2m`,
 * `1500ms`); undefined when it is not a whole number of microseconds or is above HAProxy's maximum.
 */
export function haproxyTime(seconds: number): string | undefined {
  if (!Number.isFinite(seconds) || seconds < 0) return undefined;
  const ms = seconds * 1000;
  if (ms > HAPROXY.maxTimeMilliseconds) return undefined;
  const rounded = Math.round(ms * 1000) / 1000;
  for (const [unit, size] of HAPROXY_UNITS) {
    if (rounded >= size && Number.isInteger(rounded / size)) return `${rounded / size}${unit}`;
  }
  if (rounded === 0) return "0s";
  const us = Math.round(ms * 1000);
  return Math.abs(us - ms * 1000) < 1e-6 ? `${us}us` : undefined;
}

const NGINX_UNITS: readonly [string, number][] = [
  ["d", 86_400],
  ["h", 3600],
  ["m", 60],
  ["s", 1],
];

/**
 * `seconds` as nginx writes a time for `directive`: the largest unit that keeps it whole, `ms`
 * below a second; undefined when the directive takes whole seconds and `seconds` is not one.
 */
export function nginxTime(seconds: number, directive = ""): string | undefined {
  if (!Number.isFinite(seconds) || seconds < 0) return undefined;
  for (const [unit, size] of NGINX_UNITS) {
    if (seconds >= size && Number.isInteger(seconds / size)) return `${seconds / size}${unit}`;
  }
  if (seconds === 0) return "0s";
  if (NGINX.secondsOnly.has(directive)) return undefined;
  const ms = Math.round(seconds * 1000);
  return Math.abs(ms - seconds * 1000) < 1e-6 ? `${ms}ms` : undefined;
}

/** `seconds` as an Envoy (protobuf) Duration string: "5s", "0.25s". */
export function envoyDuration(seconds: number): string | undefined {
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > ENVOY.maxDurationSeconds)
    return undefined;
  const nanos = Math.round(seconds * 1e9);
  const whole = Math.floor(nanos / 1e9);
  const fraction = String(nanos % 1e9)
    .padStart(9, "0")
    .replace(/0+$/, "");
  return `${whole}${fraction ? `.${fraction}` : ""}s`;
}

/** `seconds` as a Go duration (Traefik): "10s", "1m30s", "500ms". */
export function goDuration(seconds: number): string | undefined {
  if (!Number.isFinite(seconds) || seconds < 0) return undefined;
  if (seconds === 0) return "0s";
  let ms = Math.round(seconds * 1000);
  if (Math.abs(ms - seconds * 1000) > 1e-6) return undefined;
  let text = "";
  for (const [unit, size] of [
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1000],
    ["ms", 1],
  ] as const) {
    const part = Math.floor(ms / size);
    if (part > 0) text += `${part}${unit}`;
    ms -= part * size;
  }
  return text;
}
