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
  ],
});
