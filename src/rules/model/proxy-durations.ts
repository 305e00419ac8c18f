// How each proxy writes a duration, so that advice and fixes write values the product loads, in its
// own syntax (docs/lb-facts.md "Product limits the advice respects"). The ranges (largest time,
// percentages, check counts) are in limits.ts; rules write durations through these, never by hand.
import { PROXY_LIMITS, within } from "./limits.js";

/**
 * nginx: times are integers with units `ms`, `s`, `m`, `h`, `d`, `w`, `M`, `y`; a bare number is
 * seconds. `fail_timeout=` is parsed in whole seconds and rejects `ms` (ngx_parse_time with is_sec).
 */
export const NGINX_SECONDS_ONLY: ReadonlySet<string> = new Set(["fail_timeout"]);

const HAPROXY_UNITS: readonly [string, number][] = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1000],
  ["ms", 1],
];

/**
 * `seconds` as HAProxy writes a time: integers with a unit (`us`, `ms`, `s`, `m`, `h`, `d`), a bare
 * number being milliseconds (https://docs.haproxy.org/3.2/configuration.html#2.5). The largest unit
 * that keeps it whole (`90s`, `2m`, `1500ms`); undefined when it is not a whole number of
 * microseconds or is above HAProxy's maximum.
 */
export function haproxyTime(seconds: number): string | undefined {
  if (!Number.isFinite(seconds) || seconds < 0) return undefined;
  const ms = seconds * 1000;
  if (!within(ms, PROXY_LIMITS.haproxy.timeMilliseconds)) return undefined;
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
  if (NGINX_SECONDS_ONLY.has(directive)) return undefined;
  const ms = Math.round(seconds * 1000);
  return Math.abs(ms - seconds * 1000) < 1e-6 ? `${ms}ms` : undefined;
}

/**
 * `seconds` as an Envoy (protobuf) Duration string: a decimal number of seconds with an `s` suffix
 * and at most nine fractional digits ("5s", "0.25s"; "250ms" is rejected).
 */
export function envoyDuration(seconds: number): string | undefined {
  if (!within(seconds, PROXY_LIMITS.envoy.durationSeconds)) return undefined;
  const nanos = Math.round(seconds * 1e9);
  const whole = Math.floor(nanos / 1e9);
  const fraction = String(nanos % 1e9)
    .padStart(9, "0")
    .replace(/0+$/, "");
  return `${whole}${fraction ? `.${fraction}` : ""}s`;
}
