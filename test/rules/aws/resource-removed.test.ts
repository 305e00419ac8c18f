import resourceRemoved from "../../../src/rules/aws/resource-removed.js";
import { ruleTable } from "../rule-table.js";
import {
  FORWARD_WEB,
  HTTP_80,
  awsPath,
  cfn,
  cfnListener,
  forwardTo,
  lb,
  listener,
  tg,
} from "./builders.js";

const tgNamed = (name: string) =>
  tg(
    `  name     = "${name}"\n  port     = 80\n  protocol = "HTTP"\n  vpc_id   = "vpc-123"`,
    "",
    name,
  );

const MANAGED_LB = 'resource "aws_lb" "web" {\n  name     = "web"\n  internal = false\n}\n';
const LISTENER_ON = (arn: string) =>
  `resource "aws_lb_listener" "http" {\n  load_balancer_arn = ${arn}\n  port              = 80\n}\n`;

ruleTable(resourceRemoved, {
  path: awsPath,
  cases: [
    {
      name: "a listener",
      before: lb("") + listener(HTTP_80, FORWARD_WEB),
      after: lb(""),
      expect: [
        {
          severity: "high",
          line: 'resource "aws_lb_listener"',
          phrase: "clients connecting to its port fail",
          side: "before",
        },
      ],
    },
    {
      name: "a target group whose listener was repointed",
      before: tgNamed("web") + tgNamed("api") + listener(HTTP_80, FORWARD_WEB),
      after: tgNamed("api") + listener(HTTP_80, forwardTo("aws_lb_target_group.api.arn")),
      expect: [
        {
          severity: "medium",
          line: 'resource "aws_lb_target_group" "web"',
          phrase: "repointed in this change (aws_lb_listener.https)",
          side: "before",
        },
      ],
    },
    {
      name: "a target group still referenced",
      before: tgNamed("web") + listener(HTTP_80, FORWARD_WEB),
      after: listener(HTTP_80, FORWARD_WEB),
      expect: [
        {
          severity: "medium",
          line: 'resource "aws_lb_target_group" "web"',
          phrase: "the plan will fail",
          side: "before",
        },
      ],
    },
    {
      name: "a CloudFormation listener",
      before: cfnListener(
        "      Port: 443\n      Protocol: HTTPS\n      SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06",
      ),
      after: cfn("  Other:\n    Type: AWS::SNS::Topic\n"),
      expect: [
        {
          severity: "high",
          line: "HttpsListener:",
          phrase: "listener HttpsListener is deleted",
          side: "before",
        },
      ],
    },
    {
      name: "renamed with a moved block",
      before: lb(""),
      after: lb("", "primary") + "moved {\n  from = aws_lb.main\n  to   = aws_lb.primary\n}\n",
      expect: [],
    },
    {
      name: "CloudFormation DeletionPolicy: Retain",
      before: cfn(
        "  LoadBalancer:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    DeletionPolicy: Retain\n    Properties:\n      Scheme: internal\n",
      ),
      after: cfn("  Other:\n    Type: AWS::SNS::Topic\n"),
      expect: [],
    },
    {
      name: "a resource of another service",
      before: lb("") + 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n',
      after: lb(""),
      expect: [],
    },
    {
      name: "a load balancer turned into a data source is destroyed: high even though its listener was repointed",
      before: MANAGED_LB + LISTENER_ON("aws_lb.web.arn"),
      after: 'data "aws_lb" "web" {\n  name = "web"\n}\n' + LISTENER_ON("data.aws_lb.web.arn"),
      expect: [
        {
          severity: "high",
          line: 'resource "aws_lb" "web"',
          phrase:
            /becomes a data source \(data\.aws_lb\.web\): Terraform destroys the managed load balancer/,
          side: "before",
        },
      ],
    },
    {
      name: "the same in Terraform JSON",
      path: "lb.tf.json",
      before: JSON.stringify(
        { resource: { aws_lb: { web: { name: "web", internal: false } } } },
        null,
        2,
      ),
      after: JSON.stringify({ data: { aws_lb: { web: { name: "web" } } } }, null, 2),
      expect: [
        { severity: "high", line: '"web"', phrase: /becomes a data source/, side: "before" },
      ],
    },
    {
      name: "near: a data source of another load balancer added beside the kept one",
      before: MANAGED_LB + LISTENER_ON("aws_lb.web.arn"),
      after:
        MANAGED_LB +
        'data "aws_lb" "shared" {\n  name = "shared"\n}\n' +
        LISTENER_ON("aws_lb.web.arn"),
      expect: [],
    },
  ],
});
