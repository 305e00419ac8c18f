import { formatSeconds } from "../model/figures.js";
import { defineRule, type Detection } from "../types.js";
import { healthChecksOf } from "../model/index.js";
import { pairByKey } from "../model/pairs.js";

/** Calmer checks keep dead targets in the pool longer: users hit them until they are ejected. */
export default defineRule({
  id: "lb.health-check.detection-slowed",
  family: "lb",
  title: "Health check takes much longer to eject dead targets",
  description:
    "The time to eject a failing target (interval × unhealthy threshold) at least doubles and ends above a ceiling: " +
    "requests keep reaching a dead target for that long. Calmer checks are never worse than medium.",
  severity: "medium",
  params: {
    // Judgement (docs/lb-facts.md §7, "Medium: time to eject above 60 s").
    maxEjectSeconds: {
      default: 60,
      description: "Eject times above this leave dead targets in service too long (seconds).",
    },
    growthFactor: {
      default: 2,
      description: "The new eject time is at least this multiple of the old one.",
    },
  },
  dialects: "any",
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of pairByKey(
      healthChecksOf(file.dialect, file.before),
      healthChecksOf(file.dialect, file.after),
    )) {
      const was = before?.ejectAfterSeconds;
      const now = after?.ejectAfterSeconds;
      if (!after || was === undefined || now === undefined || now < was * params.growthFactor)
        continue;
      const severity = now > params.maxEjectSeconds ? "medium" : "low";
      findings.push({
        severity,
        line: after.intervalSeconds?.line ?? after.line,
        path: after.path,
        message: `${after.label} now keeps a dead target in service for ${formatSeconds(now)} instead of ${formatSeconds(was)} before ejecting it.`,
        before: was,
        after: now,
        figures: { ejectAfterSecondsBefore: was, ejectAfterSeconds: now },
        checklist: [
          `Confirm clients can tolerate ${formatSeconds(now)} of errors from a dead target.`,
        ],
      });
    }
    return findings;
  },
});
