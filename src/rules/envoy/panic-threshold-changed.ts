import { defineRule, type Detection } from "../types.js";
import {
  clusterLabel,
  clusterPairs,
  clusterPath,
  type EnvoyCluster,
} from "../model/envoy/clusters.js";
import { count, fieldAt } from "../model/envoy/fields.js";
import { safe } from "../model/advice.js";
import { lineFix } from "../model/fix.js";

// cluster/v3 common_lb_config.healthy_panic_threshold (docs/lb-facts.md §P3): 50 % by default, 0 disables panic mode.
const DEFAULT_PERCENT = 50;

const thresholdOf = (cluster: EnvoyCluster): { value: number; line: number } => {
  const node = fieldAt(cluster.body, "common_lb_config", "healthy_panic_threshold");
  return { value: count(node) ?? DEFAULT_PERCENT, line: node?.line ?? cluster.line };
};

/** Below the panic threshold Envoy ignores health: 0 never does (503s), ≥ 80 does as soon as a fifth is down. */
export default defineRule({
  id: "envoy.panic-threshold.changed",
  family: "envoy",
  title: "Panic threshold set to 0 or 80 % and more",
  description:
    "common_lb_config.healthy_panic_threshold changes to 0 (panic mode off: when few hosts are healthy, all " +
    "traffic lands on them, and with none healthy requests fail) or to 80 % or more (Envoy ignores health checks " +
    "as soon as a fifth of the hosts is unhealthy, sending traffic to failing hosts).",
  severity: "high",
  params: {
    // docs/lb-facts.md §P7 Capacity: panic threshold set to 0 or ≥ 80.
    highPercent: {
      default: 80,
      description: "A panic threshold at or above this (percent) is high.",
    },
  },
  dialects: ["envoy"],
  check(file, params) {
    const findings: Detection[] = [];
    const band = (value: number): string =>
      value === 0 ? "off" : value >= params.highPercent ? "high" : "normal";
    for (const [before, after] of clusterPairs(file.before, file.after)) {
      const was = thresholdOf(before);
      const now = thresholdOf(after);
      if (
        was.value === now.value ||
        band(now.value) === "normal" ||
        band(now.value) === band(was.value)
      )
        continue;
      // The Percent written inline (`healthy_panic_threshold: { value: 0 }`): put the old value back.
      const fix = lineFix(file, now.line, [{ keys: ["value"], value: was.value }]);
      findings.push({
        ...(fix ? { fix } : {}),
        severity: "high",
        line: now.line,
        path: clusterPath(after, "common_lb_config", "healthy_panic_threshold"),
        message:
          now.value === 0
            ? `${clusterLabel(after)} turns panic mode off (healthy_panic_threshold ${was.value}% → 0): when most hosts are unhealthy the few healthy ones take all traffic, and with none healthy every request fails.${safe(`keep \`healthy_panic_threshold: { value: ${was.value} }\``)}`
            : `${clusterLabel(after)} raises healthy_panic_threshold from ${was.value}% to ${now.value}%: once more than ${100 - now.value}% of its hosts are unhealthy, Envoy ignores health and sends traffic to failing hosts too.${safe(`keep \`healthy_panic_threshold: { value: ${was.value} }\``)}`,
        before: was.value,
        after: now.value,
        figures: { panicThresholdPercentBefore: was.value, panicThresholdPercent: now.value },
        checklist: [
          `Confirm how ${clusterLabel(after)} should behave when most of its hosts fail (fail fast or spread over all).`,
        ],
      });
    }
    return findings;
  },
});
