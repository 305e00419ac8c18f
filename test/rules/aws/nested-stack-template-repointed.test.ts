import nestedStackTemplateRepointed from "../../../src/rules/aws/nested-stack-template-repointed.js";
import { ruleTable } from "../rule-table.js";
import { cfn } from "./builders.js";

const stack = (url: string) =>
  cfn(`  Network:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ${url}
      Parameters:
        Env: prod
`);
const terraformStack = (url: string) => `resource "aws_cloudformation_stack" "network" {
  name         = "network"
  template_url = "${url}"
}
`;
const BUCKET = "https://s3.amazonaws.com/templates";

ruleTable(nestedStackTemplateRepointed, {
  path: "templates/main.yaml",
  cases: [
    {
      name: "a nested stack pointed at another template is high",
      before: stack(`${BUCKET}/vpc/alb.yaml`),
      after: stack(`${BUCKET}/vpc/nlb.yaml`),
      expect: [
        {
          severity: "high",
          line: "TemplateURL",
          phrase: /now uses template .*nlb.yaml instead of .*alb.yaml/,
        },
      ],
    },
    {
      name: "the same in Terraform",
      path: "stacks.tf",
      before: terraformStack(`${BUCKET}/vpc/alb.yaml`),
      after: terraformStack(`${BUCKET}/ecs/service.yaml`),
      expect: [{ severity: "high", line: "template_url", phrase: /deletes or replaces/ }],
    },
    {
      name: "only the release in the URL changes: medium",
      before: stack(`${BUCKET}/v1.4.2/alb.yaml`),
      after: stack(`${BUCKET}/v1.5.0/alb.yaml`),
      expect: [
        { severity: "medium", line: "TemplateURL", phrase: /only the version in the URL changes/ },
      ],
    },
    {
      name: "near: the nested stack's parameters change, its template stays",
      before: stack(`${BUCKET}/vpc/alb.yaml`),
      after: stack(`${BUCKET}/vpc/alb.yaml`).replace("Env: prod", "Env: staging"),
      expect: [],
    },
    {
      name: "near: a Terraform stack whose template stays",
      path: "stacks.tf",
      before: terraformStack(`${BUCKET}/vpc/alb.yaml`),
      after: terraformStack(`${BUCKET}/vpc/alb.yaml`).replace(
        'name         = "network"',
        'name         = "network-prod"',
      ),
      expect: [],
    },
  ],
});
