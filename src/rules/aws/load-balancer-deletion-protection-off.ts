import { defineRule } from "../types.js";
import { loadBalancerChanges } from "../model/aws/load-balancers.js";
import { toBool } from "../model/iac/settings.js";
import { transitionFindings, turnedOff } from "../model/transitions.js";
import { safe } from "../model/advice.js";
import { withRestoreFix } from "../model/fix.js";

/** Deletion protection going off is usually the first step of a teardown (docs/lb-facts.md §2, §7). */
export default defineRule({
  id: "aws.load-balancer.deletion-protection-off",
  family: "aws",
  title: "Load-balancer deletion protection turned off",
  description:
    "`enable_deletion_protection` (CloudFormation `deletion_protection.enabled`) goes from true to false: the " +
    "load balancer can now be deleted by any apply, stack update or console action. This usually precedes a destroy.",
  severity: "high",
  params: {},
  dialects: ["terraform", "cloudformation"],
  check(file) {
    const changes = loadBalancerChanges(file, (lb) => lb.deletionProtection, toBool);
    const found = transitionFindings(changes, (change) =>
      turnedOff(change)
        ? {
            severity: "high",
            message: `${change.after.label} loses its deletion protection: nothing stops the next apply or a console action from deleting it with all its listeners.${safe('keep enable_deletion_protection = true (CloudFormation deletion_protection.enabled "true")')}`,
            before: true,
            after: false,
            checklist: [
              `Confirm deleting ${change.after.label} is intended, and that a follow-up change does not remove it by accident.`,
            ],
          }
        : undefined,
    );
    return found.map((detection) =>
      withRestoreFix(file, detection, ["enable_deletion_protection", "Value"]),
    );
  },
});
