import { describe, expect, it } from "vitest";
import { analyze, analyzeFile } from "../../src/engine/analyze.js";
import { DEFAULT_SETTINGS } from "../../src/engine/settings.js";
import { parseSource } from "../../src/formats/index.js";
import type { Format } from "../../src/formats/types.js";
import { parsePolicy } from "../../src/config/policy.js";

// Hostile and broken input: each case ends in a finding or a clear problem, never a throw or a hang.
// (Tests never assert wall-clock time; bench/ measures it.)

const findingsOf = (path: string, after: string, before: string | null = null) =>
  analyzeFile({ path, before, after }).findings.map(
    (finding) => `${finding.rule}:${finding.severity}`,
  );

describe("bounded work on hostile input", () => {
  it("refuses a YAML billion laughs with parse.alias-limit", () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `${"abcdefghij"[i]}: &${"abcdefghij"[i]} [${Array(9)
          .fill(`*${"abcdefghij"[i - 1]}`)
          .join(",")}]`,
      );
    const parsed = parseSource("yaml", lines.join("\n") + "\n");
    expect(parsed).toMatchObject({ ok: false, problems: [{ code: "parse.alias-limit" }] });
    expect(findingsOf("deploy.yaml", lines.join("\n") + "\n")).toEqual(["parse.failed:high"]);
  });

  it.each<[Format, string]>([
    ["yaml", "a: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n"],
    ["json", "[".repeat(10_000) + "]".repeat(10_000)],
    ["hcl", "a = " + "[".repeat(10_000) + "]".repeat(10_000) + "\n"],
    ["toml", "a = " + "[".repeat(10_000) + "]".repeat(10_000) + "\n"],
    ["nginx", "http {\n".repeat(10_000) + "}\n".repeat(10_000)],
  ])("refuses 10,000-deep nesting in %s with a problem, not a stack overflow", (format, source) => {
    const parsed = parseSource(format, source);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(["parse.too-deep", "parse.failed"]).toContain(parsed.problems[0]!.code);
  });

  it("refuses a 50 MB file with file.too-large before parsing it", () => {
    const big = "a: 1\n".repeat(10 * 1024 * 1024);
    const file = analyzeFile({ path: "big.yaml", before: null, after: big });
    expect(file.findings).toMatchObject([{ rule: "file.too-large", severity: "high" }]);
    expect(file.changes).toEqual([]);
  });

  it("stops at the per-evaluation budget and says which files were not analyzed", () => {
    const file = (i: number) => ({
      path: `k8s/${i}.yaml`,
      before: null,
      after: `apiVersion: v1\nkind: Service\nmetadata: { name: s${i} }\n${"# pad\n".repeat(200)}`,
    });
    const analysis = analyze([file(1), file(2), file(3)], {
      ...DEFAULT_SETTINGS,
      maxTotalBytes: 1500,
    });
    expect(analysis.files.map((f) => f.findings.map((finding) => finding.rule))).toEqual([
      [],
      ["evaluation.budget"],
      ["evaluation.budget"],
    ]);
    expect(analysis.risk).toBe("high");
  });

  it("reports binary content and invalid UTF-8", () => {
    expect(findingsOf("lb.tf", "a = 1\u0000\u0001\n")).toEqual(["file.encoding:high"]);
    expect(findingsOf("lb.tf", 'a = "caf\uFFFD"\n', 'a = "cafe"\n')).toEqual([
      "file.encoding:medium",
    ]);
  });

  it("accepts a BOM and CRLF line ends in every format", () => {
    const cases: [Format, string][] = [
      ["yaml", "a: 1\r\nb: 2\r\n"],
      ["json", '{"a": 1,\r\n"b": 2}\r\n'],
      ["hcl", "a = 1\r\nb = 2\r\n"],
      ["toml", "a = 1\r\nb = 2\r\n"],
      ["nginx", "worker_processes 1;\r\nevents {\r\n}\r\n"],
      ["haproxy", "global\r\n  maxconn 100\r\n"],
    ];
    for (const [format, source] of cases)
      expect(parseSource(format, `\ufeff${source}`).ok, format).toBe(true);
  });

  it("reports tabs where YAML forbids them with the line", () => {
    expect(parseSource("yaml", "a:\n\tb: 1\n")).toMatchObject({
      ok: false,
      problems: [{ code: "parse.failed", line: 2 }],
    });
  });
});

describe("ambiguous configuration is a finding", () => {
  it.each([
    [
      "deploy.yaml",
      "apiVersion: v1\nkind: Service\nmetadata: { name: a }\nspec:\n  sessionAffinity: None\n  sessionAffinity: ClientIP\n",
    ],
    [
      "template.json",
      '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}, "Resources": {}}',
    ],
  ])("duplicate keys in %s", (path, text) => {
    expect(findingsOf(path, text, null)).toContain("parse.duplicate-key:medium");
  });
});

describe("regular expressions from the policy", () => {
  it("refuses patterns that can backtrack catastrophically, with the line", () => {
    const result = parsePolicy('testPlan:\n  trackerKeyPattern: "([A-Z]+)+-\\\\d+"\n');
    expect(result).toMatchObject({
      ok: false,
      problems: [{ path: "testPlan.trackerKeyPattern", line: 2 }],
    });
  });
});
