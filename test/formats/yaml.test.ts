import { describe, expect, it } from "vitest";
import { parseYaml } from "../../src/formats/yaml.js";
import { at, toPlain } from "../../src/formats/tree.js";

describe("parseYaml", () => {
  it("gives every node the 1-based line of its key", () => {
    const result = parseYaml("a:\n  b: 1\n  c:\n    - x\n    - y\n");
    if (!result.ok) throw new Error("parse failed");
    expect(at(result.tree, "a")?.line).toBe(1);
    expect(at(result.tree, "a", "b")?.line).toBe(2);
    expect(at(result.tree, "a", "c")?.line).toBe(3);
    expect(at(result.tree, "a", "c", "1")?.line).toBe(5);
  });

  it("keeps CloudFormation short tags as their long JSON form", () => {
    const result = parseYaml(
      "Resources:\n  TG:\n    Properties:\n      VpcId: !Ref Vpc\n      Name: !Sub '${AWS::StackName}-tg'\n      Arn: !GetAtt LB.Arn\n      Port: !If [IsProd, 443, 80]\n      Az: !Select [0, !GetAZs '']\n",
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(toPlain(at(result.tree, "Resources", "TG", "Properties")!)).toEqual({
      VpcId: { Ref: "Vpc" },
      Name: { "Fn::Sub": "${AWS::StackName}-tg" },
      Arn: { "Fn::GetAtt": ["LB", "Arn"] },
      Port: { "Fn::If": ["IsProd", 443, 80] },
      Az: { "Fn::Select": [0, { "Fn::GetAZs": "" }] },
    });
  });

  it("turns several documents into a list and skips empty ones", () => {
    const result = parseYaml("---\na: 1\n---\n---\nb: 2\n");
    if (!result.ok) throw new Error("parse failed");
    expect(toPlain(result.tree)).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it("expands anchors and merge keys, explicit keys winning", () => {
    const result = parseYaml("base: &b { x: 1, y: 1 }\nm:\n  <<: *b\n  y: 2\n");
    if (!result.ok) throw new Error("parse failed");
    expect(toPlain(at(result.tree, "m")!)).toEqual({ x: 1, y: 2 });
  });

  it("reports a syntax error with its line instead of throwing", () => {
    const result = parseYaml("a: 1\nb: [1, 2\nc: 3\n");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ code: "parse.failed" });
  });

  it("warns about duplicate keys (tools disagree on which wins)", () => {
    const result = parseYaml("a: 1\nb: 2\na: 3\n");
    expect(result).toMatchObject({ ok: true, warnings: [{ code: "parse.duplicate-key", line: 3 }] });
  });

  it("refuses alias bombs and deep nesting with a problem", () => {
    const lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]`);
    const bomb = parseYaml(lines.join("\n") + "\n");
    expect(bomb).toMatchObject({ ok: false, problems: [{ code: "parse.alias-limit" }] });
    const deep = parseYaml("a: ".repeat(1) + "[".repeat(300) + "]".repeat(300) + "\n");
    expect(deep).toMatchObject({ ok: false, problems: [{ code: "parse.too-deep" }] });
  });

  it("accepts a BOM and CRLF line ends", () => {
    const result = parseYaml("\ufeffa: 1\r\nb: 2\r\n");
    expect(result.ok && toPlain(result.tree)).toEqual({ a: 1, b: 2 });
  });
});
