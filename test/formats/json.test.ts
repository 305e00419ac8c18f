import { describe, expect, it } from "vitest";
import { parseJson } from "../../src/formats/json.js";
import { at, toPlain } from "../../src/formats/tree.js";

describe("parseJson", () => {
  it("parses with lines", () => {
    const result = parseJson('{\n  "a": {\n    "b": [1, "x", true, null]\n  },\n  "c": -1.5e2\n}\n');
    if (!result.ok) throw new Error("parse failed");
    expect(toPlain(result.tree)).toEqual({ a: { b: [1, "x", true, null] }, c: -150 });
    expect(at(result.tree, "a", "b")?.line).toBe(3);
    expect(at(result.tree, "c")?.line).toBe(5);
  });

  it("decodes escapes", () => {
    const result = parseJson('{"s": "a\\n\\u0041\\"\\\\"}');
    expect(result.ok && toPlain(result.tree)).toEqual({ s: 'a\nA"\\' });
  });

  it("reports errors with their line", () => {
    expect(parseJson('{\n  "a": 1,\n  "b": \n}\n')).toMatchObject({ ok: false, problems: [{ code: "parse.failed", line: 4 }] });
    expect(parseJson('{"a": "x')).toMatchObject({ ok: false, problems: [{ message: "unterminated string" }] });
    expect(parseJson("[1] 2")).toMatchObject({ ok: false });
  });

  it("warns on duplicate keys and guards depth", () => {
    expect(parseJson('{"a": 1,\n"a": 2}')).toMatchObject({ ok: true, warnings: [{ code: "parse.duplicate-key", line: 2 }] });
    expect(parseJson("[".repeat(10_000) + "]".repeat(10_000))).toMatchObject({ ok: false, problems: [{ code: "parse.too-deep" }] });
  });

  it("treats an empty file as an empty map", () => {
    expect(parseJson("")).toMatchObject({ ok: true, tree: { kind: "map" } });
  });
});
