import { defineRule, type Detection } from "../types.js";
import { matcherChanges } from "../model/aws/health-check-changes.js";
import { formatCodes } from "../model/status-codes.js";

/** Success codes that include errors keep broken targets in service (docs/lb-facts.md §1a, §7). */
export default defineRule({
  id: "aws.health-check.matcher-widened",
  family: "aws",
  title: "Health check accepts more status codes",
  description:
    "The health check's success codes only grow. Accepting 4xx or 5xx (gRPC: non-zero codes) keeps targets " +
    "that answer with errors in service, so failures are hidden (medium); widening within 2xx–3xx is low.",
  severity: "medium",
  params: {
    // docs/lb-facts.md §7 ("matcher widened beyond 2xx–3xx": medium).
    firstErrorCode: {
      default: 400,
      description: "HTTP codes from this one up are errors: accepting them hides failing targets.",
    },
  },
  dialects: ["terraform", "cloudformation"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const change of matcherChanges(file)) {
      if (change.removed.length > 0) continue; // narrowed or shifted: aws.health-check.matcher-narrowed
      const { after, added } = change;
      const errors = added.filter((code) =>
        after.grpc ? code !== 0 : code >= params.firstErrorCode,
      );
      const setting = after.matcher;
      findings.push({
        severity: errors.length > 0 ? "medium" : "low",
        line: setting.line,
        path: setting.path ?? after.path,
        message:
          errors.length > 0
            ? `${after.label} now counts ${formatCodes(errors)} as healthy (matcher "${change.was}" → "${change.now}"): ` +
              "a target answering with these errors stays in service and the failure is hidden."
            : `${after.label} also accepts ${formatCodes(added)} (matcher "${change.was}" → "${change.now}").`,
        before: change.was,
        after: change.now,
        figures: { codesAdded: formatCodes(added) },
        checklist: [
          errors.length > 0
            ? `Confirm answering ${formatCodes(errors)} really means the targets of ${after.label} can serve traffic.`
            : `Confirm ${formatCodes(added)} from the health endpoint means the target is ready.`,
        ],
      });
    }
    return findings;
  },
});
