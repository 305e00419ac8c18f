import { defineRule, type Detection } from "../types.js";
import {
  effectivePort,
  failureOutcome,
  probeChanges,
  probeDetection,
} from "../model/aws/health-check-changes.js";

/** Probing a port the targets do not listen on fails every target at once (docs/lb-facts.md §1a). */
export default defineRule({
  id: "aws.health-check.port-changed",
  family: "aws",
  title: "Health-check port changed",
  description:
    "The port a target group's (or Classic load balancer's) health check probes changes (`traffic-port` is " +
    "resolved to the group's port). Targets that do not listen there, or whose security groups do not admit " +
    "the load balancer on it, all fail at once; an ELBv2 load balancer then fails open.",
  severity: "high",
  params: {},
  dialects: ["terraform", "cloudformation"],
  check(file) {
    const findings: Detection[] = [];
    for (const { after, was, now } of probeChanges(file, "port")) {
      const portWas = effectivePort(after, was);
      const portNow = effectivePort(after, now);
      if (portWas === portNow) continue;
      findings.push(
        probeDetection(
          after,
          "port",
          "high",
          was,
          now,
          `${after.label} now probes port ${portNow} instead of ${portWas}: targets that do not listen on ` +
            `${portNow} (or whose security groups block it) all fail the check at once, and ${failureOutcome(after)}.`,
          [
            `Confirm every target listens on ${portNow} and answers the check there.`,
            `Confirm the targets' security groups admit the load balancer on port ${portNow}.`,
          ],
        ),
      );
    }
    return findings;
  },
});
