// The lb rules and the cloud families read the same resources: each change is reported once, by
// the rule about it, and the stickiness rules split the changes of affinity between them.
import { describe, expect, it } from "vitest";
import { analyze } from "../../../src/engine/analyze.js";
import { lbRule } from "../azure/builders.js";
import { service } from "../gcp/builders.js";
import { CFN_DELAY, CFN_STICKY_ON, cfnTargetGroup, sticky, targetGroup } from "./builders.js";

/** `rule:severity` of every finding of the whole analysis, optionally only rules under `prefix`. */
function fired(path: string, before: string, after: string, prefix = ""): string[] {
  return analyze([{ path, before, after }])
    .findings.filter((finding) => finding.rule.startsWith(prefix))
    .map((finding) => `${finding.rule}:${finding.severity}`);
}

const checks = (before: string, after: string) =>
  ["lb.tf", targetGroup(before), targetGroup(after)] as const;
const stickiness = (before: string, after: string) =>
  ["lb.tf", targetGroup("interval = 30", before), targetGroup("interval = 30", after)] as const;
const cookie = (body: string) => sticky(`type = "lb_cookie"${body ? `\n${body}` : ""}`);

describe("a target group's check timing and stickiness: the whole analysis", () => {
  it.each([
    [
      "90 s → 10 s",
      checks("interval = 30\nunhealthy_threshold = 3", "interval = 5\nunhealthy_threshold = 2"),
      ["lb.health-check.detection-too-fast:high"],
    ],
    [
      "a large drop above the floor",
      checks("interval = 300\nunhealthy_threshold = 3", "interval = 60\nunhealthy_threshold = 3"),
      ["lb.health-check.detection-too-fast:medium"],
    ],
    [
      "a small drop",
      checks("interval = 30\nunhealthy_threshold = 3", "interval = 25\nunhealthy_threshold = 3"),
      [],
    ],
    ["defaults (30 × 3) made explicit", checks("", "interval = 30\nunhealthy_threshold = 3"), []],
    ["an expression", checks("interval = 30", "interval = var.interval"), []],
    [
      "CloudFormation 30 s × 2 → 5 s × 2",
      ["t.yaml", cfnTargetGroup(30, 2, CFN_DELAY), cfnTargetGroup(5, 2, CFN_DELAY)] as const,
      ["lb.health-check.detection-too-fast:high"],
    ],
    [
      "the timeout reaches the interval",
      checks("interval = 10\ntimeout = 5", "interval = 10\ntimeout = 10"),
      ["lb.health-check.timeout-not-below-interval:medium"],
    ],
    [
      "a timeout below the interval",
      checks("interval = 10\ntimeout = 5", "interval = 10\ntimeout = 9"),
      [],
    ],
    [
      "a timeout problem the change did not touch",
      checks(
        "interval = 10\ntimeout = 10\nhealthy_threshold = 3",
        "interval = 10\ntimeout = 10\nhealthy_threshold = 4",
      ),
      [],
    ],
    [
      "much calmer checks",
      checks("interval = 10\nunhealthy_threshold = 3", "interval = 60\nunhealthy_threshold = 3"),
      ["lb.health-check.detection-slowed:medium"],
    ],
    [
      "slightly calmer checks",
      checks("interval = 10\nunhealthy_threshold = 2", "interval = 12\nunhealthy_threshold = 2"),
      [],
    ],
    [
      "stickiness disabled",
      stickiness(cookie("cookie_duration = 3600"), cookie("enabled = false")),
      ["lb.stickiness.disabled:high"],
    ],
    ["stickiness block removed", stickiness(cookie(""), ""), ["lb.stickiness.disabled:high"]],
    [
      "stickiness type changed",
      stickiness(cookie(""), sticky('type = "app_cookie"\ncookie_name = "sid"')),
      ["lb.stickiness.changed:high"],
    ],
    ["stickiness turned on", stickiness("", cookie("")), ["lb.stickiness.changed:medium"]],
    [
      "stickiness duration cut",
      stickiness(cookie("cookie_duration = 28800"), cookie("cookie_duration = 60")),
      ["lb.stickiness.duration-cut:high"],
    ],
    [
      "stickiness duration cut, still long",
      stickiness(cookie("cookie_duration = 86400"), cookie("cookie_duration = 28800")),
      ["lb.stickiness.duration-cut:medium"],
    ],
    [
      "stickiness duration raised",
      stickiness(cookie("cookie_duration = 60"), cookie("cookie_duration = 3600")),
      [],
    ],
    [
      "stickiness attributes reordered",
      stickiness(
        cookie("cookie_duration = 60"),
        sticky('cookie_duration = 60\n  type = "lb_cookie"'),
      ),
      [],
    ],
    [
      "CloudFormation stickiness disabled",
      [
        "t.yaml",
        cfnTargetGroup(30, 2, CFN_STICKY_ON),
        cfnTargetGroup(30, 2, "        - Key: stickiness.enabled\n          Value: 'false'"),
      ] as const,
      ["lb.stickiness.disabled:high"],
    ],
    [
      "CloudFormation stickiness attributes reordered",
      [
        "t.yaml",
        cfnTargetGroup(30, 2, CFN_STICKY_ON),
        cfnTargetGroup(
          30,
          2,
          "        - Key: stickiness.lb_cookie.duration_seconds\n          Value: '28800'\n        - Key: stickiness.enabled\n          Value: 'true'",
        ),
      ] as const,
      [],
    ],
  ])("%s", (_name, [path, before, after], expected) => {
    expect(fired(path, before, after)).toEqual(expected);
  });
});

describe("the stickiness rules on Azure load-balancing rules and GCP backend services", () => {
  const azure = (before: string, after: string) =>
    ["lb.tf", lbRule(before), lbRule(after)] as const;
  const distribution = (mode: string) => `  load_distribution = ${mode}`;

  it.each([
    ["Azure: set", azure("", distribution('"SourceIP"')), ["lb.stickiness.changed:medium"]],
    [
      "Azure: changed",
      azure(distribution('"SourceIP"'), distribution('"SourceIPProtocol"')),
      ["lb.stickiness.changed:high"],
    ],
    [
      "Azure: back to Default",
      azure(distribution('"SourceIP"'), distribution('"Default"')),
      ["lb.stickiness.disabled:high"],
    ],
    ["Azure: a portal alias", azure(distribution('"SourceIP"'), distribution('"Client IP"')), []],
    ["Azure: the portal's None", azure(distribution('"Default"'), distribution('"None"')), []],
    [
      "Azure: an expression",
      azure(distribution('"SourceIP"'), distribution("var.distribution")),
      [],
    ],
    [
      "GCP: an expression",
      [
        "lb.tf",
        service('  session_affinity = "CLIENT_IP"'),
        service("  session_affinity = var.affinity"),
      ] as const,
      [],
    ],
  ])("%s", (_name, [path, before, after], expected) => {
    expect(fired(path, before, after, "lb.stickiness")).toEqual(expected);
  });
});
