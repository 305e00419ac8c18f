import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import { failureOutcome, probeChanges, probeDetection } from "../model/aws/health-check-changes.js";

const HTTP = new Set(["HTTP", "HTTPS"]);

/**
 * A stricter protocol (TCP → HTTP, HTTP ↔ HTTPS) can fail every target at once; a looser one
 * (HTTP → TCP) only checks that a port accepts connections, so broken applications stay in service.
 */
export default defineRule({
  id: "aws.health-check.protocol-changed",
  family: "aws",
  title: "Health-check protocol changed",
  description:
    "The health-check protocol changes. TCP → HTTP(S) or HTTP ↔ HTTPS asks every target something new " +
    "(an HTTP answer, a TLS handshake) and can fail them all at once (high); HTTP(S) → TCP only checks that the " +
    "port accepts connections, so targets whose application returns errors stay in service (medium).",
  severity: "high",
  params: {},
  dialects: ["terraform", "cloudformation"],
  check(file) {
    const findings: Detection[] = [];
    for (const { after, was, now } of probeChanges(file, "protocol")) {
      const from = String(was);
      const to = String(now);
      let severity: Severity;
      let consequence: string;
      let checklist: string[];
      if (HTTP.has(from) && to === "TCP") {
        severity = "medium";
        consequence =
          "the check now only opens a connection, so a target whose application returns errors stays in service";
        checklist = [
          `Confirm another signal (alarms on 5xx, outlier handling) catches targets of ${after.label} that accept connections but fail requests.`,
        ];
      } else if (HTTP.has(to) || to === "SSL") {
        severity = "high";
        consequence =
          (HTTP.has(from)
            ? `targets must now answer ${to} instead of ${from} on the health-check port`
            : `targets must now answer an ${to} request instead of accepting a connection`) +
          `; if they do not, all fail at once and ${failureOutcome(after)}`;
        checklist = [
          `Confirm every target answers ${to} on the health-check port with the expected status.`,
        ];
      } else {
        severity = "medium";
        consequence = "the check asks the targets something different";
        checklist = [`Confirm every target passes a ${to} check.`];
      }
      findings.push(
        probeDetection(
          after,
          "protocol",
          severity,
          was,
          now,
          `${after.label} health check changes from ${from} to ${to}: ${consequence}.`,
          checklist,
        ),
      );
    }
    return findings;
  },
});
