// Builders shared by the lb rules' tests: the cross-format rules, shown on AWS target groups.

/** A Terraform target group with the given health_check and stickiness bodies. */
export function targetGroup(healthCheck: string, stickiness = ""): string {
  return `resource "aws_lb_target_group" "web" {
  name     = "web"
  port     = 80
  protocol = "HTTP"
  health_check {
${healthCheck}
  }
${stickiness}
}
`;
}

/** A CloudFormation target group with the given check timing and TargetGroupAttributes list. */
export const cfnTargetGroup = (
  interval: number,
  unhealthy: number,
  attributes: string,
): string => `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  TargetGroup:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Port: 80
      Protocol: HTTP
      HealthCheckIntervalSeconds: ${interval}
      UnhealthyThresholdCount: ${unhealthy}
      TargetGroupAttributes:
${attributes}
`;

/** A Terraform stickiness block with the given body. */
export const sticky = (body: string): string => `  stickiness {\n${body}\n  }`;

/** CloudFormation TargetGroupAttributes: lb-cookie stickiness on for 8 h. */
export const CFN_STICKY_ON =
  "        - Key: stickiness.enabled\n          Value: 'true'\n        - Key: stickiness.lb_cookie.duration_seconds\n          Value: '28800'";
