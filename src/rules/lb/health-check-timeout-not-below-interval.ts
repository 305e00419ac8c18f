import { formatSeconds } from "../model/figures.js";
import type { HealthCheck } from "../model/health-check.js";
import { checkDuration, HEALTH_CHECK_KEYS, lineFix } from "../model/fix.js";
import { defineRule, type Detection } from "../types.js";
import { healthChecksOf } from "../model/index.js";
import { pairHealthChecks } from "../model/hair-trigger.js";
import { clampTo, limitsOf, within } from "../model/limits.js";

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
            ? ` ${limitsOf(after.provider)?.product ?? "The provider"} rejects a timeout above the interval, so the deploy fails.`
            : "";
      const line = timeout.explicit ? timeout.line : interval.line;
      const advice = saferTiming(after);
      const fix =
        advice.lever === "interval"
          ? interval.explicit
            ? lineFix(file, interval.line, [
                {
                  keys: HEALTH_CHECK_KEYS.interval,
                  value: advice.value,
                  duration: checkDuration(after.provider),
                },
              ])
            : undefined
          : advice.value > 0
            ? lineFix(file, timeout.line, [
                {
                  keys: HEALTH_CHECK_KEYS.timeout,
                  value: advice.value,
                  duration: checkDuration(after.provider),
                },
              ])
            : undefined;
      const severity = unknownBefore ? "medium" : "high";
      findings.push({
        severity,
        line,
        path: after.path,
        message:
          `${before ? "" : "new "}${after.label} times a check out after ${formatSeconds(timeout.value)} with checks every ${formatSeconds(interval.value)}: no slack between checks, a hair-trigger check.${rejects}` +
          (severity === "high" ? ` Safe: ${advice.text}.` : ""),
        // Both figures matter: the change may move either the timeout or the interval.
        before: before ? timingOf(before) : null,
        after: timingOf(after),
        figures: { timeoutSeconds: timeout.value, intervalSeconds: interval.value },
        checklist: [`Set the ${advice.checklist.what} of ${after.label} ${advice.checklist.how}.`],
        ...(fix && severity === "high" ? { fix } : {}),
      });
    }
    return findings;
  },
});

/**
 * The edit that gives the check slack, within what the product accepts (docs/lb-facts.md "Product limits the
 * advice respects"): half the interval as the timeout (a tenth of a second at least, where the product counts
 * fractions); when that is below the product's shortest timeout (Kubernetes and Google Cloud 1 s, AWS 2 s), a
 * longer interval instead, one second above the timeout and at least the product's shortest interval.
 */
function saferTiming(check: HealthCheck): {
  lever: "timeout" | "interval";
  value: number;
  text: string;
  checklist: { what: string; how: string };
} {
  const timeout = check.timeoutSeconds!.value;
  const interval = check.intervalSeconds!.value;
  const limits = limitsOf(check.provider);
  const names = limits?.names;
  const half = interval >= 2 ? Math.floor(interval / 2) : Math.round(interval * 5) / 10;
  const timeoutName = names ? names.timeout : "timeout";
  const intervalName = names ? names.interval : "interval";
  const shown = (name: string, seconds: number): string =>
    names ? `${name} ${seconds}` : formatSeconds(seconds);
  if (half > 0 && within(half, limits?.timeout)) {
    return {
      lever: "timeout",
      value: half,
      text: `a ${timeoutName} below the ${intervalName}, e.g. ${shown(timeoutName, half)}`,
      checklist: {
        what: timeoutName,
        how: `below its ${intervalName} (e.g. ${shown(timeoutName, half)})`,
      },
    };
  }
  const longer = clampTo(
    Math.max(timeout + 1, limits?.interval.min ?? 0),
    limits?.interval,
    limits?.wholeSeconds,
  );
  const floor = limits?.timeout.min;
  const why =
    floor !== undefined && timeout <= floor
      ? ` (${formatSeconds(floor)} is the shortest ${timeoutName} ${limits!.product} accepts)`
      : "";
  return {
    lever: "interval",
    value: longer,
    text: `a longer ${intervalName}, e.g. ${shown(intervalName, longer)}${why}`,
    checklist: {
      what: intervalName,
      how: `above its ${timeoutName} (e.g. ${shown(intervalName, longer)})`,
    },
  };
}

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
