import { itemsOf, type TreeNode } from "../../formats/tree.js";
import { defineRule, type Detection } from "../types.js";
import { clusterLabel, clusterPath, healthCheckPairs } from "../model/envoy/clusters.js";
import { count, field, fieldAt } from "../model/envoy/fields.js";
import { codeRuns, formatCodes } from "../model/status-codes.js";
import { safe } from "../model/advice.js";

/**
 * Codes as Envoy's expected_statuses writes them: Int64Ranges whose `end` is exclusive, so 200-399 is
 * `{ start: 200, end: 400 }` (health_check.proto, docs/lb-facts.md "Product limits the advice respects").
 */
function envoyRanges(codes: Iterable<number>): string {
  const ranges = codeRuns(codes).map(([low, high]) => `{ start: ${low}, end: ${high + 1} }`);
  return `[${ranges.join(", ")}]`;
}

/** Status codes accepted by an HTTP check: half-open [start, end) ranges, 200 only by default (EH). */
function accepted(check: TreeNode | undefined): Set<number> | undefined {
  const http = field(check, "http_health_check");
  if (!http) return undefined;
  const ranges = itemsOf(field(http, "expected_statuses"));
  const codes = new Set<number>();
  if (ranges.length === 0) codes.add(200);
  for (const range of ranges) {
    const start = count(field(range, "start"));
    const end = count(field(range, "end"));
    if (start === undefined || end === undefined) return undefined;
    for (let code = Math.max(start, 100); code < Math.min(end, 600); code++) codes.add(code);
  }
  return codes;
}

/** An HTTP status outside expected_statuses marks the host unhealthy at once, ignoring the threshold (EH). */
export default defineRule({
  id: "envoy.health-check.expected-statuses-narrowed",
  family: "envoy",
  title: "Health check accepts fewer HTTP statuses",
  description:
    "An HTTP health check's expected_statuses (200 only when unset) stop accepting statuses they accepted: a host " +
    "answering one of them is marked unhealthy immediately, ignoring unhealthy_threshold. If every host answers " +
    "that way the whole cluster goes unhealthy.",
  severity: "high",
  params: {},
  dialects: ["envoy"],
  check(file) {
    const findings: Detection[] = [];
    for (const { cluster, index, before, after } of healthCheckPairs(file.before, file.after)) {
      const was = accepted(before);
      const now = accepted(after);
      if (!was || !now) continue;
      const lost = [...was].filter((code) => !now.has(code)).sort((a, b) => a - b);
      if (lost.length === 0) continue;
      const node =
        fieldAt(after, "http_health_check", "expected_statuses") ??
        field(after, "http_health_check")!;
      findings.push({
        severity: "high",
        line: node.line,
        path: clusterPath(
          cluster,
          "health_checks",
          String(index),
          "http_health_check",
          "expected_statuses",
        ),
        message: `the health check of ${clusterLabel(cluster)} no longer accepts ${formatCodes(lost)}: a host answering with ${lost.length === 1 ? "it" : "one of them"} is marked unhealthy at once, and if all do the cluster has no healthy host.${safe(`keep \`expected_statuses: ${envoyRanges(was)}\` (${formatCodes(was)}) until every host answers ${formatCodes(now)}`)}`,
        before: formatCodes(was),
        after: formatCodes(now),
        figures: { statusesNoLongerAccepted: lost.length },
        checklist: [
          `Call the health endpoint of every host of ${clusterLabel(cluster)} and confirm the status it returns is still accepted.`,
        ],
      });
    }
    return findings;
  },
});
