import { formatSeconds } from "../model/figures.js";
import { checkDuration, HEALTH_CHECK_KEYS, lineFix, type ValueEdit } from "../model/fix.js";
import {
  HAIR_TRIGGER_PARAMS,
  hairTrigger,
  pairHealthChecks,
  retimed,
  saferTiming,
  type Retiming,
} from "../model/hair-trigger.js";
import type { CheckProvider, HealthCheck } from "../model/health-check.js";
import { defineRule, type Detection, type FileUnderReview, type Fix } from "../types.js";
import { healthChecksOf } from "../model/index.js";
import { limitsOf } from "../model/limits.js";

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
    "HAProxy inter and fall, Kubernetes periodSeconds × failureThreshold, each product's default where a value " +
    "is absent) drops sharply or below a floor. Brief slowness (a GC pause, a deploy, a dependency blip) then " +
    "ejects healthy targets, and with every target ejected AWS fails open while others return 503s. " +
    "High when the time falls below the floor and to half or less, when the check becomes hair-trigger " +
    "(ejects in less than `hairTriggerSeconds`, e.g. a single failed check every 2 s), when the unhealthy " +
    "threshold drops to 1, and for a new check that is already hair-trigger; a drop from a check that was " +
    "already below the floor (and not made hair-trigger) is medium.",
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
    ...HAIR_TRIGGER_PARAMS,
  },
  dialects: "any",
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of pairHealthChecks(
      healthChecksOf(file.dialect, file.before),
      healthChecksOf(file.dialect, file.after),
    )) {
      if (!after) continue;
      const finding = before ? judge(file, before, after, params) : judgeNew(file, after, params);
      if (finding) findings.push(finding);
    }
    return findings;
  },
});

interface Params {
  readonly minEjectSeconds: number;
  readonly maxDropRatio: number;
  readonly hairTriggerSeconds: number;
}

/** A new check (pool, probe, cluster, target group) that is already hair-trigger. */
function judgeNew(
  file: FileUnderReview,
  after: HealthCheck,
  params: Params,
): Detection | undefined {
  const why = hairTrigger(after, params);
  const now = after.ejectAfterSeconds;
  if (!why || now === undefined) return undefined;
  const what = after.probe === "liveness" || after.probe === "startup" ? "restarts" : "ejects";
  const safe = safeAdvice(after, params.hairTriggerSeconds);
  const fix = fixOf(file, undefined, after, safe.timing, (check) => !hairTrigger(check, params));
  return {
    severity: "high",
    line: after.intervalSeconds?.explicit ? after.intervalSeconds.line : after.line,
    path: after.path,
    message:
      `new ${after.label} ${what} a failing target after ${formatSeconds(now)}${product(after) ? ` (${product(after)})` : ""}: ` +
      `hair-trigger, ${why}; brief slowness takes healthy targets out.${safe.text}`,
    before: null,
    after: now,
    figures: {
      ejectAfterSeconds: now,
      ...(after.intervalSeconds ? { intervalSeconds: after.intervalSeconds.value } : {}),
      ...(after.unhealthyThreshold ? { unhealthyThreshold: after.unhealthyThreshold.value } : {}),
    },
    checklist: [
      `Confirm the health endpoint of ${after.label} answers well within ${formatSeconds(after.timeoutSeconds?.value ?? now)} at peak load and during deploys.`,
    ],
    ...(fix ? { fix } : {}),
  };
}

