import { defineRule, type Detection } from "../types.js";
import {
  failureOutcome,
  isHttpCheck,
  probeChanges,
  probeDetection,
} from "../model/aws/health-check-changes.js";
import { show, valuesOf } from "../model/iac/settings.js";

/** A new check path that some targets do not serve fails them all at once (docs/lb-facts.md §1a, §1d). */
export default defineRule({
  id: "aws.health-check.path-changed",
  family: "aws",
  title: "Health-check path changed",
  description:
    "The HTTP(S) health-check path of a target group (or a Classic load balancer's check target) changes. " +
    "Targets that do not yet serve the new path, or answer it with another status, all fail the check at " +
    "once; an ELBv2 load balancer then fails open and routes to every target, hiding the fault.",
  severity: "high",
  params: {},
  dialects: ["terraform", "cloudformation"],
  check(file) {
    const findings: Detection[] = [];
    for (const { after, was, now } of probeChanges(file, "checkPath")) {
      if (isHttpCheck(after) === false) continue; // TCP checks ignore the path
      const matcher = valuesOf(after.matcher, after.matcher)?.[1] ?? "200";
      findings.push(
        probeDetection(
          after,
          "checkPath",
          "high",
          was,
          now,
          `${after.label} now checks ${show(now)} instead of ${show(was)}: every target that does not answer ` +
            `${show(now)} with ${show(matcher)} is marked unhealthy at once, and ${failureOutcome(after)}.`,
          [
            `Confirm every running target already answers ${show(now)} with ${show(matcher)} (deploy the endpoint before this change).`,
            `Confirm ${show(now)} checks the service itself and stays cheap under load.`,
          ],
        ),
      );
    }
    return findings;
  },
});
