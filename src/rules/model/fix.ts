// Single-line safe edits (`Detection.fix`, docs/output.md): the after side's line with one or more
// values replaced, keeping its indentation, quoting and syntax (HCL `key = value`, YAML
// `key: value`, JSON `"key": value,`, nginx `key=value` parameters and `directive value;`,
// HAProxy `keyword value` tokens). When the line does not hold every key, there is no fix.
import type { Detection, FileUnderReview, Fix } from "../types.js";
import type { CheckProvider } from "./health-check.js";
import { envoyDuration } from "./proxy-durations.js";

/** One value to set on the line: the first of `keys` found there gets `value`. */
export interface ValueEdit {
  /** The key as the dialect spells it (several spellings when one edit serves several dialects). */
  readonly keys: readonly string[];
  /** A count or a text to write as is, or seconds when `duration` is set. */
  readonly value: number | string;
  /**
   * The value is a duration in seconds: it is written in the unit the old value used (`2s` → `10s`,
   * `2000` → `10000` where a bare number counts `bareSeconds`, e.g. HAProxy milliseconds 0.001).
   */
  readonly duration?: {
    readonly bareSeconds: number;
    /**
     * Written as a protobuf Duration, decimal seconds with an `s` suffix (`0.5s`, never `500ms`):
     * set by lineFix for Envoy files (docs/lb-facts.md "Product limits the advice respects").
     */
    readonly protobuf?: boolean;
  };
}

/** A health check's duration as `ValueEdit.duration`: a bare number is milliseconds in HAProxy, else seconds. */
export function checkDuration(provider: CheckProvider): NonNullable<ValueEdit["duration"]> {
  return { bareSeconds: provider === "haproxy" ? 0.001 : 1 };
}

/** The fix that sets every edit on `line` of the file's after side, or undefined when it cannot. */
export function lineFix(
  file: FileUnderReview,
  line: number,
  edits: readonly ValueEdit[],
): Fix | undefined {
  if (file.afterText === undefined || line < 1) return undefined;
  const text = file.afterText.split("\n")[line - 1];
  if (text === undefined) return undefined;
  const replacement = replaceValues(
    text.replace(/\r$/, ""),
    file.dialect === "envoy" ? edits.map(asProtobufDuration) : edits,
  );
  return replacement === undefined ? undefined : { line, replacement };
}

/** Envoy reads durations as protobuf Durations: a duration edit is written in seconds, `0.5s`. */
function asProtobufDuration(edit: ValueEdit): ValueEdit {
  return edit.duration ? { ...edit, duration: { ...edit.duration, protobuf: true } } : edit;
}

/** `text` with each edit's value replaced, or undefined when a key is missing or nothing changes. */
export function replaceValues(text: string, edits: readonly ValueEdit[]): string | undefined {
  let result = text;
  for (const edit of edits) {
    const next = replaceOne(result, edit);
    if (next === undefined) return undefined;
    result = next;
  }
  return result === text ? undefined : result;
}

const VALUE = String.raw`("(?:[^"\\]|\\.)*"|'[^']*'|[^\s;,#}\]]+)`;

function replaceOne(text: string, edit: ValueEdit): string | undefined {
  for (const key of edit.keys) {
    // A key starts the line, a token or a parameter, optionally quoted (YAML, JSON); then `=`, `:` or spaces.
    const pattern = new RegExp(
      String.raw`(^|[\s{,;(])(["']?)${escapeRegExp(key)}\2(\s*[=:]\s*|\s+)${VALUE}`,
    );
    const match = pattern.exec(text);
    if (!match) continue;
    const old = match[4]!;
    const written = render(old, edit);
    if (written === undefined) return undefined;
    const start = match.index + match[0].length - old.length;
    return `${text.slice(0, start)}${written}${text.slice(start + old.length)}`;
  }
  return undefined;
}