/** `withFix: false` judges a candidate fix's timing (fixOf), which needs no fix of its own. */
function judge(
  file: FileUnderReview,
  before: HealthCheck,
  after: HealthCheck,
  params: Params,
  withFix = true,
): Detection | undefined {
  const minEject = params.minEjectSeconds;
  const maxDropRatio = params.maxDropRatio;
  const was = before.ejectAfterSeconds;
  const now = after.ejectAfterSeconds;
  const thresholdNow = after.unhealthyThreshold?.value;
  const thresholdWas = before.unhealthyThreshold?.value;
  const flapping = thresholdNow === 1 && thresholdWas !== undefined && thresholdWas > 1;
  const faster = was !== undefined && now !== undefined && now < was;
  if (!faster && !flapping) return undefined;

  const belowFloor = faster && now! < minEject;
  const largeDrop = faster && now! <= was! * maxDropRatio;
  // Made hair-trigger by this change (docs/risk.md: a threshold of 1 on a short interval, detection cut sharply).
  const hairNow = faster ? hairTrigger(after, params) : undefined;
  const madeHairTrigger = hairNow !== undefined && hairTrigger(before, params) === undefined;
  if (!belowFloor && !largeDrop && !flapping && !madeHairTrigger) return undefined;
  // Already below the floor before the change: the change makes it worse, not newly aggressive.
  const wasBelowFloor = was !== undefined && was < minEject;
  const sharp = belowFloor && largeDrop && !wasBelowFloor;
  // A threshold of 1 on an active check (docs/risk.md); nginx's passive max_fails 1 is the product default and
  // has no interval, so it stays medium.
  const activeFlapping = flapping && after.intervalSeconds !== undefined;
  const severity = sharp || madeHairTrigger || activeFlapping ? "high" : "medium";

  const intervalChanged = before.intervalSeconds?.value !== after.intervalSeconds?.value;
  const line =
    (intervalChanged ? after.intervalSeconds?.line : after.unhealthyThreshold?.line) ?? after.line;
  const what = after.probe === "liveness" || after.probe === "startup" ? "restarts" : "ejects";
  const reasons = [
    belowFloor ? `below the ${formatSeconds(minEject)} floor` : undefined,
    madeHairTrigger && !sharp ? `now hair-trigger (${hairNow})` : undefined,
    largeDrop ? `${Math.round((1 - now! / was!) * 100)}% sooner` : undefined,
    flapping ? `a single failed check now counts (threshold ${thresholdWas} → 1)` : undefined,
  ].filter(Boolean);
  const message = faster
    ? `${after.label} ${what} a failing target after ${formatSeconds(now!)} instead of ${formatSeconds(was!)}` +
      `${formula(after, before)}: ${reasons.join(", ")}.`
    : // nginx's passive check counts failed requests, not checks (no interval).
      `${after.label} ${what} a target after a single failed ${after.intervalSeconds === undefined ? "request" : "check"} (threshold ${thresholdWas} → 1): brief slowness takes healthy targets out.`;
  // Safe: back to the old detection time, or the floor when the old one was longer.
  const safe =
    severity === "high"
      ? safeAdvice(after, Math.min(was ?? minEject, minEject), thresholdWas)
      : { text: "" };
  const fix =
    severity === "high" && withFix
      ? fixOf(
          file,
          before,
          after,
          safe.timing,
          (check) => !judge(file, before, check, params, false),
        )
      : undefined;
  return {
    severity,
    line,
    path: after.path,
    message: message + safe.text,
    // The figure that changed: the detection time when it drops, else the threshold (nginx's passive
    // max_fails 3 → 1 keeps its fail_timeout window, so 60 s → 60 s would read as no change).
    before: faster ? was! : (thresholdWas ?? null),
    after: faster ? now! : (thresholdNow ?? null),
    figures: {
      ...(was !== undefined ? { ejectAfterSecondsBefore: was } : {}),
      ...(now !== undefined ? { ejectAfterSeconds: now } : {}),
      ...(after.intervalSeconds ? { intervalSeconds: after.intervalSeconds.value } : {}),
      ...(after.unhealthyThreshold ? { unhealthyThreshold: after.unhealthyThreshold.value } : {}),
    },
    checklist: [
      `Confirm the health endpoint of ${after.label} answers well within ${formatSeconds(after.timeoutSeconds?.value ?? now ?? 1)} at peak load and during deploys.`,
      `Confirm ${now !== undefined ? `${formatSeconds(now)} of failed checks` : "one failed check"} cannot be caused by a brief pause (GC, dependency blip) on healthy targets.`,
    ],
    ...(fix ? { fix } : {}),
  };
}

/**
 * " Safe: keep ejection ≥ 6 s, e.g. interval 2 s × threshold 3.", with that safe timing for fixOf.
 */
