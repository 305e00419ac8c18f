import { formatSeconds } from "../model/figures.js";
import type { HealthCheck } from "../model/health-check.js";
import { defineRule, type Detection } from "../types.js";
import { healthChecksOf } from "../model/index.js";
import { pairByKey } from "../model/pairs.js";

/**
 * The postmortem's first failure mode: checks so aggressive that brief slowness ejects healthy
 * targets. The figure is the time to eject = interval × unhealthy threshold (docs/lb-facts.md §7 "Derived figures").
 */
export default defineRule({
  id: "lb.health-check.detection-too-fast",
  family: "lb",
  title: "Health check ejects targets much sooner",
  description:
    "The time a target may fail its checks before it is taken out of the pool (interval × unhealthy threshold, " +
    "HAProxy inter and fall, Kubernetes periodSeconds × failureThreshold) drops sharply or below a floor. " +
    "Brief slowness (a GC pause, a deploy, a dependency blip) then ejects healthy targets, and with every " +
    "target ejected AWS fails open while others return 503s.",
  severity: "high",
  params: {
    // Judgement (docs/lb-facts.md §7): below ~20 s a single slow period of a few checks ejects a target.
    minEjectSeconds: {
      default: 20,
      description: "Eject times below this are aggressive (seconds).",
    },
    // Judgement: a cut to half or less of the reviewed value is a large drop.
    maxDropRatio: {
      default: 0.5,
      description: "A new eject time at or below this share of the old one is a large drop.",
    },
  },
  dialects: "any",
  check(file, params) {
    const findings: Detection[] = [];
    const pairs = pairByKey(
      healthChecksOf(file.dialect, file.before),
      healthChecksOf(file.dialect, file.after),
    );
    for (const [before, after] of pairs) {
      if (!before || !after) continue;
      const finding = judge(before, after, params.minEjectSeconds, params.maxDropRatio);
      if (finding) findings.push(finding);
    }
    return findings;
  },
});

function judge(
  before: HealthCheck,
  after: HealthCheck,
  minEject: number,
  maxDropRatio: number,
): Detection | undefined {
  const was = before.ejectAfterSeconds;
  const now = after.ejectAfterSeconds;
  const thresholdNow = after.unhealthyThreshold?.value;
  const thresholdWas = before.unhealthyThreshold?.value;
  const flapping = thresholdNow === 1 && thresholdWas !== undefined && thresholdWas > 1;
  const faster = was !== undefined && now !== undefined && now < was;
  if (!faster && !flapping) return undefined;

  const belowFloor = faster && now! < minEject;
  const largeDrop = faster && now! <= was! * maxDropRatio;
  if (!belowFloor && !largeDrop && !flapping) return undefined;
  // Already below the floor before the change: the change makes it worse, not newly aggressive.
  const wasBelowFloor = was !== undefined && was < minEject;
  const severity = belowFloor && largeDrop && !wasBelowFloor ? "high" : "medium";

  const intervalChanged = before.intervalSeconds?.value !== after.intervalSeconds?.value;
  const line =
    (intervalChanged ? after.intervalSeconds?.line : after.unhealthyThreshold?.line) ?? after.line;
  const what = after.probe === "liveness" || after.probe === "startup" ? "restarts" : "ejects";
  const reasons = [
    belowFloor ? `below the ${formatSeconds(minEject)} floor` : undefined,
    largeDrop ? `${Math.round((1 - now! / was!) * 100)}% sooner` : undefined,
    flapping ? `a single failed check now counts (threshold ${thresholdWas} → 1)` : undefined,
  ].filter(Boolean);
  const message = faster
    ? `${after.label} ${what} a failing target after ${formatSeconds(now!)} instead of ${formatSeconds(was!)}` +
      `${formula(after, before)}: ${reasons.join(", ")}.`
    : `${after.label} ${what} a target after a single failed check (threshold ${thresholdWas} → 1): brief slowness takes healthy targets out.`;
  return {
    severity,
    line,
    path: after.path,
    message,
    before: was ?? thresholdWas ?? null,
    after: now ?? thresholdNow ?? null,
    figures: {
      ...(was !== undefined ? { ejectAfterSecondsBefore: was } : {}),
      ...(now !== undefined ? { ejectAfterSeconds: now } : {}),
      ...(after.intervalSeconds ? { intervalSeconds: after.intervalSeconds.value } : {}),
      ...(after.unhealthyThreshold ? { unhealthyThreshold: after.unhealthyThreshold.value } : {}),
    },
    checklist: [
      `Confirm ${after.label}'s health endpoint answers well within ${formatSeconds(after.timeoutSeconds?.value ?? now ?? 1)} at peak load and during deploys.`,
      `Confirm ${now !== undefined ? `${formatSeconds(now)} of failed checks` : "one failed check"} cannot be caused by a brief pause (GC, dependency blip) on healthy targets.`,
    ],
  };
}

/** " (5 s × 2, was 30 s × 3)" when the eject time is interval × threshold on both sides, else "". */
function formula(after: HealthCheck, before: HealthCheck): string {
  const product = (check: HealthCheck): string | undefined =>
    check.intervalSeconds &&
    check.unhealthyThreshold &&
    check.intervalSeconds.value * check.unhealthyThreshold.value === check.ejectAfterSeconds
      ? `${formatSeconds(check.intervalSeconds.value)} × ${check.unhealthyThreshold.value}`
      : undefined;
  const now = product(after);
  const was = product(before);
  return now && was ? ` (${now}, was ${was})` : "";
}
