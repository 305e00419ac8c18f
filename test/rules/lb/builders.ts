// Builders shared by the lb rules' tests: the cross-format rules, shown on AWS target groups built
// with the aws family's builders.
import { attribute, cfnTargetGroup as awsCfnTargetGroup, tgBase } from "../aws/builders.js";

/** A Terraform target group with the given health_check and stickiness bodies. */
export const targetGroup = (healthCheck: string, stickiness = ""): string =>
  tgBase(healthCheck, stickiness);

/** A CloudFormation target group with the given check timing and TargetGroupAttributes list. */
export const cfnTargetGroup = (interval: number, unhealthy: number, attributes: string): string =>
  awsCfnTargetGroup(
    `      HealthCheckIntervalSeconds: ${interval}\n      UnhealthyThresholdCount: ${unhealthy}`,
    attributes,
  );

/** A Terraform stickiness block with the given body. */
export const sticky = (body: string): string => `  stickiness {\n${body}\n  }`;

/** CloudFormation TargetGroupAttributes: lb-cookie stickiness on for 8 h. */
export const CFN_STICKY_ON = [
  attribute("stickiness.enabled", "'true'"),
  attribute("stickiness.lb_cookie.duration_seconds", "'28800'"),
].join("\n");

/** CloudFormation TargetGroupAttributes: a 30 s deregistration delay, nothing about checks or stickiness. */
export const CFN_DELAY = attribute("deregistration_delay.timeout_seconds", "'30'");

/** A Deployment `web` whose container `app` has a readiness probe with the given timing lines. */
export const readinessProbe = (...timing: string[]): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          image: example/web:1.0
          readinessProbe:
            httpGet:
              path: /ready
              port: 8080
${timing.map((line) => `            ${line}`).join("\n")}
`;
