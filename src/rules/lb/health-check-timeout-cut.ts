import { formatSeconds } from "../model/figures.js";
import { checkDuration, HEALTH_CHECK_KEYS, lineFix } from "../model/fix.js";
import { pairHealthChecks } from "../model/hair-trigger.js";
import type { HealthCheck } from "../model/health-check.js";
import { healthChecksOf } from "../model/index.js";
import { limitsOf, within } from "../model/limits.js";
import { defineRule, type Detection } from "../types.js";

/**
 * A health check answers within its timeout or counts as failed: cutting the timeout sharply turns every
 * slow answer (a GC pause, a cold cache, load) into a failed check, so healthy targets are ejected
 * (docs/risk.md "Healthy targets are ejected", "Connections are cut"). Each product's default applies where
 * the timeout is absent (Traefik 5 s, AWS 5 s for HTTP, Kubernetes 1 s; docs/lb-facts.md).
 */
export default defineRule({
  id: "lb.health-check.timeout-cut",
  family: "lb",
  title: "Health-check timeout cut sharply",
  description:
    "A health check's timeout (with the product's default where it is absent, e.g. Traefik 5 s) is cut to " +
    "`highCutRatio` of what it was or less (high: answers that used to pass now fail, and healthy targets are " +
    "ejected) or to half or less (medium). Kubernetes liveness and startup probes are judged by " +
    "kubernetes.liveness.aggressive; a timeout at or above the interval by lb.health-check.timeout-not-below-interval.",
  severity: "high",
  params: {
    // docs/risk.md: cut sharply = by five times or more, as for drains.
    highCutRatio: {
      default: 0.2,
      description: "A timeout cut to this share of the old one or less (by 5× or more) is high.",
    },
    // Judgement: a halving is a large cut worth a look, not an outage on its own.
    maxCutRatio: {
      default: 0.5,
      description: "A timeout cut to this share of the old one or less is medium.",
    },
  },
  dialects: "any",
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of pairHealthChecks(
      healthChecksOf(file.dialect, file.before),
      healthChecksOf(file.dialect, file.after),
    )) {
      if (!before || !after) continue;
      if (after.probe === "liveness" || after.probe === "startup") continue;
      const finding = judge(before, after, params);
      if (!finding) continue;
      const safe = safeTimeout(before, after, params.highCutRatio);
      const fix =
        finding.severity === "high" && after.timeoutSeconds?.explicit && safe !== undefined
          ? lineFix(file, after.timeoutSeconds.line, [
              {
                keys: HEALTH_CHECK_KEYS.timeout,
                value: safe,
                duration: checkDuration(after.provider),
              },
            ])
          : undefined;
      findings.push(fix ? { ...finding, fix } : finding);
    }
    return findings;
  },
});

/**
 * The timeout to write back: the old one, unless it now reaches the (new) interval, which the other rule rejects
 * (AWS refuses it): then half the interval, when that is still above the sharp cut; else undefined (the interval
 * must move too).
 */
function safeTimeout(
  before: HealthCheck,
  after: HealthCheck,
  highCutRatio: number,
): number | undefined {
  const was = before.timeoutSeconds!.value;
  const interval = after.intervalSeconds?.value;
  if (interval === undefined || was < interval) return was;
  // Within the timeouts the product accepts (docs/lb-facts.md "Product limits the advice respects").
  const half = Math.floor(interval / 2);
  return half > was * highCutRatio && within(half, limitsOf(after.provider)?.timeout)
    ? half
    : undefined;
}

function advice(before: HealthCheck, after: HealthCheck, highCutRatio: number): string {
  const was = before.timeoutSeconds!.value;
  const safe = safeTimeout(before, after, highCutRatio);
  if (safe === was)
    return `keep the timeout at ${formatSeconds(was)} as before, or above ${formatSeconds(was * highCutRatio)} and at least the health endpoint's slowest answer`;
  const interval = after.intervalSeconds!.value;
  if (safe !== undefined)
    return `keep the timeout at ${formatSeconds(safe)}, below the ${formatSeconds(interval)} interval and above ${formatSeconds(was * highCutRatio)}`;
  return `keep the timeout at ${formatSeconds(was)} and the interval at ${formatSeconds(before.intervalSeconds?.value ?? was * 2)} as before`;
}

function judge(
  before: HealthCheck,
  after: HealthCheck,
  params: { highCutRatio: number; maxCutRatio: number },
): Detection | undefined {
  const was = before.timeoutSeconds;
  const now = after.timeoutSeconds;
  if (!was || !now || now.value <= 0 || now.value >= was.value) return undefined;
  if (!was.explicit && !now.explicit) return undefined; // both defaults: the provider changed, not the timeout
  // At or above the interval is the other rule's finding.
  const interval = after.intervalSeconds?.value;
  if (interval !== undefined && now.value >= interval) return undefined;
  const ratio = now.value / was.value;
  if (ratio > params.maxCutRatio) return undefined;
  const severity = ratio <= params.highCutRatio ? "high" : "medium";
  const defaulted = (figure: typeof was) => (figure.explicit ? "" : " by default");
  return {
    severity,
    line: now.explicit ? now.line : after.line,
    path: after.path,
    message:
      `${after.label} now fails a check that takes longer than ${formatSeconds(now.value)}${defaulted(now)}, ` +
      `was ${formatSeconds(was.value)}${defaulted(was)}, ${Math.round(10 / ratio) / 10}× shorter: answers slower than ` +
      `that under load count as failures, so healthy targets are ejected.` +
      (severity === "high" ? ` Safe: ${advice(before, after, params.highCutRatio)}.` : ""),
    before: was.value,
    after: now.value,
    figures: { timeoutSecondsBefore: was.value, timeoutSeconds: now.value },
    checklist: [
      `Confirm the health endpoint of ${after.label} answers within ${formatSeconds(now.value)} at peak load and during deploys.`,
    ],
  };
}
