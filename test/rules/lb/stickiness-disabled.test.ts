import stickinessDisabled from "../../../src/rules/lb/stickiness-disabled.js";
import { lbRule } from "../azure/builders.js";
import { describe, expect, it } from "vitest";
import { findingsOf, ruleTable } from "../rule-table.js";
import { CFN_STICKY_ON, cfnTargetGroup, sticky, targetGroup } from "./builders.js";

ruleTable(stickinessDisabled, {
  wholeAnalysis: true,
  path: "lb.tf",
  cases: [
    {
      name: "disabled",
      before: targetGroup("interval = 30", sticky('type = "lb_cookie"\ncookie_duration = 3600')),
      after: targetGroup("interval = 30", sticky('type = "lb_cookie"\nenabled = false')),
      expect: [
        {
          severity: "high",
          line: "stickiness {",
          phrase:
            /target group "web" no longer keeps sessions on one target \(was lb_cookie\).*Safe: keep stickiness on: `enabled = true` with type "lb_cookie"/,
        },
      ],
    },
    {
      name: "block removed",
      before: targetGroup("interval = 30", sticky('type = "lb_cookie"')),
      after: targetGroup("interval = 30", ""),
      expect: [
        {
          severity: "high",
          line: 'resource "aws_lb_target_group"',
          phrase: "no longer keeps sessions on one target",
        },
      ],
    },
    {
      name: "CloudFormation TargetGroupAttributes key/value lists",
      path: "t.yaml",
      before: cfnTargetGroup(30, 2, CFN_STICKY_ON),
      after: cfnTargetGroup(30, 2, "        - Key: stickiness.enabled\n          Value: 'false'"),
      expect: [
        {
          severity: "high",
          line: "Value: 'false'",
          phrase:
            /target group TargetGroup no longer keeps sessions on one target.*Safe: keep the attribute `stickiness\.enabled` at 'true'/,
        },
      ],
    },
    {
      name: "an Azure load-balancing rule back to the Default distribution",
      before: lbRule('  load_distribution = "SourceIP"'),
      after: lbRule('  load_distribution = "Default"'),
      expect: [
        {
          severity: "high",
          line: "load_distribution",
          phrase:
            /load balancer rule "web" no longer keeps sessions on one target \(was SourceIP\).*Safe: keep `load_distribution = "SourceIP"`/,
        },
      ],
    },
    {
      name: "another stickiness type is stickiness.changed's",
      before: targetGroup("interval = 30", sticky('type = "lb_cookie"')),
      after: targetGroup("interval = 30", sticky('type = "app_cookie"\ncookie_name = "sid"')),
      expect: [],
      others: ["lb.stickiness.changed:high"],
    },
  ],
});

describe("lb.stickiness.disabled shows what changed", () => {
  const shown = (path: string, before: string, after: string) =>
    findingsOf(stickinessDisabled.id, path, before, after).map((finding) => [
      finding.message,
      finding.before,
      finding.after,
    ]);

  it("a stickiness block turned off keeps its type: the switch is shown, enabled true → false", () => {
    expect(
      shown(
        "lb.tf",
        targetGroup("interval = 30", sticky('type = "lb_cookie"\ncookie_duration = 3600')),
        targetGroup("interval = 30", sticky('type = "lb_cookie"\nenabled = false')),
      ),
    ).toEqual([
      [
        'target group "web" no longer keeps sessions on one target (was lb_cookie): users are re-balanced and lose server-side sessions. Safe: keep stickiness on: `enabled = true` with type "lb_cookie".',
        "enabled true",
        "enabled false",
      ],
    ]);
  });

  it("a stickiness block removed: its type → off", () => {
    expect(
      shown(
        "lb.tf",
        targetGroup("interval = 30", sticky('type = "lb_cookie"')),
        targetGroup("interval = 30", ""),
      ).map(([, before, after]) => [before, after]),
    ).toEqual([["lb_cookie", "off"]]);
  });

  it("a distribution moved to one without affinity: the modes are shown", () => {
    expect(
      shown(
        "lb.tf",
        lbRule('  load_distribution = "SourceIP"'),
        lbRule('  load_distribution = "Default"'),
      ).map(([, before, after]) => [before, after]),
    ).toEqual([["SourceIP", "Default"]]);
  });
});
