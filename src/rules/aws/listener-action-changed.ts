import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import { keptPairsOf } from "../model/aws/elb-resources.js";
import { type ActionSummary, shareMoved, summarizeActions } from "../model/aws/listener-actions.js";
import { type Listener, listenersOf } from "../model/aws/listeners.js";
import { stringOf } from "../model/iac/settings.js";
import { safe } from "../model/advice.js";

/** Where requests go: a listener's default action or a rule's action (forward, redirect, fixed-response). */
export default defineRule({
  id: "aws.listener.action-changed",
  family: "aws",
  title: "Listener or rule sends requests elsewhere",
  description:
    "A listener's default action or a listener rule's action changes what happens to requests: forwarding stops " +
    "(fixed response: high; redirect: medium, or low for an HTTP → HTTPS redirect), forwarding starts, the target " +
    "group changes (medium) or weighted shares move (medium above a threshold, else low), or authentication is " +
    "removed (high) or added (medium).",
  severity: "high",
  params: {
    // docs/lb-facts.md §P7 Capacity ("more than 25 % of the traffic share moved at once").
    maxShareMoved: {
      default: 0.25,
      description:
        "Moving more than this share of requests to other target groups at once is medium.",
    },
  },
  dialects: ["terraform", "cloudformation"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of keptPairsOf(file, listenersOf)) {
      if (after.classic) continue;
      const was = summarizeActions(before.actions);
      const now = summarizeActions(after.actions);
      if (!was || !now) continue;
      findings.push(...judge(after, was, now, params.maxShareMoved));
    }
    return findings;
  },
});

function judge(
  listener: Listener,
  was: ActionSummary,
  now: ActionSummary,
  maxShareMoved: number,
): Detection[] {
  const out: Detection[] = [];
  const push = (
    severity: Severity,
    message: string,
    before: string,
    after: string,
    checklist: string,
  ) =>
    out.push({
      severity,
      line: listener.actionsLine,
      path: listener.actionsPath,
      message: `${listener.label} ${message}`,
      before,
      after,
      checklist: [checklist],
    });

  const removedAuth = was.authentication.filter((step) => !now.authentication.includes(step));
  const addedAuth = now.authentication.filter((step) => !was.authentication.includes(step));
  if (removedAuth.length > 0)
    push(
      "high",
      `no longer authenticates requests (${removedAuth.join(", ")} removed): anyone reaching it gets through.${safe(`keep the "${removedAuth.join('", "')}" action ahead of "${now.type}"`)}`,
      removedAuth.join(", "),
      "none",
      "Confirm the application behind it authenticates every request itself.",
    );
  if (addedAuth.length > 0)
    push(
      "medium",
      `now requires ${addedAuth.join(", ")} before ${now.type}: clients without a session are sent to log in, and API clients fail.`,
      "none",
      addedAuth.join(", "),
      "Confirm no machine client (API, health checker, webhook) uses this route without a login.",
    );

  if (was.type !== now.type) {
    if (was.type === "forward" && now.type === "fixed-response") {
      push(
        "high",
        `stops forwarding: every request now gets a fixed ${now.status ? `${now.status} ` : ""}response instead of reaching the targets.${safe(`keep type = "forward" to ${targets(was)}`)}`,
        was.type,
        now.type,
        "Confirm taking this route out of service is intended (maintenance page, decommission).",
      );
    } else if (was.type === "forward" && now.type === "redirect") {
      const https =
        now.redirectProtocol === "HTTPS" && stringOf(listener.protocol)?.toUpperCase() === "HTTP";
      push(
        https ? "low" : "medium",
        https
          ? "now redirects to HTTPS instead of forwarding: clients that do not follow redirects (API clients, POST requests) fail."
          : "now redirects instead of forwarding: requests no longer reach the targets.",
        was.type,
        now.type,
        https
          ? "Confirm every client of the HTTP port follows redirects or already uses HTTPS."
          : "Confirm every client follows the redirect and the destination serves the same paths.",
      );
    } else if (now.type === "forward") {
      push(
        "medium",
        `now forwards to ${targets(now)} instead of answering with a ${was.type}: those targets start taking this traffic at once.`,
        was.type,
        now.type,
        `Confirm ${targets(now)} has healthy targets sized for this traffic.`,
      );
    } else {
      push(
        "medium",
        `answers with a ${now.type} instead of a ${was.type}.`,
        was.type,
        now.type,
        "Confirm clients handle the new response.",
      );
    }
    return out;
  }

  if (now.type === "forward" && was.shares && now.shares) {
    const moved = shareMoved(was.shares, now.shares);
    if (moved <= 1e-9) return out;
    const percent = Math.round(moved * 100);
    const single = was.shares.size === 1 && now.shares.size === 1;
    const message = single
      ? `now forwards to ${targets(now)} instead of ${targets(was)}: all requests move at once.`
      : `shifts ${percent}% of requests between target groups (${targets(was)} → ${targets(now)}).`;
    out.push({
      severity: moved > maxShareMoved ? "medium" : "low",
      line: listener.actionsLine,
      path: listener.actionsPath,
      message: `${listener.label} ${message}`,
      before: targets(was),
      after: targets(now),
      figures: { shareMovedPercent: percent },
      checklist: [
        `Confirm ${targets(now)} has healthy, registered targets sized for the traffic it receives.`,
      ],
    });
  }
  return out;
}

/** "aws_lb_target_group.blue 90%, aws_lb_target_group.green 10%" */
function targets(summary: ActionSummary): string {
  if (!summary.shares) return "(unknown)";
  if (summary.shares.size === 1) return [...summary.shares.keys()][0]!;
  return [...summary.shares]
    .map(([target, share]) => `${target} ${Math.round(share * 100)}%`)
    .join(", ");
}
