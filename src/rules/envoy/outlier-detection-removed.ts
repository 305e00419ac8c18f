import { defineRule, type Detection } from "../types.js";
import { clusterLabel, clusterPairs, clusterPath } from "../model/envoy/clusters.js";
import { field } from "../model/envoy/fields.js";
import { safe } from "../model/advice.js";

/** Without outlier detection a host that fails every request keeps its share until a health check catches it. */
export default defineRule({
  id: "envoy.outlier-detection.removed",
  family: "envoy",
  title: "Outlier detection removed from a cluster",
  description:
    "A cluster loses its outlier_detection block: hosts returning errors are no longer ejected. High when the " +
    "cluster has no active health check either (failing hosts keep their share of requests); medium when active " +
    "checks remain (they catch a dead host, not one that answers with errors).",
  severity: "high",
  params: {},
  dialects: ["envoy"],
  check(file) {
    const findings: Detection[] = [];
    for (const [before, after] of clusterPairs(file.before, file.after)) {
      const was = field(before.body, "outlier_detection");
      if (!was || field(after.body, "outlier_detection")) continue;
      const checked = field(after.body, "health_checks") !== undefined;
      findings.push({
        severity: checked ? "medium" : "high",
        line: was.line,
        path: clusterPath(after, "outlier_detection"),
        message: `${clusterLabel(after)} no longer ejects hosts that return errors (outlier_detection removed)${checked ? ": only its active health checks remain, which miss hosts that answer with errors" : " and has no active health check: a failing host keeps its share of requests"}.${checked ? "" : safe("keep `outlier_detection` (e.g. `consecutive_5xx: 5`), or add an active health check first")}`,
        before: true,
        after: null,
        checklist: [
          `Confirm another mechanism takes failing hosts of ${clusterLabel(after)} out of rotation.`,
        ],
      });
    }
    return findings;
  },
});
