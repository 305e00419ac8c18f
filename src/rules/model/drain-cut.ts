// Draining (ELBv2 deregistration delay, Classic connection draining, GCP and Azure draining): how long a
// deregistered target keeps its in-flight requests. Shorter cuts long requests during deploys and scale-in
// (docs/lb-facts.md §1b, §3, §5b, §6c, §7).
import type { Severity } from "../severity.js";
import type { Detection } from "../types.js";
import { safe } from "./advice.js";
import { formatSeconds } from "./figures.js";
import { placed, type Place, type Verdict } from "./transitions.js";

export interface DrainParams {
  readonly minDrainSeconds: number;
  readonly maxCutRatio: number;
  readonly highCutRatio: number;
}

export const DRAIN_PARAMS = {
  // Judgement (docs/lb-facts.md §7 "draining below the p99 request time, or 0": high): below 10 s ordinary
  // slow requests (uploads, reports, long polls) are cut.
  minDrainSeconds: {
    default: 10,
    description: "Drain times below this cut ordinary slow requests (seconds); 0 or below is high.",
  },
  // Judgement: a cut to half or less of the reviewed value is a large cut (medium).
  maxCutRatio: {
    default: 0.5,
    description: "A new drain time at or below this share of the old one is a large cut (medium).",
  },
  // docs/risk.md "Draining is cut": cut by five times or more is high (300 s → 30 s cuts every request
  // that runs longer than a tenth of what the drain allowed).
  highCutRatio: {
    default: 0.2,
    description:
      "A new drain time at or below this share of the old one (cut by 5× or more) is high.",
  },
} as const;

/** Severity of a cut from `was` to `now` seconds, or undefined when it is not a cut. */
function drainCutSeverity(was: number, now: number, params: DrainParams): Severity | undefined {
  if (now >= was) return undefined;
  const belowFloor = now === 0 || now < params.minDrainSeconds;
  const wasBelowFloor = was < params.minDrainSeconds;
  if (belowFloor && !wasBelowFloor) return "high";
  if (now <= was * params.highCutRatio && !wasBelowFloor) return "high";
  if (now <= was * params.maxCutRatio) return "medium";
  return "low";
}

/** A drain time cut from `was` to `now` seconds, in the words of one rule. */
export interface DrainCut {
  /** The entity whose drain time is cut. */
  readonly label: string;
  readonly was: number;
  readonly now: number;
  /** The setting as the message names it, e.g. "deregistration delay". */
  readonly setting: string;
  /** What starts the draining, e.g. "a target starts draining (deploy, scale-in)". */
  readonly when: string;
  readonly checklist: string;
}

/** The finding for a drain time cut, or undefined when it is not a cut worth reporting. */
export function drainCutDetection(
  cut: DrainCut & Place,
  params: DrainParams,
): Detection | undefined {
  const verdict = drainCutVerdict(cut, params);
  return verdict && placed(verdict, cut);
}

/** What a rule says about a drain time cut, or undefined when it is not a cut worth reporting. */
export function drainCutVerdict(cut: DrainCut, params: DrainParams): Verdict | undefined {
  const { was, now } = cut;
  const severity = drainCutSeverity(was, now, params);
  if (!severity) return undefined;
  return {
    severity,
    message:
      `${cut.label}: ${cut.setting} cut from ${formatSeconds(was)} to ${formatSeconds(now)}: ` +
      `${drainConsequence(now, cut.when)}.` +
      (severity === "high"
        ? safe(
            `keep the ${cut.setting} at ${formatSeconds(was)} as before, or at least ${formatSeconds(Math.max(params.minDrainSeconds, Math.floor(was * params.highCutRatio) + 1))}`,
          )
        : ""),
    before: was,
    after: now,
    figures: { drainSecondsBefore: was, drainSeconds: now },
    checklist: [cut.checklist],
  };
}

/** "requests still running 5 s after ..." or "requests are cut as soon as ..." */
function drainConsequence(now: number, what: string): string {
  return now === 0
    ? `in-flight requests are cut as soon as ${what}`
    : `requests still running ${formatSeconds(now)} after ${what} are cut`;
}
