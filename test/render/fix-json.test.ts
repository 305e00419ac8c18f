import { describe, expect, it } from "vitest";
import { analyze } from "../../src/engine/analyze.js";
import { analysisJson } from "../../src/render/analysis-json.js";
import { findingLines } from "../../src/render/analysis-markdown.js";
import { tg } from "../rules/aws/builders.js";

const CUT = {
  path: "lb.tf",
  before: tg("  deregistration_delay = 300"),
  after: tg("  deregistration_delay = 5"),
};

interface JsonFinding {
  rule: string;
  line: number;
  message: string;
  fix?: { line: number; replacement: string };
}

describe("the JSON contract carries a high finding's fix (docs/output.md)", () => {
  it("a deregistration delay cut: the line with the reviewed value", () => {
    const json = analysisJson(analyze([CUT])) as { findings: JsonFinding[] };
    const finding = json.findings.find(
      (candidate) => candidate.rule === "aws.target-group.deregistration-delay-cut",
    )!;
    expect(finding.message).toMatch(/Safe: keep the deregistration delay at 5 min as before/);
    expect(finding.fix).toEqual({
      line: finding.line,
      replacement: "  deregistration_delay = 300",
    });
    expect(CUT.after.split("\n")[finding.fix!.line - 1]).toBe("  deregistration_delay = 5");
  });

  it("markdown shows the advice once and does not render the fix yet", () => {
    const [finding] = analyze([CUT]).findings.filter((candidate) => candidate.fix);
    const text = findingLines(finding!).join("\n");
    expect(text.match(/Safe:/g)).toHaveLength(1);
    expect(text).not.toContain("deregistration_delay = 300");
  });
});
