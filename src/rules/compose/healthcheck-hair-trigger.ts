import { child, fingerprint } from "../../formats/tree.js";
import { formatSeconds, type Figure } from "../model/figures.js";
import {
  composeServices,
  HEALTHCHECK_DEFAULTS,
  runningHealthcheck,
  servicePath,
  type ComposeHealthcheck,
  type ComposeService,
} from "../model/compose.js";
import { defineRule, type Detection } from "../types.js";

interface Params {
  readonly hairTriggerSeconds: number;
  readonly minDetectionSeconds: number;
  readonly maxDropRatio: number;
}

/** Time for a failing container to be marked unhealthy: interval × retries (docs/lb-facts.md §P9). */
function detection(check: ComposeHealthcheck): number | undefined {
  return check.interval && check.retries ? check.interval.value * check.retries.value : undefined;
}

const shown = (figure: Figure): string =>
  `${formatSeconds(figure.value)}${figure.explicit ? "" : " by default"}`;

function timing(check: ComposeHealthcheck): string {
  return `interval ${shown(check.interval!)} × retries ${check.retries!.value}${check.retries!.explicit ? "" : " by default"}`;
}

/**
 * An explicit timeout at or above an explicit interval (a default on either side is not the author's choice), on an
 * interval shorter than Docker's own default: Docker's defaults are a 30 s timeout on a 30 s interval, and it waits
 * the interval after each check ends (docs/lb-facts.md §P9), so that timing written out, or a slower one, is the
 * product's default shape and not hair-trigger (docs/risk.md: product defaults stay above it).
 */
function timeoutReachesInterval(check: ComposeHealthcheck): boolean {
  const { interval, timeout } = check;
  return Boolean(
    interval?.explicit &&
    timeout?.explicit &&
    interval.value < HEALTHCHECK_DEFAULTS.interval &&
    timeout.value >= interval.value,
  );
}

/** Retries that bring detection to `target` seconds on the current interval, at least 3. */
function safeTiming(check: ComposeHealthcheck, target: number): string {
  const interval = check.interval!.value;
  const retries = Math.max(3, Math.ceil(target / Math.max(interval, 0.001)));
  if (retries <= 10)
    return `keep detection ≥ ${formatSeconds(target)}, e.g. \`retries: ${retries}\` (${formatSeconds(interval)} × ${retries})`;
  const wider = Math.ceil(target / 3);
  return `keep detection ≥ ${formatSeconds(target)}, e.g. \`interval: ${wider}s\` and \`retries: 3\``;
}

function judge(
  service: ComposeService,
  before: ComposeHealthcheck | undefined,
  after: ComposeHealthcheck,
  params: Params,
): Detection | undefined {
  const name = `Service ${service.name}`;
  const path = servicePath(service, "healthcheck");
  // A timeout cut sharply that still reaches the interval is tightened as much as a new one.
  const cutFrom =
    before?.timeout &&
    after.timeout &&
    after.timeout.value <= before.timeout.value * params.maxDropRatio
      ? before.timeout.value
      : undefined;
  if (
    timeoutReachesInterval(after) &&
    (!(before && timeoutReachesInterval(before)) || cutFrom !== undefined)
  ) {
    const interval = after.interval!.value;
    return {
      severity: "high",
      line: after.timeout!.line,
      path,
      message:
        `healthcheck timeout of ${name} (${formatSeconds(after.timeout!.value)}${cutFrom === undefined ? "" : `, cut from ${formatSeconds(cutFrom)}`}) is not below its interval (${formatSeconds(interval)})` +
        `${before ? "" : ", in a new healthcheck"}: checks run back to back, so a container that answers slowly for a moment fails them in a row and is marked unhealthy. ` +
        `Safe: a timeout below the interval, e.g. \`timeout: ${interval >= 2 ? `${Math.floor(interval / 2)}s` : `${Math.round(interval * 500)}ms`}\`.`,
      before: before
        ? `${formatSeconds(before.timeout?.value ?? 0)} / ${formatSeconds(before.interval?.value ?? 0)}`
        : null,
      after: `${formatSeconds(after.timeout!.value)} / ${formatSeconds(interval)}`,
      figures: { timeoutSeconds: after.timeout!.value, intervalSeconds: interval },
      checklist: [
        `Confirm the check command of ${name} answers well within its interval under load.`,
      ],
    };
  }
  const now = detection(after);
  if (now === undefined) return undefined;
  const was = before ? detection(before) : undefined;
  const hairTrigger = now < params.hairTriggerSeconds;
  if (!before || was === undefined) {
    if (!hairTrigger) return undefined;
    return {
      severity: "high",
      line: after.interval!.explicit ? after.interval!.line : after.line,
      path,
      message:
        `new healthcheck of ${name} marks it unhealthy after ${formatSeconds(now)} of failed checks (${timing(after)}), under the ${formatSeconds(params.hairTriggerSeconds)} hair-trigger floor: ` +
        `a pause of a few seconds takes a healthy container out. Safe: ${safeTiming(after, params.minDetectionSeconds)}.`,
      before: null,
      after: now,
      figures: { detectionSeconds: now },
      checklist: [
        `Confirm ${service.name} can afford to be marked unhealthy after ${formatSeconds(now)} of slowness.`,
      ],
    };
  }
  if (now >= was) return undefined;
  const sharp = now <= was * params.maxDropRatio && now < params.minDetectionSeconds;
  const madeHairTrigger = hairTrigger && was >= params.hairTriggerSeconds;
  const halved = now <= was / 2;
  if (!sharp && !madeHairTrigger && !halved) return undefined;
  const high = sharp || madeHairTrigger;
  return {
    severity: high ? "high" : "medium",
    line: after.interval!.explicit
      ? after.interval!.line
      : after.retries!.explicit
        ? after.retries!.line
        : after.line,
    path,
    message:
      `healthcheck of ${name} marks it unhealthy after ${formatSeconds(now)} (${timing(after)}), was ${formatSeconds(was)} (${timing(before)})` +
      (high
        ? `: a pause of a few seconds now takes a healthy container out. Safe: ${safeTiming(after, Math.min(was, params.minDetectionSeconds))}.`
        : ": slowness is taken for failure sooner."),
    before: was,
    after: now,
    figures: { detectionSecondsBefore: was, detectionSeconds: now },
    checklist: [
      `Confirm ${service.name} stays answering within ${formatSeconds(now)} through deploys and load.`,
    ],
  };
}

