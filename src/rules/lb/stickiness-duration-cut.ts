import { formatSeconds } from "../model/figures.js";
import { defineRule, type Detection } from "../types.js";
import { affinitiesOf } from "../model/index.js";
import { pairByKey } from "../model/pairs.js";
import { safe } from "../model/advice.js";
import { lineFix } from "../model/fix.js";

/** A short-lived stickiness cookie re-routes users each time it expires. */
/** How the cookie lifetime is spelled (Terraform, CloudFormation attribute values, GCP, Azure, Kubernetes). */
const DURATION_KEYS = [
  "cookie_duration",
  "Value",
  "affinity_cookie_ttl_sec",
  "cookie_expiration_period",
  "CookieExpirationPeriod",
  "timeoutSeconds",
];

export default defineRule({
  id: "lb.stickiness.duration-cut",
  family: "lb",
  title: "Stickiness cookie lifetime cut",
  description:
    "The affinity cookie or affinity timeout is cut to a fraction of its old value: each time it expires the user is " +
    "re-balanced and lands on a target without their session.",
  severity: "high",
  params: {
    // Judgement: a session shorter than an hour expires during ordinary use.
    minDurationSeconds: {
      default: 3600,
      description: "Cookie lifetimes below this expire during ordinary use (seconds).",
    },
    maxCutRatio: {
      default: 0.5,
      description: "A new lifetime at or below this share of the old one is a cut.",
    },
  },
  dialects: "any",
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of pairByKey(
      affinitiesOf(file.dialect, file.before),
      affinitiesOf(file.dialect, file.after),
    )) {
      if (!before?.enabled || !after?.enabled || before.mode !== after.mode) continue;
      const was = before.durationSeconds?.value;
      const now = after.durationSeconds?.value;
      if (was === undefined || now === undefined || now > was * params.maxCutRatio) continue;
      const severity = now < params.minDurationSeconds ? "high" : "medium";
      const fix =
        severity === "high"
          ? lineFix(file, after.durationSeconds!.line, [{ keys: DURATION_KEYS, value: was }])
          : undefined;
      findings.push({
        ...(fix ? { fix } : {}),
        severity,
        line: after.durationSeconds!.line,
        path: after.path,
        message: `${after.label} now keeps sessions on one target for ${formatSeconds(now)} instead of ${formatSeconds(was)}: ${reRouted(after.mode, now)}.${severity === "high" ? safe(`keep the stickiness duration at ${formatSeconds(was)} (${was} s), or at least ${formatSeconds(params.minDurationSeconds)}`) : ""}`,
        before: was,
        after: now,
        figures: { durationSecondsBefore: was, durationSeconds: now },
        checklist: [
          `Confirm sessions survive being moved to another target after ${formatSeconds(now)}${ALB_MODES.has(after.mode ?? "") ? " without a request" : ""}.`,
        ],
      });
    }
    return findings;
  },
});

/** The ALB's stickiness types (Terraform and CloudFormation spell them alike). */
const ALB_MODES = new Set(["lb_cookie", "app_cookie"]);

/**
 * When a user loses their target. The ALB restarts its cookie's expiry on every request, so only a
 * user idle for the whole duration is re-routed ("For both stickiness types, the Application Load
 * Balancer resets the expiry of the cookies it generates after every request",
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/sticky-sessions.html; docs/lb-facts.md §1b).
 * Other products' timers are not claimed to restart or not.
 */
function reRouted(mode: string | undefined, seconds: number): string {
  const duration = formatSeconds(seconds);
  return ALB_MODES.has(mode ?? "")
    ? `a user idle for ${duration} is re-routed to a target without their session (the ALB restarts the ${duration} on every request)`
    : `users are re-routed to a target without their session when the ${duration} affinity expires`;
}
