import { formatSeconds } from "../model/figures.js";
import type { HealthCheck } from "../model/health-check.js";
import { healthChecksOf, pairByKey } from "../model/index.js";
import { defineRule, type Detection } from "../types.js";

/**
 * The postmortem's first failure mode: checks so aggressive that brief slowness ejects healthy
 * targets. The figure is the time to eject = interval × unhealthy threshold (LB-FACTS.md §7).
 */
export default defineRule({
  id: "lb.health-check.detection-too-fast",
  family: "generic",
  title: "Health check ejects targets much sooner",
  description:
    "The time a target may fail its checks before it is taken out of the pool (interval × unhealthy threshold, " +
    "HAProxy inter and fall, Kubernetes periodSeconds × failureThreshold) drops sharply or below a floor. " +
    "Brief slowness (a GC pause, a deploy, a dependency blip) then ejects healthy targets, and with every " +
    "target ejected AWS fails open while others return 503s.",
  severity: "high",
  params: {
    // Judgement (LB-FACTS.md §7): below ~20 s a single slow period of a few checks ejects a target.
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
  if (was === undefined || now === undefined || !(now < was || flapping)) return undefined;

  const belowFloor = now < minEject;
  const largeDrop = now <= was * maxDropRatio;
  if (!belowFloor && !largeDrop && !flapping) return undefined;
  const severity = belowFloor && largeDrop ? "high" : "medium";

  const formula = (check: HealthCheck): string =>
    check.intervalSeconds && check.unhealthyThreshold
      ? `${formatSeconds(check.intervalSeconds.value)} × ${check.unhealthyThreshold.value}`
      : formatSeconds(check.ejectAfterSeconds ?? 0);
  const intervalChanged = before.intervalSeconds?.value !== after.intervalSeconds?.value;
  const line =
    (intervalChanged ? after.intervalSeconds?.line : after.unhealthyThreshold?.line) ?? after.line;
  const what = after.probe === "liveness" || after.probe === "startup" ? "restarts" : "ejects";
  const reasons = [
    belowFloor ? `below the ${formatSeconds(minEject)} floor` : undefined,
    largeDrop ? `${Math.round((1 - now / was) * 100)}% sooner` : undefined,
    flapping ? "a single failed check now counts" : undefined,
  ].filter(Boolean);
  return {
    severity,
    line,
    path: after.path,
    message:
      `${after.label} ${what} a failing target after ${formatSeconds(now)} instead of ${formatSeconds(was)} ` +
      `(${formula(after)}, was ${formula(before)}): ${reasons.join(", ")}.`,
    before: was,
    after: now,
    figures: {
      ejectAfterSecondsBefore: was,
      ejectAfterSeconds: now,
      ...(after.intervalSeconds ? { intervalSeconds: after.intervalSeconds.value } : {}),
      ...(after.unhealthyThreshold ? { unhealthyThreshold: after.unhealthyThreshold.value } : {}),
    },
    checklist: [
      `Confirm ${after.label}'s health endpoint answers well within ${formatSeconds(after.timeoutSeconds?.value ?? now)} at peak load and during deploys.`,
      `Confirm ${formatSeconds(now)} of failed checks cannot be caused by a brief pause (GC, dependency blip) on healthy targets.`,
    ],
  };
}