function safeAdvice(
  check: HealthCheck,
  target: number,
  thresholdWas?: number,
): { text: string; timing?: Required<Retiming> } {
  const timing = saferTiming(check, target);
  if (!timing) return { text: ` Safe: keep ejection ≥ ${formatSeconds(target)}.` };
  const threshold = Math.max(
    timing.threshold,
    check.provider === "traefik" ? 1 : (thresholdWas ?? 0),
  );
  const interval = timing.interval;
  const names = limitsOf(check.provider)?.names;
  const example =
    check.provider === "traefik"
      ? `interval ${formatSeconds(interval)} (one failed check marks a server down)`
      : names
        ? `${names.interval} ${interval} × ${names.threshold} ${threshold}`
        : `interval ${formatSeconds(interval)} × unhealthy threshold ${threshold}`;
  return {
    text: ` Safe: keep ejection ≥ ${formatSeconds(target)}, e.g. ${example}.`,
    timing: { interval, threshold },
  };
}

/** A timing figure this change wrote: where, what it was at the base (absent for a new check), what it is. */
interface EditedFigure {
  readonly name: keyof Retiming;
  readonly line: number;
  readonly was: number | undefined;
  readonly now: number;
}

/** The interval and unhealthy threshold the change wrote (explicit on the after side, new or changed). */
function editedFigures(before: HealthCheck | undefined, after: HealthCheck): EditedFigure[] {
  const figures = [
    ["interval", after.intervalSeconds, before?.intervalSeconds],
    ["threshold", after.unhealthyThreshold, before?.unhealthyThreshold],
  ] as const;
  return figures.flatMap(([name, now, was]) =>
    now?.explicit && (!before || was?.value !== now.value)
      ? [{ name, line: now.line, was: was?.value, now: now.value }]
      : [],
  );
}

/**
 * The fix, from the rule's own judgement (docs/output.md): among the timing lines the change edited, in
 * line order, the first single-line edit that puts the line's edited figures back to their reviewed
 * values, else the first that writes the safe timing the advice names, under which `passes` holds for
 * the check as it would then read (model/hair-trigger.ts `retimed`). None passes: no fix, since the safe
 * edit takes more than one line.
 */
function fixOf(
  file: FileUnderReview,
  before: HealthCheck | undefined,
  after: HealthCheck,
  safe: Required<Retiming> | undefined,
  passes: (check: HealthCheck) => boolean,
): Fix | undefined {
  const edited = editedFigures(before, after);
  const lines = [...new Set(edited.map((figure) => figure.line))].sort((a, b) => a - b);
  const on = (line: number, value: (figure: EditedFigure) => number | undefined): Retiming =>
    Object.fromEntries(
      edited.flatMap((figure) => {
        const written = value(figure);
        return figure.line === line && written !== undefined && written !== figure.now
          ? [[figure.name, written]]
          : [];
      }),
    );
  const candidates = [
    ...lines.map((line) => [line, on(line, (figure) => figure.was)] as const),
    ...lines.map((line) => [line, on(line, (figure) => safe?.[figure.name])] as const),
  ];
  for (const [line, timing] of candidates) {
    if (Object.keys(timing).length === 0) continue;
    const check = retimed(after, timing);
    if (!check || !passes(check)) continue;
    const fix = lineFix(file, line, valueEdits(timing, after.provider));
    if (fix) return fix;
  }
  return undefined;
}

function valueEdits(timing: Retiming, provider: CheckProvider): ValueEdit[] {
  return [
    ...(timing.interval !== undefined
      ? [
          {
            keys: HEALTH_CHECK_KEYS.interval,
            value: timing.interval,
            duration: checkDuration(provider),
          },
        ]
      : []),
    ...(timing.threshold !== undefined
      ? [{ keys: HEALTH_CHECK_KEYS.unhealthyThreshold, value: timing.threshold }]
      : []),
  ];
}

/** "5 s × 2" when the eject time is interval × threshold, else undefined. */
function product(check: HealthCheck): string | undefined {
  return check.intervalSeconds &&
    check.unhealthyThreshold &&
    check.intervalSeconds.value * check.unhealthyThreshold.value === check.ejectAfterSeconds
    ? `${formatSeconds(check.intervalSeconds.value)} × ${check.unhealthyThreshold.value}`
    : undefined;
}

/** " (5 s × 2, was 30 s × 3)" when the eject time is interval × threshold on both sides, else "". */
function formula(after: HealthCheck, before: HealthCheck): string {
  const now = product(after);
  const was = product(before);
  return now && was ? ` (${now}, was ${was})` : "";
}
