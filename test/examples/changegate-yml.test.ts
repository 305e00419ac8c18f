// Issue 12, item 20: examples/changegate.yml is a policy the App accepts (the same parser reads
// .github/changegate.yml from the base branch), and its overrides do what its comments say.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY, parsePolicy } from "../../src/config/policy.js";
import { engineSettings } from "../../src/config/settings.js";
import { analyze } from "../../src/engine/analyze.js";
import { example, repoRoot } from "../helpers.js";

const text = readFileSync(join(repoRoot, "examples/changegate.yml"), "utf8");
const result = parsePolicy(text);

describe("examples/changegate.yml", () => {
  it("is a valid policy, with no problem", () => {
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it("sets the main gates and overrides rules, not just the defaults", () => {
    if (!result.ok) throw new Error("invalid policy");
    const { policy } = result;
    expect(policy).not.toEqual(DEFAULT_POLICY);
    expect(policy.requirements.high).toMatchObject({
      approvals: 2,
      teams: ["acme/sre"],
      testPlan: true,
      rollbackPlan: true,
    });
    expect(policy.requirements.critical).toMatchObject({ codeOwners: true, checklist: true });
    expect(Object.keys(policy.rules).length).toBeGreaterThanOrEqual(3);
    expect(policy.custom.map((rule) => rule.id)).toEqual(["custom.payments-timeout"]);
  });

  it("is commented: every block of top-level keys has a comment", () => {
    const lines = text.split("\n");
    const topLevel = lines.flatMap((line, index) => (/^[a-zA-Z_]+:/.test(line) ? [index] : []));
    expect(topLevel.length).toBeGreaterThanOrEqual(6);
    const uncommented = topLevel.filter((index) => {
      let start = index;
      while (start > 0 && lines[start - 1]!.trim() !== "") start--;
      return !lines.slice(start, index).some((line) => line.startsWith("#"));
    });
    expect(uncommented.map((index) => lines[index])).toEqual([]);
  });

  it("rates the postmortem change critical, as its comment on lb.health-check.detection-too-fast says", () => {
    if (!result.ok) throw new Error("invalid policy");
    const inputs = [
      {
        path: "infra/lb.tf",
        before: example("postmortem/before.tf"),
        after: example("postmortem/after.tf"),
      },
    ];
    const withDefaults = analyze(inputs);
    const withExample = analyze(inputs, engineSettings(result.policy));
    const detection = (analysis: typeof withDefaults) =>
      analysis.findings.find((finding) => finding.rule === "lb.health-check.detection-too-fast")
        ?.severity;
    expect(detection(withDefaults)).toBe("high");
    expect(detection(withExample)).toBe("critical");
    expect(withExample.risk).toBe("critical");
  });
});
