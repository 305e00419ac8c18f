import { describe, expect, it } from "vitest";
import { analyze, analyzeFile } from "../../src/engine/analyze.js";

// docs/risk.md: "A file that cannot be parsed is itself a high finding … When the file was equally
// broken before the change, the change did not break it, and the finding is medium" (not low: the
// change is unjudged, so a reviewer reads it).
const broken = (timeout: string, above = "") =>
  `${above}service:\n  name: api\n\tbroken: true\n  timeout: ${timeout}\n`;

function parseFindings(before: string | null, after: string | null, path = "svc.yaml") {
  const file = analyzeFile({ path, before, after });
  return { file, failed: file.findings.filter((finding) => finding.rule === "parse.failed") };
}

describe("parse failures", () => {
  it("rates a head broken exactly as its base was at medium, and leaves the file unread", () => {
    const { file, failed } = parseFindings(broken("30s"), broken("5s"));
    expect(failed).toMatchObject([{ severity: "medium", line: 3 }]);
    expect(failed[0]!.message).toMatch(/was already unparsable before this change/);
    expect(file.unread).toBe(true);
    expect(analyze([{ path: "svc.yaml", before: broken("30s"), after: broken("5s") }]).risk).toBe(
      "medium",
    );
  });

  it("follows the same failure when lines above it moved", () => {
    const { failed } = parseFindings(broken("30s"), broken("30s", "# owner: team-a\n# tier: 1\n"));
    expect(failed).toMatchObject([{ severity: "medium", line: 5 }]);
  });

  it("rates high a head broken where its base was not, or broken in one more place", () => {
    expect(parseFindings("a: 1\n", "a: 1\n\tb: 2\n").failed).toMatchObject([
      { severity: "high", line: 2 },
    ]);
    // Still broken at line 3, and newly broken on another line: the change broke something.
    const twice = `service:\n  name: api\n\tbroken: true\n  timeout: 5s\nother: [1,\nz: 2\n`;
    expect(parseFindings(broken("30s"), twice).failed).toMatchObject([
      { severity: "medium", line: 3 },
      { severity: "high", line: 3 },
    ]);
    // The same kind of failure on another line is a new failure, not the old one.
    const moved = `service:\n  name: api\n  broken: true\n\ttimeout: 30s\n`;
    expect(parseFindings(broken("30s"), moved).failed).toMatchObject([
      { severity: "medium", line: 3 },
      { severity: "high", line: 4 },
    ]);
  });

  it("keeps a base that does not parse under a head that does at medium", () => {
    expect(parseFindings(broken("30s"), "service:\n  name: api\n").failed).toMatchObject([
      { severity: "medium", line: 3 },
    ]);
  });

  it("reports one finding per file for a head with many problems, counting the others", () => {
    const many = Array.from({ length: 200 }, (_, i) => `key${i}: "open\n`).join("");
    const { failed } = parseFindings("a: 1\n", many);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ severity: "high", line: 1 });
    expect(failed[0]!.message).toMatch(/line 1: .*, and \d+ more problems\)/);
  });

  it("reports one finding a side when both sides fail and the head anew", () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => `key${i}: "open\n`).join("");
    const { failed } = parseFindings(many(100), many(120));
    expect(failed).toMatchObject([
      { severity: "medium", line: 1 },
      { severity: "high", line: 1 },
    ]);
    expect(failed[0]!.message).toMatch(/^The base version/);
  });

  it("keeps high a head Changegate cannot read whole, even when its base could not either", () => {
    const deep = (leaf: string) => "[".repeat(300) + leaf + "]".repeat(300);
    const { file, failed } = parseFindings(deep("1"), deep("2"), "deep.json");
    expect(failed.map((finding) => finding.severity)).toEqual(["medium", "high"]);
    expect(file.unread).toBe(true);
  });
});