/** The new value in the old one's quoting and unit. */
function render(old: string, edit: ValueEdit): string | undefined {
  const quote = old.startsWith('"') ? '"' : old.startsWith("'") ? "'" : "";
  const inner = quote ? old.slice(1, -1) : old;
  const body = !edit.duration
    ? String(edit.value)
    : edit.duration.protobuf
      ? /^\d+(?:\.\d+)?s$/.test(inner.trim())
        ? envoyDuration(Number(edit.value))
        : undefined
      : durationLike(inner, Number(edit.value), edit.duration.bareSeconds);
  return body === undefined ? undefined : `${quote}${body}${quote}`;
}

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** `seconds` written like `old`: same unit when it stays whole, else seconds (or ms below 1 s). */
export function durationLike(old: string, seconds: number, bareSeconds = 1): string | undefined {
  if (!Number.isFinite(seconds) || seconds < 0) return undefined;
  const match = /^\s*\d+(?:\.\d+)?\s*(ms|s|m|h)?\s*$/.exec(old);
  if (!match) return undefined;
  const unit = match[1];
  if (unit === undefined) return trim(seconds / bareSeconds);
  const inUnit = seconds / UNITS[unit]!;
  if (Number.isInteger(inUnit)) return `${inUnit}${unit}`;
  return Number.isInteger(seconds) ? `${seconds}s` : `${trim(seconds * 1000)}ms`;
}

function trim(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Key spellings per figure of a health check, across the dialects the model reads: the health-check rules' fixes look for these. */
export const HEALTH_CHECK_KEYS = {
  interval: [
    "interval",
    "HealthCheckIntervalSeconds",
    "IntervalSeconds",
    "health_check_interval_seconds",
    "periodSeconds",
    "inter",
    "check_interval_sec",
    "interval_in_seconds",
    "intervalInSeconds",
    "CheckIntervalSec",
    "alb.ingress.kubernetes.io/healthcheck-interval-seconds",
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval",
  ],
  timeout: [
    "timeout",
    "HealthCheckTimeoutSeconds",
    "health_check_timeout_seconds",
    "timeoutSeconds",
    "timeout_sec",
    "timeout_seconds",
    "TimeoutSec",
    "alb.ingress.kubernetes.io/healthcheck-timeout-seconds",
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-timeout",
  ],
  unhealthyThreshold: [
    "unhealthy_threshold",
    "UnhealthyThresholdCount",
    "UnhealthyThreshold",
    "unhealthyThreshold",
    "failureThreshold",
    "fall",
    "fails",
    "retries",
    "number_of_probes",
    "probe_threshold",
    "numberOfProbes",
    "alb.ingress.kubernetes.io/unhealthy-threshold-count",
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-unhealthy-threshold",
  ],
} as const;

/** The detection with the fix that sets `edits` on its line, when the line holds them. */
function withLineFix(
  file: FileUnderReview,
  detection: Detection,
  edits: readonly ValueEdit[],
): Detection {
  const fix = lineFix(file, detection.line, edits);
  return fix ? { ...detection, fix } : detection;
}

/** The detection with the fix that puts its `before` value back on its line (a number, string or boolean). */
export function withRestoreFix(
  file: FileUnderReview,
  detection: Detection,
  keys: readonly string[],
): Detection {
  const { before } = detection;
  if (typeof before !== "number" && typeof before !== "string" && typeof before !== "boolean")
    return detection;
  return withLineFix(file, detection, [{ keys, value: String(before) }]);
}

/**
 * The fix for the first line from `line` to `line + span` that holds one of `keys` with the value
 * `was` (a block's setting written a few lines below the block, e.g. `enabled = false`).
 */
export function nearLineFix(
  file: FileUnderReview,
  line: number,
  span: number,
  keys: readonly string[],
  was: string,
  value: string,
): Fix | undefined {
  const lines = file.afterText?.split("\n") ?? [];
  for (let at = line; at <= Math.min(line + span, lines.length); at++) {
    const text = lines[at - 1]!;
    const holds = keys.some((key) =>
      new RegExp(
        String.raw`(^|[\s{,;(])(["']?)${escapeRegExp(key)}\2\s*[=:]\s*["']?${escapeRegExp(was)}["']?\s*(#.*|//.*)?$`,
      ).test(text.replace(/\r$/, "")),
    );
    if (holds) return lineFix(file, at, [{ keys, value }]);
  }
  return undefined;
}
