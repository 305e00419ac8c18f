import { itemsOf, scalarAt, type TreeNode } from "../../formats/tree.js";
import { maxSeverity, type Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import {
  clusterLabel,
  clusterPairs,
  clusterPath,
  type EnvoyCluster,
} from "../model/envoy/clusters.js";
import { count, field, fieldAt } from "../model/envoy/fields.js";
import { safe } from "../model/advice.js";

// cluster/v3 circuit_breaker.proto (docs/lb-facts.md §P3): 1024 connections, pending and requests; 3 retries.
const LIMITS: readonly { name: string; fallback: number; effect: string }[] = [
  { name: "max_connections", fallback: 1024, effect: "connections above it fail fast with 503" },
  {
    name: "max_pending_requests",
    fallback: 1024,
    effect: "requests waiting for a connection above it get 503",
  },
  { name: "max_requests", fallback: 1024, effect: "concurrent requests above it get 503" },
  { name: "max_retries", fallback: 3, effect: "concurrent retries above it are not attempted" },
];

/** Thresholds per routing priority (DEFAULT when unset). */
function thresholds(cluster: EnvoyCluster): Map<string, TreeNode> {
  return new Map(
    itemsOf(fieldAt(cluster.body, "circuit_breakers", "thresholds")).map((entry) => [
      String(scalarAt(entry, "priority") ?? "DEFAULT").toUpperCase(),
      entry,
    ]),
  );
}

/** Circuit breakers cut hard overflow under normal peaks: fast 503s instead of queueing. */
export default defineRule({
  id: "envoy.circuit-breaker.cut",
  family: "envoy",
  title: "Circuit-breaker limits cut by more than half",
  description:
    "A cluster's circuit_breakers thresholds (per priority, Envoy's defaults 1024 connections, pending requests " +
    "and requests, 3 retries when unset) are cut by more than half: traffic above them fails fast with 503 " +
    "(high); a max_retries cut drops retries (medium).",
  severity: "high",
  params: {
    // docs/lb-facts.md §P7 Capacity: circuit breakers cut by more than half.
    cutPercent: {
      default: 50,
      description: "A cut larger than this share of the old limit (percent) is reported.",
    },
  },
  dialects: ["envoy"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of clusterPairs(file.before, file.after)) {
      const was = thresholds(before);
      const now = thresholds(after);
      for (const [priority, entry] of now) {
        const old = was.get(priority);
        const cuts: { severity: Severity; text: string; line: number; from: number; to: number }[] =
          [];
        for (const limit of LIMITS) {
          const node = field(entry, limit.name);
          const to = count(node);
          const from = count(field(old, limit.name)) ?? limit.fallback;
          if (to === undefined || to >= from * (1 - params.cutPercent / 100)) continue;
          cuts.push({
            severity: limit.name === "max_retries" ? "medium" : "high",
            text: `${limit.name} ${from} → ${to} (${limit.effect})`,
            line: node!.line,
            from,
            to,
          });
        }
        if (cuts.length === 0) continue;
        findings.push({
          severity: maxSeverity(cuts.map((cut) => cut.severity)),
          line: cuts[0]!.line,
          path: clusterPath(after, "circuit_breakers", "thresholds"),
          message: `${clusterLabel(after)} cuts its ${priority} circuit breakers: ${cuts.map((cut) => cut.text).join("; ")}.${cuts.some((cut) => cut.severity === "high") ? safe(`keep ${cuts.map((cut) => `\`${cut.text.split(" ")[0]!}: ${cut.from}\``).join(", ")}`) : ""}`,
          before: Object.fromEntries(cuts.map((cut) => [cut.text.split(" ")[0]!, cut.from])),
          after: Object.fromEntries(cuts.map((cut) => [cut.text.split(" ")[0]!, cut.to])),
          checklist: [
            `Confirm the peak concurrency of ${clusterLabel(after)} (upstream_rq_active, upstream_cx_active) stays below the new limits.`,
          ],
        });
      }
    }
    return findings;
  },
});
