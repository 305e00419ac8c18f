import { describe, expect, it } from "vitest";
import { analyze } from "../../src/engine/analyze.js";

/** A Terraform target group with the given health_check and stickiness bodies. */
function targetGroup(healthCheck: string, stickiness = "") {
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

const cfn = (
  interval: number,
  unhealthy: number,
  attributes: string,
) => `AWSTemplateFormatVersion: "2010-09-09"
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

function rulesFired(before: string, after: string, path = "lb.tf") {
  return analyze([{ path, before, after }]).findings.map(
    (finding) => `${finding.rule}:${finding.severity}`,
  );
}

describe("lb.health-check.detection-too-fast", () => {
  it.each([
    [
      "90 s → 10 s is high",
      "interval = 30\nunhealthy_threshold = 3",
      "interval = 5\nunhealthy_threshold = 2",
      ["lb.health-check.detection-too-fast:high"],
    ],
    [
      "a large drop above the floor is medium",
      "interval = 300\nunhealthy_threshold = 3",
      "interval = 60\nunhealthy_threshold = 3",
      ["lb.health-check.detection-too-fast:medium"],
    ],
    [
      "a small drop is not a finding",
      "interval = 30\nunhealthy_threshold = 3",
      "interval = 25\nunhealthy_threshold = 3",
      [],
    ],
    [
      "defaults (30 × 3) made explicit are no change",
      "",
      "interval = 30\nunhealthy_threshold = 3",
      [],
    ],
    ["an expression cannot be judged", "interval = 30", "interval = var.interval", []],
  ])("%s", (_name, before, after, expected) => {
    expect(rulesFired(targetGroup(before), targetGroup(after))).toEqual(expected);
  });

  it("uses the AWS API defaults in CloudFormation (30 s × 2 = 60 s)", () => {
    const attributes = "        - Key: deregistration_delay.timeout_seconds\n          Value: '30'";
    const findings = analyze([
      { path: "t.yaml", before: cfn(30, 2, attributes), after: cfn(5, 2, attributes) },
    ]).findings;
    expect(findings).toMatchObject([
      {
        rule: "lb.health-check.detection-too-fast",
        severity: "high",
        line: 8,
        before: 60,
        after: 10,
      },
    ]);
  });
});

describe("lb.health-check.timeout-not-below-interval", () => {
  it("fires when the change makes timeout reach the interval", () => {
    expect(
      rulesFired(
        targetGroup("interval = 10\ntimeout = 5"),
        targetGroup("interval = 10\ntimeout = 10"),
      ),
    ).toEqual(["lb.health-check.timeout-not-below-interval:medium"]);
  });
  it("does not fire for a timeout below the interval, or for a problem the change did not touch", () => {
    expect(
      rulesFired(
        targetGroup("interval = 10\ntimeout = 5"),
        targetGroup("interval = 10\ntimeout = 9"),
      ),
    ).toEqual([]);
    expect(
      rulesFired(
        targetGroup("interval = 10\ntimeout = 10\nhealthy_threshold = 3"),
        targetGroup("interval = 10\ntimeout = 10\nhealthy_threshold = 4"),
      ),
    ).toEqual([]);
  });
});

describe("lb.health-check.detection-slowed", () => {
  it("reports much calmer checks at medium at most", () => {
    expect(
      rulesFired(
        targetGroup("interval = 10\nunhealthy_threshold = 3"),
        targetGroup("interval = 60\nunhealthy_threshold = 3"),
      ),
    ).toEqual(["lb.health-check.detection-slowed:medium"]);
    expect(
      rulesFired(
        targetGroup("interval = 10\nunhealthy_threshold = 2"),
        targetGroup("interval = 12\nunhealthy_threshold = 2"),
      ),
    ).toEqual([]);
  });
});

describe("stickiness rules", () => {
  const sticky = (body: string) => `  stickiness {\n${body}\n  }`;
  it.each([
    [
      "disabled",
      sticky('type = "lb_cookie"\ncookie_duration = 3600'),
      sticky('type = "lb_cookie"\nenabled = false'),
      ["lb.stickiness.disabled:high"],
    ],
    ["block removed", sticky('type = "lb_cookie"'), "", ["lb.stickiness.disabled:high"]],
    [
      "type changed",
      sticky('type = "lb_cookie"'),
      sticky('type = "app_cookie"\ncookie_name = "sid"'),
      ["lb.stickiness.changed:high"],
    ],
    ["turned on", "", sticky('type = "lb_cookie"'), ["lb.stickiness.changed:medium"]],
    [
      "duration cut",
      sticky('type = "lb_cookie"\ncookie_duration = 28800'),
      sticky('type = "lb_cookie"\ncookie_duration = 60'),
      ["lb.stickiness.duration-cut:high"],
    ],
    [
      "duration cut, still long",
      sticky('type = "lb_cookie"\ncookie_duration = 86400'),
      sticky('type = "lb_cookie"\ncookie_duration = 28800'),
      ["lb.stickiness.duration-cut:medium"],
    ],
    [
      "duration raised",
      sticky('type = "lb_cookie"\ncookie_duration = 60'),
      sticky('type = "lb_cookie"\ncookie_duration = 3600'),
      [],
    ],
    [
      "reordered attributes",
      sticky('type = "lb_cookie"\ncookie_duration = 60'),
      sticky('cookie_duration = 60\n  type = "lb_cookie"'),
      [],
    ],
  ])("%s", (_name, before, after, expected) => {
    expect(
      rulesFired(targetGroup("interval = 30", before), targetGroup("interval = 30", after)),
    ).toEqual(expected);
  });

  it("reads CloudFormation TargetGroupAttributes key/value lists", () => {
    const on =
      "        - Key: stickiness.enabled\n          Value: 'true'\n        - Key: stickiness.lb_cookie.duration_seconds\n          Value: '28800'";
    const off = "        - Key: stickiness.enabled\n          Value: 'false'";
    expect(rulesFired(cfn(30, 2, on), cfn(30, 2, off), "t.yaml")).toEqual([
      "lb.stickiness.disabled:high",
    ]);
    const reordered =
      "        - Key: stickiness.lb_cookie.duration_seconds\n          Value: '28800'\n        - Key: stickiness.enabled\n          Value: 'true'";
    expect(rulesFired(cfn(30, 2, on), cfn(30, 2, reordered), "t.yaml")).toEqual([]);
  });
});
