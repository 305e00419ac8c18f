import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import { keptPairsOf } from "../model/aws/elb-resources.js";
import { type TargetGroup, targetGroupsOf } from "../model/aws/target-groups.js";
import {
  changeValues,
  type CreateOnlyAttribute,
  type CreateOnlyChange,
  createOnlyChanges,
  describeChanges,
} from "../model/iac/create-only.js";
import { settingOf, show, stringOf } from "../model/iac/settings.js";
import { safe } from "../model/advice.js";

/**
 * Attributes that force a new target group: terraform-provider-aws r/lb_target_group (ForceNew) and the
 * CloudFormation schema's createOnlyProperties (docs/lb-facts.md §1b).
 */
const FORCE_NEW: readonly CreateOnlyAttribute[] = [
  { terraform: "name", cloudFormation: "Name", computed: true, initial: "(generated)" },
  { terraform: "name_prefix", cloudFormation: "", computed: true, initial: "(none)" },
  { terraform: "port", cloudFormation: "Port", computed: false },
  { terraform: "protocol", cloudFormation: "Protocol", computed: false },
  {
    terraform: "protocol_version",
    cloudFormation: "ProtocolVersion",
    computed: true,
    initial: "HTTP1",
  },
  { terraform: "target_type", cloudFormation: "TargetType", computed: false, initial: "instance" },
  { terraform: "vpc_id", cloudFormation: "VpcId", computed: false },
  {
    terraform: "ip_address_type",
    cloudFormation: "IpAddressType",
    computed: true,
    initial: "ipv4",
  },
];

const NOT_FOR_LAMBDA = new Set(["port", "protocol", "vpc_id", "Port", "Protocol", "VpcId"]);

/**
 * A replaced target group starts empty and listeners must be repointed. Terraform destroys first unless
 * `create_before_destroy` is set, and AWS refuses to delete a group a listener still uses (ResourceInUse,
 * hashicorp/terraform-provider-aws#636); with it set, a fixed `name` collides (DuplicateTargetGroupName, #1711).
 */
export default defineRule({
  id: "aws.target-group.replaced",
  family: "aws",
  title: "Target group will be replaced",
  description:
    "A change to a create-only attribute (name, name_prefix, port, protocol, protocol_version, target_type, " +
    "vpc_id, ip_address_type) makes Terraform or CloudFormation replace the target group: the new group starts " +
    "with no registered targets and every listener and rule must move to it. Without create_before_destroy " +
    "Terraform deletes first, which fails while a listener uses the group (high); with it (and always in " +
    "CloudFormation) the swap is ordered but targets must re-register, and a fixed name makes the deploy fail (medium).",
  severity: "high",
  params: {},
  dialects: ["terraform", "cloudformation"],
  check(file) {
    const findings: Detection[] = [];
    for (const [before, after] of keptPairsOf(file, targetGroupsOf)) {
      const lambda = stringOf(after.targetType) === "lambda";
      const changes = createOnlyChanges(
        before,
        after,
        FORCE_NEW,
        after.dialect === "terraform",
        (name) => lambda && NOT_FOR_LAMBDA.has(name),
      );
      if (changes.length === 0) continue;
      findings.push(judge(after, changes));
    }
    return findings;
  },
});

function judge(after: TargetGroup, changes: CreateOnlyChange[]): Detection {
  const what = describeChanges(changes);
  const terraform = after.dialect === "terraform";
  const nameField = terraform ? "name" : "Name";
  const fixedName = settingOf(after.body, nameField, undefined, after.line);
  const nameKept =
    fixedName.kind === "literal" && !changes.some((change) => change.name === nameField);
  let severity: Severity;
  let consequence: string;
  if (terraform && !after.createBeforeDestroy) {
    severity = "high";
    consequence =
      "Terraform destroys the old group first, which AWS refuses while a listener or rule still forwards to it " +
      "(ResourceInUse); if nothing uses it, its registered targets are dropped until they register with the new group";
  } else if (nameKept) {
    severity = "medium";
    consequence = terraform
      ? `the new group is created while the old one still holds the name ${show(fixedName.kind === "literal" ? fixedName.value : undefined)}, so the deploy will fail (DuplicateTargetGroupName)`
      : "CloudFormation cannot replace a resource with a custom Name, so the deploy will fail";
  } else {
    severity = "medium";
    consequence =
      "the new group starts with no registered targets: listeners move to it as soon as it exists, so targets " +
      "attached outside this file (ECS services, Auto Scaling groups) must re-register before it can serve";
  }
  const first = changes[0]!;
  return {
    severity,
    line: first.line,
    path: after.path,
    message:
      `${after.label} will be replaced (${what}): ${consequence}.` +
      (severity === "high"
        ? safe(
            `add lifecycle { create_before_destroy = true } to ${after.label} (with a name_prefix instead of a fixed name), or keep ${changes.map((change) => `${change.name} = ${show(change.was)}`).join(", ")}`,
          )
        : ""),
    before: changeValues(changes, "was"),
    after: changeValues(changes, "now"),
    figures: {
      forceNewAttributes: changes.map((change) => change.name).join(", "),
      createBeforeDestroy: after.createBeforeDestroy,
    },
    checklist: [
      terraform && !after.createBeforeDestroy
        ? `Add lifecycle { create_before_destroy = true } and a name_prefix (not a fixed name) to ${after.label}, or plan the listener switch by hand.`
        : `Confirm every target of ${after.label} (ECS service, Auto Scaling group, attachments) registers with the new group before traffic moves.`,
    ],
  };
}
