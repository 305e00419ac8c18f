import { describe, expect, it } from "vitest";
import { analyze } from "../../src/engine/analyze.js";
import { example } from "../helpers.js";

describe("the postmortem change (examples/postmortem)", () => {
  const analysis = analyze([
    {
      path: "lb.tf",
      before: example("postmortem/before.tf"),
      after: example("postmortem/after.tf"),
    },
  ]);
  const byRule = (rule: string) => analysis.findings.filter((finding) => finding.rule === rule);

  it("is high risk", () => {
    expect(analysis.risk).toBe("high");
  });

  it("explains the eject time with both figures, on the interval's line", () => {
    expect(byRule("lb.health-check.detection-too-fast")).toMatchObject([
      {
        severity: "high",
        file: "lb.tf",
        line: 11,
        figures: {
          ejectAfterSecondsBefore: 90,
          ejectAfterSeconds: 10,
          intervalSeconds: 5,
          unhealthyThreshold: 2,
        },
      },
    ]);
    expect(byRule("lb.health-check.detection-too-fast")[0]!.message).toContain(
      "after 10 s instead of 90 s",
    );
  });

  it("keeps the timeout below the interval (4 s < 5 s), a check AWS accepts: no timeout finding", () => {
    expect(byRule("lb.health-check.timeout-not-below-interval")).toEqual([]);
    expect(analysis.findings.map((finding) => finding.rule)).toEqual([
      "lb.health-check.detection-too-fast",
      "lb.stickiness.duration-cut",
    ]);
  });

  it("flags the stickiness cookie cut from 8 h to 60 s", () => {
    expect(byRule("lb.stickiness.duration-cut")).toMatchObject([
      { severity: "high", line: 20, before: 28800, after: 60 },
    ]);
    expect(byRule("lb.stickiness.duration-cut")[0]!.message).toContain("60 s instead of 8 h");
  });

  it("lists the four semantic changes with their lines", () => {
    expect(
      analysis.files[0]!.changes.map((change) => [
        change.path,
        change.before,
        change.after,
        change.afterLine,
      ]),
    ).toEqual([
      ["resource.aws_lb_target_group.webapp.health_check.interval", 30, 5, 11],
      ["resource.aws_lb_target_group.webapp.health_check.timeout", 5, 4, 12],
      ["resource.aws_lb_target_group.webapp.health_check.unhealthy_threshold", 3, 2, 14],
      ["resource.aws_lb_target_group.webapp.stickiness.cookie_duration", 28800, 60, 20],
    ]);
  });

  it("reports nothing for the reverse direction beyond calmer checks (at most medium)", () => {
    const reverse = analyze([
      {
        path: "lb.tf",
        before: example("postmortem/after.tf"),
        after: example("postmortem/before.tf"),
      },
    ]);
    expect(reverse.findings.map((finding) => [finding.rule, finding.severity])).toEqual([
      ["lb.health-check.detection-slowed", "medium"],
    ]);
  });
});
