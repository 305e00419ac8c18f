// Builders shared by the aws rules' tests.
import type { RuleCase } from "../rule-table.js";

/** Where a case is analysed: a CloudFormation template when it has `Resources:`, Terraform otherwise. */
export const awsPath = (c: RuleCase): string =>
  (c.before || c.after || "").includes("Resources:") ? "stack.yaml" : "lb.tf";

/** A Terraform target group: `attrs` are HCL lines of the resource, `hc` of its health_check block. */
export function tg(attrs: string, hc = "", name = "web"): string {
  return `resource "aws_lb_target_group" "${name}" {
${attrs}
  health_check {
${hc}
  }
}
`;
}

const TG_BASE = `  name     = "web"
  port     = 80
  protocol = "HTTP"
  vpc_id   = "vpc-123"`;

export const tgBase = (hc: string, extra = "") => tg(`${TG_BASE}${extra ? `\n${extra}` : ""}`, hc);

export function lb(attrs: string, name = "main"): string {
  return `resource "aws_lb" "${name}" {
  name    = "main"
  subnets = var.subnets
${attrs}
}
`;
}

export function listener(attrs: string, action: string, name = "https"): string {
  return `resource "aws_lb_listener" "${name}" {
  load_balancer_arn = aws_lb.main.arn
${attrs}
${action}
}
`;
}

export const forwardTo = (target: string) => `  default_action {
    type             = "forward"
    target_group_arn = ${target}
  }`;

export const HTTPS = `  port            = 443
  protocol        = "HTTPS"
  certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/aaa"`;

export function classic(attrs: string, listeners = LISTENER_80): string {
  return `resource "aws_elb" "legacy" {
  name               = "legacy"
  availability_zones = ["eu-west-1a"]
${listeners}
  health_check {
    target              = "HTTP:80/"
    interval            = 30
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }
${attrs}
}
`;
}

export const LISTENER_80 = `  listener {
    lb_port           = 80
    lb_protocol       = "http"
    instance_port     = 8080
    instance_protocol = "http"
  }`;

/** A CloudFormation template with the given resources (YAML, indented two spaces). */
export const cfn = (resources: string) => `AWSTemplateFormatVersion: "2010-09-09"
Resources:
${resources}`;

export function cfnTargetGroup(properties: string, attributes = ""): string {
  return cfn(`  TargetGroup:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Port: 80
      Protocol: HTTP
      VpcId: vpc-123
${properties}${attributes ? `\n      TargetGroupAttributes:\n${attributes}` : ""}
`);
}

export function cfnLoadBalancer(properties: string, attributes = ""): string {
  return cfn(`  LoadBalancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Subnets: [subnet-1, subnet-2]
${properties}${attributes ? `\n      LoadBalancerAttributes:\n${attributes}` : ""}
`);
}

export function cfnListener(properties: string): string {
  return cfn(`  HttpsListener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref LoadBalancer
      DefaultActions:
        - Type: forward
          TargetGroupArn: !Ref TargetGroup
${properties}
`);
}

export const attribute = (key: string, value: string) =>
  `        - Key: ${key}\n          Value: ${value}`;

export const FORWARD_WEB = forwardTo("aws_lb_target_group.web.arn");

export const httpsListener = (policy: string) =>
  listener(`${HTTPS}${policy ? `\n  ssl_policy      = "${policy}"` : ""}`, FORWARD_WEB);

export const HTTP_80 = '  port     = 80\n  protocol = "HTTP"';
