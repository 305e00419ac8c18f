import { formatSeconds } from "../model/figures.js";
import { maxSeverity, type Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import type { TreeNode } from "../../formats/tree.js";
import { clusterLabel, clusterPairs, clusterPath } from "../model/envoy/clusters.js";
import { count, field, seconds } from "../model/envoy/fields.js";
import { safe } from "../model/advice.js";
import { lineFix } from "../model/fix.js";
import { PROXY_LIMITS, within } from "../model/limits.js";

// cluster/v3 outlier_detection.proto (docs/lb-facts.md §P3): consecutive_5xx 5, base_ejection_time 30 s,
// max_ejection_percent 10, enforcing_consecutive_gateway_failure 0.
const DEFAULTS = {
  consecutive5xx: 5,
  baseEjectionSeconds: 30,
  maxEjectionPercent: 10,
  enforcingGatewayFailure: 0,
};

interface Outlier {
  readonly consecutive5xx: number;
  readonly baseEjectionSeconds: number;
  readonly maxEjectionPercent: number;
  readonly enforcingGatewayFailure: number;
  readonly lines: Readonly<Record<string, number>>;
}

const SETTINGS = [
  "consecutive5xx",
  "baseEjectionSeconds",
  "maxEjectionPercent",
  "enforcingGatewayFailure",
] as const;

function settingsOf(
  outlier: Outlier,
  names: readonly (typeof SETTINGS)[number][],
): Record<string, number> {
  return Object.fromEntries(names.map((name) => [name, outlier[name]]));
}

function outlierOf(block: TreeNode | undefined): Outlier | undefined {
  if (!block) return undefined;
  const read = (
    name: string,
    fallback: number,
    parse: (n: TreeNode | undefined) => number | undefined,
  ) => {
    const node = field(block, name);
    return { value: (node ? parse(node) : undefined) ?? fallback, line: node?.line ?? block.line };
  };
  const c5 = read("consecutive_5xx", DEFAULTS.consecutive5xx, count);
  const base = read("base_ejection_time", DEFAULTS.baseEjectionSeconds, seconds);
  const max = read("max_ejection_percent", DEFAULTS.maxEjectionPercent, count);
  const gateway = read(
    "enforcing_consecutive_gateway_failure",
    DEFAULTS.enforcingGatewayFailure,
    count,
  );
  return {
    consecutive5xx: c5.value,
    baseEjectionSeconds: base.value,
    maxEjectionPercent: max.value,
    enforcingGatewayFailure: gateway.value,
    lines: { c5: c5.line, base: base.line, max: max.line, gateway: gateway.line },
  };
}

/** Outlier detection tuned to eject more hosts, sooner or for longer, can empty the pool on a transient blip. */
export default defineRule({
  id: "envoy.outlier-detection.aggressive",
  family: "envoy",
  title: "Outlier detection made aggressive",
  description:
    "A cluster's outlier detection (new or changed) can eject more hosts: max_ejection_percent above 50 (high, " +
    "a burst of errors can empty the pool), consecutive_5xx lowered to 2 or less (one short burst ejects a " +
    "host), base_ejection_time at least doubled, or gateway-failure ejection enforced where it was off (medium).",
  severity: "high",
  params: {
    // docs/lb-facts.md §P3, §P7 Capacity: max_ejection_percent above 50 can empty the pool.
    maxEjectionPercent: {
      default: 50,
      description: "max_ejection_percent above this is high.",
    },
    // docs/lb-facts.md §P7 Detection time: thresholds that go to 1 or 2 flap on transient errors.
    minConsecutive5xx: {
      default: 2,
      description: "consecutive_5xx at or below this is reported (medium).",
    },
  },
  dialects: ["envoy"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of clusterPairs(file.before, file.after)) {
      const block = field(after.body, "outlier_detection");
      const now = outlierOf(block);
      if (!now) continue;
      const was = outlierOf(field(before.body, "outlier_detection"));
      // No outlier detection before: compare with the defaults, which nobody would call aggressive.
      const base = was ?? { ...DEFAULTS, lines: {} };
      const reasons: { severity: Severity; text: string; line: number; safe?: string }[] = [];
      if (
        now.maxEjectionPercent > params.maxEjectionPercent &&
        base.maxEjectionPercent <= params.maxEjectionPercent
      )
        reasons.push({
          severity: "high",
          text: `max_ejection_percent ${base.maxEjectionPercent} → ${now.maxEjectionPercent}: up to ${now.maxEjectionPercent}% of the hosts can be ejected at once, so a burst of errors can empty the pool`,
          safe: `keep \`max_ejection_percent: ${base.maxEjectionPercent}\``,
          line: now.lines.max!,
        });
      if (
        now.consecutive5xx <= params.minConsecutive5xx &&
        base.consecutive5xx > params.minConsecutive5xx
      )
        reasons.push({
          severity: "medium",
          text: `consecutive_5xx ${base.consecutive5xx} → ${now.consecutive5xx}: ${now.consecutive5xx} errors in a row eject a host, so transient errors flap hosts in and out`,
          line: now.lines.c5!,
        });
      if (now.baseEjectionSeconds >= base.baseEjectionSeconds * 2)
        reasons.push({
          severity: "medium",
          text: `base_ejection_time ${formatSeconds(base.baseEjectionSeconds)} → ${formatSeconds(now.baseEjectionSeconds)}: an ejected host stays out at least that long (times the number of ejections)`,
          line: now.lines.base!,
        });
      if (now.enforcingGatewayFailure > 0 && base.enforcingGatewayFailure === 0)
        reasons.push({
          severity: "medium",
          text: `enforcing_consecutive_gateway_failure 0 → ${now.enforcingGatewayFailure}: hosts are now ejected on consecutive 502/503/504, which were only counted before`,
          line: now.lines.gateway!,
        });
      if (reasons.length === 0) continue;
      const advice = reasons.flatMap((reason) =>
        reason.severity === "high" && reason.safe ? [reason.safe] : [],
      );
      // A plain max_ejection_percent line gets the old share back (a percent, docs/lb-facts.md
      // "Product limits the advice respects"); the other reasons are medium and advise nothing.
      const maxNode = field(block, "max_ejection_percent");
      const fix =
        advice.length > 0 &&
        maxNode?.kind === "scalar" &&
        within(base.maxEjectionPercent, PROXY_LIMITS.envoy.percent)
          ? lineFix(file, maxNode.line, [
              {
                keys: ["max_ejection_percent", "maxEjectionPercent"],
                value: base.maxEjectionPercent,
              },
            ])
          : undefined;
      const changedKeys = SETTINGS.filter((name) => !was || was[name] !== now[name]);
      findings.push({
        ...(fix ? { fix } : {}),
        severity: maxSeverity(reasons.map((reason) => reason.severity)),
        line: reasons[0]!.line,
        path: clusterPath(after, "outlier_detection"),
        message: `${clusterLabel(after)} outlier detection: ${reasons.map((reason) => reason.text).join("; ")}.${advice.length ? safe(advice.join(", ")) : ""}`,
        // Only the settings that changed, so the rendered before → after shows the change (a long
        // object is cut at 80 characters, where both sides would read the same).
        before: was ? settingsOf(was, changedKeys) : null,
        after: settingsOf(now, changedKeys),
        figures: {
          maxEjectionPercent: now.maxEjectionPercent,
          consecutive5xx: now.consecutive5xx,
          baseEjectionSeconds: now.baseEjectionSeconds,
        },
        checklist: [
          `Confirm ${clusterLabel(after)} keeps enough hosts to carry its load when the maximum share is ejected.`,
        ],
      });
    }
    return findings;
  },
});
