import { scalarAt, type TreeNode } from "../../formats/tree.js";
import { defineRule, type Detection } from "../types.js";
import { clusterLabel, clusterPath, healthCheckPairs } from "../model/envoy/clusters.js";
import { field, fieldAt } from "../model/envoy/fields.js";
import { safe } from "../model/advice.js";

/** What an active check asks for: HTTP path and host, gRPC service, TCP payload, or another port. */
function targetOf(check: TreeNode | undefined): Record<string, string> {
  const target: Record<string, string> = {};
  const put = (name: string, value: unknown): void => {
    if (value !== undefined && value !== null) target[name] = String(value);
  };
  put("path", scalarAt(fieldAt(check, "http_health_check", "path")));
  put("host", scalarAt(fieldAt(check, "http_health_check", "host")));
  put("grpc service", scalarAt(fieldAt(check, "grpc_health_check", "service_name")));
  put("authority", scalarAt(fieldAt(check, "grpc_health_check", "authority")));
  put("port", scalarAt(field(check, "alt_port")) ?? scalarAt(fieldAt(check, "alt_port", "value")));
  return target;
}

/** A check pointed somewhere new is tried on every host at once: one mistake marks the whole cluster unhealthy. */
export default defineRule({
  id: "envoy.health-check.target-changed",
  family: "envoy",
  title: "Health check path, host, service or port changed",
  description:
    "An active health check asks for a different HTTP path or Host, gRPC service or authority, or probes another " +
    "port (alt_port). If the new target is missing on the hosts, every host fails its check at once (an " +
    "unexpected HTTP status marks a host unhealthy immediately).",
  severity: "high",
  params: {},
  dialects: ["envoy"],
  check(file) {
    const findings: Detection[] = [];
    for (const { cluster, index, before, after } of healthCheckPairs(file.before, file.after)) {
      const was = targetOf(before);
      const now = targetOf(after);
      const changed = [...new Set([...Object.keys(was), ...Object.keys(now)])].filter(
        (name) => was[name] !== now[name],
      );
      if (changed.length === 0) continue;
      findings.push({
        severity: "high",
        line: after.line,
        path: clusterPath(cluster, "health_checks", String(index)),
        message: `the health check of ${clusterLabel(cluster)} changes ${changed.map((name) => `${name} ${was[name] ?? "(unset)"} → ${now[name] ?? "(unset)"}`).join(", ")}: if a host does not serve it, the host goes unhealthy, and all of them at once if none does.${safe(`keep ${changed.map((name) => `${name} ${JSON.stringify(was[name] ?? null)}`).join(", ")} until every host serves the new check`)}`,
        before: was,
        after: now,
        checklist: [
          `Request the new check target on every host of ${clusterLabel(cluster)} before deploying.`,
        ],
      });
    }
    return findings;
  },
});
