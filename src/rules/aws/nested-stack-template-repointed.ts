import { child, fingerprint, type TreeNode } from "../../formats/tree.js";
import { cloudFormationPath, cloudFormationResources } from "../model/iac/cloudformation.js";
import { terraformPath, terraformResources } from "../model/iac/terraform.js";
import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";

interface NestedStack {
  readonly key: string;
  readonly label: string;
  readonly url: TreeNode;
  readonly path: string;
}

function stacksOf(dialect: string, tree: TreeNode | null): NestedStack[] {
  if (!tree) return [];
  if (dialect === "cloudformation")
    return cloudFormationResources(tree, ["AWS::CloudFormation::Stack"]).flatMap((stack) => {
      const url = child(stack.properties, "TemplateURL");
      return url
        ? [
            {
              key: stack.logicalId,
              label: `nested stack ${stack.logicalId}`,
              url,
              path: cloudFormationPath(stack.logicalId, "TemplateURL"),
            },
          ]
        : [];
    });
  return terraformResources(tree, ["aws_cloudformation_stack"]).flatMap((stack) => {
    const url = child(stack.body, "template_url");
    return url
      ? [
          {
            key: `${stack.type}.${stack.name}`,
            label: `stack ${stack.name}`,
            url,
            path: terraformPath(stack.type, stack.name, "template_url"),
          },
        ]
      : [];
  });
}

const shown = (node: TreeNode): string =>
  node.kind === "scalar" ? String(node.value) : fingerprint(node);

/** `…/v1.4.2/…` and `…/v1.5.0/…`, or `…-1.4.2.yaml` and `…-1.5.0.yaml`: the same template at another version. */
function onlyVersionDiffers(before: string, after: string): boolean {
  const VERSION = /v?\d+(\.\d+){1,3}(-[\w.]+)?/g;
  return before !== after && before.replace(VERSION, "#") === after.replace(VERSION, "#");
}

/**
 * A nested stack's template is everything it creates: pointing it at another template replaces or deletes those
 * resources on the next update (docs/risk.md: traffic goes nowhere, what the template held is not visible here).
 */
export default defineRule({
  id: "aws.nested-stack.template-repointed",
  family: "aws",
  title: "Nested stack template repointed",
  description:
    "A CloudFormation `AWS::CloudFormation::Stack` `TemplateURL` (or a Terraform `aws_cloudformation_stack` " +
    "`template_url`) points at another template: CloudFormation updates the nested stack to it, deleting or " +
    "replacing whatever the old template created that the new one does not declare alike (high). Medium when only a " +
    "version segment of the URL changes (the same template at another release).",
  severity: "high",
  params: {},
  dialects: ["cloudformation", "terraform"],
  check(file) {
    const findings: Detection[] = [];
    const before = new Map(stacksOf(file.dialect, file.before).map((stack) => [stack.key, stack]));
    for (const now of stacksOf(file.dialect, file.after)) {
      const was = before.get(now.key);
      if (!was || fingerprint(was.url) === fingerprint(now.url)) continue;
      const old = shown(was.url);
      const value = shown(now.url);
      const severity: Severity = onlyVersionDiffers(old, value) ? "medium" : "high";
      findings.push({
        severity,
        line: now.url.line,
        path: now.path,
        message:
          `${now.label} now uses template ${value} instead of ${old}: the next update deletes or replaces what the old template created and the new one does not declare alike` +
          (severity === "high"
            ? `. Safe: keep \`${old}\` and bring the new template in as a separate stack, or diff the two templates in this change.`
            : " (only the version in the URL changes)."),
        before: old,
        after: value,
        checklist: [
          `Diff the resources of ${old} and ${value} (load balancers, listeners, target groups, security groups) before updating.`,
        ],
      });
    }
    return findings;
  },
});
