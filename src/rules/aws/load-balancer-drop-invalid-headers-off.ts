import { defineRule } from "../types.js";
import { loadBalancerChanges } from "../model/aws/load-balancers.js";
import { toBool } from "../model/iac/settings.js";
import { transitionFindings, turnedOff } from "../model/transitions.js";
import { safe } from "../model/advice.js";
import { withRestoreFix } from "../model/fix.js";

/** Dropping invalid header names is an anti-smuggling control (docs/lb-facts.md §2). */
export default defineRule({
  id: "aws.load-balancer.drop-invalid-headers-off",
  family: "aws",
  title: "Invalid HTTP header fields no longer dropped",
  description:
    "`drop_invalid_header_fields` (CloudFormation `routing.http.drop_invalid_header_fields.enabled`) goes from " +
    "true to false: headers whose names are not valid (`[-A-Za-z0-9]+`) reach the targets again, re-opening " +
    "header-smuggling tricks against backends that parse them loosely.",
  severity: "high",
  params: {},
  dialects: ["terraform", "cloudformation"],
  check(file) {
    const changes = loadBalancerChanges(file, (lb) => lb.dropInvalidHeaders, toBool);
    const found = transitionFindings(changes, (change) =>
      turnedOff(change)
        ? {
            severity: "high",
            message: `${change.after.label} stops dropping invalid header fields: malformed header names reach the targets, which re-opens header-smuggling attacks on loose parsers.${safe('keep drop_invalid_header_fields = true (CloudFormation routing.http.drop_invalid_header_fields.enabled "true")')}`,
            before: true,
            after: false,
            checklist: [
              `Confirm which client needs invalid header names through ${change.after.label}, and that the targets reject them.`,
            ],
          }
        : undefined,
    );
    return found.map((detection) =>
      withRestoreFix(file, detection, ["drop_invalid_header_fields", "Value"]),
    );
  },
});