/**
 * A service's healthcheck made hair-trigger, or a new one that already is (docs/risk.md "Healthy
 * targets are ejected"), with Docker's defaults where a field is absent (docs/lb-facts.md §P9).
 */
export default defineRule({
  id: "compose.healthcheck.hair-trigger",
  family: "compose",
  title: "Service healthcheck marks healthy containers unhealthy",
  description:
    "A docker-compose service's healthcheck is made hair-trigger, or a new one already is: an explicit `timeout` at " +
    "or above an explicit `interval` shorter than Docker's default 30 s (newly, or cut to `maxDropRatio` or less); a detection time (interval × retries, Docker's defaults 30 s, 30 s and 3 where " +
    "absent) under `hairTriggerSeconds`; or a detection time cut to `maxDropRatio` or less and under " +
    "`minDetectionSeconds` (high). Another cut to half or less is medium. An unhealthy container fails " +
    "`depends_on: condition: service_healthy`, and orchestrators and proxies that read Docker's health (Swarm, " +
    "Traefik) take it out.",
  severity: "high",
  params: {
    // Judgement, as the lb family's hair-trigger floor (src/rules/model/hair-trigger.ts).
    hairTriggerSeconds: {
      default: 5,
      description:
        "A healthcheck that marks a container unhealthy in less than this (seconds) is hair-trigger.",
    },
    // Judgement (docs/lb-facts.md §P9): under 10 s a deploy's warm-up or a GC pause reads as a failure.
    minDetectionSeconds: {
      default: 10,
      description: "A detection time cut below this (seconds), by `maxDropRatio` or more, is high.",
    },
    maxDropRatio: {
      default: 1 / 3,
      description: "A new detection time at or below this share of the old one is a sharp cut.",
    },
  },
  dialects: ["compose"],
  check(file, params) {
    const findings: Detection[] = [];
    const before = composeServices(file.before);
    const after = composeServices(file.after);
    // A service renamed with its healthcheck as it was keeps that check: it is not a new one.
    const gone = [...before.values()].filter((service) => !after.has(service.name));
    const sameCheck = (service: ComposeService): ComposeService | undefined => {
      const text = fingerprint(child(service.node, "healthcheck")!);
      return gone.find((old) => {
        const check = child(old.node, "healthcheck");
        return check !== undefined && fingerprint(check) === text;
      });
    };
    for (const service of after.values()) {
      const check = runningHealthcheck(service);
      if (!check) continue;
      const was = before.get(service.name) ?? sameCheck(service);
      const finding = judge(service, runningHealthcheck(was), check, params);
      if (finding) findings.push(finding);
    }
    return findings;
  },
});
