import { defineRule, type Detection } from "../types.js";
import { failureOutcome, matcherChanges } from "../model/aws/health-check-changes.js";
import { formatCodes } from "../model/status-codes.js";
import { safe } from "../model/advice.js";

/** Codes the check stops accepting fail every target that answers with them, at once (docs/lb-facts.md §1a). */
export default defineRule({
  id: "aws.health-check.matcher-narrowed",
  family: "aws",
  title: "Health check stops accepting status codes",
  description:
    "The health check no longer accepts some success codes it accepted before (e.g. 200-399 → 200). Every " +
    "target whose health endpoint answers with one of them (a redirect, a 204) fails at once; an ELBv2 load " +
    "balancer then fails open and routes to all targets, hiding the fault.",
  severity: "high",
  params: {},
  dialects: ["terraform", "cloudformation"],
  check(file) {
    const findings: Detection[] = [];
    for (const change of matcherChanges(file)) {
      if (change.removed.length === 0) continue;
      const { after, removed } = change;
      const setting = after.matcher;
      findings.push({
        severity: "high",
        line: setting.line,
        path: setting.path ?? after.path,
        message:
          `${after.label} no longer accepts ${formatCodes(removed)} (matcher "${change.was}" → "${change.now}"): ` +
          `targets whose health endpoint answers with these all fail at once, and ${failureOutcome(after)}.` +
          safe(`keep matcher = "${change.was}" until every target answers ${change.now}`),
        before: change.was,
        after: change.now,
        figures: { codesRemoved: formatCodes(removed) },
        checklist: [
          `Confirm the health endpoint of ${after.label} answers ${change.now} on every target (no redirect, no 204).`,
        ],
      });
    }
    return findings;
  },
});
