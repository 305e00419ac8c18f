import { formatSeconds } from "../model/figures.js";
import type { HealthCheck } from "../model/health-check.js";
import { lineFix } from "../model/fix.js";
import { defineRule, type Detection } from "../types.js";
import { healthChecksOf } from "../model/index.js";
import { pairHealthChecks } from "../model/hair-trigger.js";

/**
 * A check whose timeout reaches its interval leaves no slack between checks; AWS rejects it
 * outright ("Health check interval must be greater than the timeout", docs/lb-facts.md §1a),
 * GCP rejects a timeout above the interval (§5a).
 */
export default defineRule({
  id: "lb.health-check.timeout-not-below-interval",
  family: "lb",
  title: "Health-check timeout at or above its interval",
  description:
    "The check's timeout is at or above its interval, on a new check or one this change touched: a hair-trigger " +
    'check (docs/risk.md "Healthy targets are ejected"), high. AWS (ELBv2 and Classic) rejects the change at ' +
    "deploy time; elsewhere a slow answer overlaps the next check, so one slow period counts as several failures.",
  severity: "high",
  params: {},
  dialects: "any",
  check(file) {
    const findings: Detection[] = [];
    for (const [before, after] of pairHealthChecks(
      healthChecksOf(file.dialect, file.before),
      healthChecksOf(file.dialect, file.after),
    )) {
      if (!after || !invalid(after)) continue;
      if (before && invalid(before) && same(before, after)) continue; // not introduced by this change
      // The old timing could not be read (an expression, a placeholder): the change may not have introduced it.
      const unknownBefore =
        before !== undefined &&
        (before.timeoutSeconds === undefined || before.intervalSeconds === undefined);
      const timeout = after.timeoutSeconds!;
      const interval = after.intervalSeconds!;
      const rejects =
        after.provider === "aws-elbv2" || after.provider === "aws-elb"
          ? " AWS rejects this (the interval must be greater than the timeout), so the deploy fails."
          : after.timeoutRule === "at-most-interval"
            ? " The provider rejects a timeout above the interval."
            : "";
      const line = timeout.explicit ? timeout.line : interval.line;
      // Safe: half the interval (at least 1 s when the interval allows, else a tenth of it). Where the product
      // counts whole seconds, at least 1 (Kubernetes timeoutSeconds, AWS, GCP, Azure), a timeout cannot go below
      // 1 s: the interval goes above the timeout instead.
      const half =
        interval.value >= 2 ? Math.floor(interval.value / 2) : Math.round(interval.value * 5) / 10;
      const raiseInterval = WHOLE_SECONDS.has(after.provider) && half < 1;
      const safe = raiseInterval ? Math.ceil(timeout.value) + 1 : half;
      const fix = raiseInterval
        ? interval.explicit
          ? lineFix(file, interval.line, [{ keys: INTERVAL_KEYS, value: safe }])
          : undefined
        : safe > 0
          ? lineFix(file, timeout.line, [
              {
                keys: ["timeout", "timeoutSeconds", "HealthCheckTimeoutSeconds", "timeout_sec"],
                value: safe,
                duration: { bareSeconds: after.provider === "haproxy" ? 0.001 : 1 },
              },
            ])
          : undefined;
      const advice = raiseInterval
        ? `an interval above the timeout, e.g. ${formatSeconds(safe)}`
        : `a timeout below the interval, e.g. ${formatSeconds(safe)}`;
      const severity = unknownBefore ? "medium" : "high";
      findings.push({
        severity,
        line,
        path: after.path,
        message:
          `${before ? "" : "new "}${after.label} times a check out after ${formatSeconds(timeout.value)} with checks every ${formatSeconds(interval.value)}: no slack between checks, a hair-trigger check.${rejects}` +
          (severity === "high" ? ` Safe: ${advice}.` : ""),
        // Both figures matter: the change may move either the timeout or the interval.
        before: before ? timingOf(before) : null,
        after: timingOf(after),
        figures: { timeoutSeconds: timeout.value, intervalSeconds: interval.value },
        checklist: [
          raiseInterval
            ? `Set ${after.label}'s interval above its timeout (e.g. ${formatSeconds(safe)}).`
            : `Set ${after.label}'s timeout below its interval (e.g. ${formatSeconds(safe)}).`,
        ],
        ...(fix && severity === "high" ? { fix } : {}),
      });
    }
    return findings;
  },
});

/** Products whose check timings are whole seconds, at least 1. */
const WHOLE_SECONDS = new Set<HealthCheck["provider"]>([
  "kubernetes",
  "aws-elbv2",
  "aws-elb",
  "aws-lbc",
  "gcp",
  "azure",
]);

/** How those products spell a check's interval, for the single-line fix. */
const INTERVAL_KEYS = [
  "periodSeconds",
  "interval",
  "HealthCheckIntervalSeconds",
  "IntervalSeconds",
  "check_interval_sec",
  "interval_in_seconds",
];

/**
 * Only an explicit timeout is judged: providers' default timeouts vary by protocol and version. HAProxy's needs an
 * explicit `inter` too: `timeout check` is a read timeout added after the connect, and the stock configurations set
 * it in `defaults` (e.g. 10 s) over servers left at the default 2 s inter (docs/lb-facts.md §P1); the author chose
 * no short interval there.
 */
function invalid(check: HealthCheck): boolean {
  if (!check.timeoutSeconds?.explicit) return false;
  if (check.provider === "haproxy" && !check.intervalSeconds?.explicit) return false;
  const timeout = check.timeoutSeconds.value;
  const interval = check.intervalSeconds?.value;
  if (timeout === undefined || interval === undefined) return false;
  return check.timeoutRule === "at-most-interval" ? timeout > interval : timeout >= interval;
}

function same(a: HealthCheck, b: HealthCheck): boolean {
  return (
    a.timeoutSeconds?.value === b.timeoutSeconds?.value &&
    a.intervalSeconds?.value === b.intervalSeconds?.value
  );
}

/** "timeout 5 s, interval 30 s" */
function timingOf(check: HealthCheck): string | null {
  const timeout = check.timeoutSeconds?.value;
  const interval = check.intervalSeconds?.value;
  if (timeout === undefined || interval === undefined) return null;
  return `timeout ${formatSeconds(timeout)}, interval ${formatSeconds(interval)}`;
}
