import { formatSeconds } from "../model/figures.js";
import { lineFix } from "../model/fix.js";
import { envoyDuration } from "../model/proxy-durations.js";
import { defineRule, type Detection } from "../types.js";
import { clusterLabel, clusterPairs, clusterPath } from "../model/envoy/clusters.js";
import { field, seconds } from "../model/envoy/fields.js";

// cluster/v3 cluster.proto (docs/lb-facts.md §P3): connect_timeout defaults to 5 s.
const DEFAULT_SECONDS = 5;

/** A connect timeout below the network's worst case turns slow handshakes into 503s. */
export default defineRule({
  id: "envoy.connect-timeout.cut",
  family: "envoy",
  title: "Cluster connect timeout cut by more than half",
  description:
    "A cluster's connect_timeout (5 s when unset) is cut by more than half: hosts slower to accept a TCP " +
    "connection (cross-region, busy, cold) fail with 503 and count as connect failures for outlier detection " +
    '(medium; high when cut by `highCutRatio` or more, docs/risk.md "Connections are cut").',
  severity: "high",
  params: {
    // docs/lb-facts.md §P7 Timeouts: "more than half" as for limits.
    cutPercent: {
      default: 50,
      description: "A cut larger than this share of the old timeout (percent) is reported.",
    },
    // docs/risk.md "Connections are cut": cut sharply = by five times or more, as for drains.
    highCutRatio: {
      default: 0.2,
      description: "A timeout cut to this share of the old one or less (by 5× or more) is high.",
    },
  },
  dialects: ["envoy"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of clusterPairs(file.before, file.after)) {
      const node = field(after.body, "connect_timeout");
      const was = seconds(field(before.body, "connect_timeout")) ?? DEFAULT_SECONDS;
      const now = node ? seconds(node) : DEFAULT_SECONDS;
      if (now === undefined || now >= was * (1 - params.cutPercent / 100)) continue;
      const sharp = now <= was * params.highCutRatio;
      // A protobuf Duration string ("5s", "0.25s"; never "250ms"): lineFix writes an Envoy file's
      // durations so, and only over one of their kind (docs/lb-facts.md "Product limits the advice respects").
      const written = envoyDuration(was);
      const fix =
        sharp && node
          ? lineFix(file, node.line, [
              {
                keys: ["connect_timeout", "connectTimeout"],
                value: was,
                duration: { bareSeconds: 1 },
              },
            ])
          : undefined;
      findings.push({
        ...(fix ? { fix } : {}),
        severity: sharp ? "high" : "medium",
        line: node?.line ?? after.line,
        path: clusterPath(after, "connect_timeout"),
        message:
          `${clusterLabel(after)} connect_timeout cut from ${formatSeconds(was)} to ${formatSeconds(now)}: hosts slower to accept a connection fail with 503 and count as connect failures.` +
          (sharp
            ? ` Safe: keep \`connect_timeout: ${written ?? formatSeconds(was)}\` as before, or above ${formatSeconds(was * params.highCutRatio)} and the slowest TCP connect.`
            : ""),
        before: was,
        after: now,
        figures: { connectTimeoutSecondsBefore: was, connectTimeoutSeconds: now },
        checklist: [
          `Confirm the p99 TCP connect time to the hosts of ${clusterLabel(after)} stays well below ${formatSeconds(now)}.`,
        ],
      });
    }
    return findings;
  },
});
