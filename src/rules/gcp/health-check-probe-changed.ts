import type { Scalar } from "../../formats/tree.js";
import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import { type HealthProbe, healthProbesOf } from "../model/gcp/health-checks.js";
import { show, valuesOf } from "../model/iac/settings.js";
import { keptPairs } from "../model/pairs.js";
import { safe } from "../model/advice.js";

const HTTP_TYPES = new Set(["HTTP", "HTTPS", "HTTP2"]);

/**
 * What a health check asks (type, port, path, host, expected response) decides which backends pass. A
 * change every backend does not already satisfy marks them all unhealthy at once (docs/lb-facts.md §5a).
 */
export default defineRule({
  id: "gcp.health-check.probe-changed",
  family: "gcp",
  title: "Health-check probe changed",
  description:
    "A GCP health check changes what it probes: its type (HTTP, HTTPS, HTTP2, TCP, SSL, gRPC), port, port name " +
    "or specification, request path, host header, expected response or gRPC service. Backends that do not " +
    "answer the new probe all fail at once and the load balancer has no healthy backend left (high). Moving " +
    "from an HTTP-family check to TCP only checks that the port accepts connections (medium).",
  severity: "high",
  params: {},
  dialects: ["terraform"],
  check(file) {
    const findings: Detection[] = [];
    for (const [before, after] of keptPairs(
      healthProbesOf(file.before),
      healthProbesOf(file.after),
    )) {
      const finding = judge(before, after);
      if (finding) findings.push(finding);
    }
    return findings;
  },
});

function judge(before: HealthProbe, after: HealthProbe): Detection | undefined {
  if (!before.type || !after.type) return undefined;
  if (before.type !== after.type) {
    const looser = HTTP_TYPES.has(before.type) && after.type === "TCP";
    return {
      severity: looser ? "medium" : "high",
      line: after.typeLine,
      path: after.path,
      message: looser
        ? `${after.label} changes from ${before.type} to TCP: it only checks that the port accepts connections, so backends whose application returns errors stay in service.`
        : `${after.label} changes from ${before.type} to ${after.type}: backends that do not answer a ${after.type} probe all fail at once and the load balancer has no healthy backend left.${safe(`keep the "${before.type}" check until every backend answers ${after.type}`)}`,
      before: before.type,
      after: after.type,
      checklist: [
        looser
          ? `Confirm another signal catches backends of ${after.label} that accept connections but fail requests.`
          : `Confirm every backend answers a ${after.type} probe before this applies.`,
      ],
    };
  }
  const changes: {
    field: string;
    was: Scalar;
    now: Scalar;
    line: number;
    path?: string | undefined;
  }[] = [];
  for (const [field, setting] of after.fields) {
    const previous = before.fields.get(field);
    if (!previous) continue;
    const values = valuesOf(previous, setting);
    if (!values || String(values[0]) === String(values[1])) continue;
    changes.push({ field, was: values[0], now: values[1], line: setting.line, path: setting.path });
  }
  if (changes.length === 0) return undefined;
  const severity: Severity = "high";
  const first = changes[0]!;
  // Text values in code spans: `/` → `/healthz` reads as two paths, not as a quote mark kept.
  const shown = (value: Scalar): string =>
    typeof value === "string" && value !== "" ? `\`${value}\`` : show(value);
  const what = changes.map((c) => `${c.field} ${shown(c.was)} → ${shown(c.now)}`).join(", ");
  return {
    severity,
    line: first.line,
    path: first.path ?? after.path,
    message: `${after.label} probes differently (${what}): backends that do not answer the new probe all fail at once and the load balancer has no healthy backend left.${safe(`keep ${changes.map((c) => `${c.field} ${JSON.stringify(c.was)}`).join(", ")} until every backend answers the new probe`)}`,
    before: Object.fromEntries(changes.map((c) => [c.field, c.was])),
    after: Object.fromEntries(changes.map((c) => [c.field, c.now])),
    checklist: [
      `Confirm every backend already answers the new probe (${what}) and that firewall rules admit the health-check ranges on that port.`,
    ],
  };
}
