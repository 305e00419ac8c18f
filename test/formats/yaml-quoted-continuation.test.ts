import { describe, expect, it, vi } from "vitest";
import { Lexer } from "yaml";
import { analyze } from "../../src/engine/analyze.js";
import { parseYaml } from "../../src/formats/yaml.js";
import { at, toPlain } from "../../src/formats/tree.js";

// kubectl reads manifests with go-yaml, whose quoted-scalar scanner checks no indentation on
// continuation lines (only a document marker at column 0 ends it): a quoted value may go on at its
// key's indentation. Changegate must read such a file as kubectl does, not reject it.
describe("parseYaml: quoted scalars continued at the key's indentation", () => {
  const manifest = (description: string) =>
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  annotations:\n    description: ${description}\n    owner: team-a\nspec:\n  ports:\n    - port: 80\n`;

  it.each([
    ["single-quoted", "'first line\n    continues here'", "first line continues here"],
    ["double-quoted", '"first line\n    continues here"', "first line continues here"],
    ["single-quoted, with a blank line", "'first\n\n    second'", "first\nsecond"],
    ["single-quoted, at column 0", "'first\ncontinues'", "first continues"],
    ["double-quoted, escaped line break", '"first \\\n    continues"', "first continues"],
  ])("reads a %s value as kubectl does", (_name, value, expected) => {
    const result = parseYaml(manifest(value));
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(at(result.tree, "metadata", "annotations", "description")).toMatchObject({
      value: expected,
      line: 6,
    });
    // The lines after the value keep their numbers.
    const blank = value.includes("\n\n") ? 1 : 0;
    expect(at(result.tree, "metadata", "annotations", "owner")?.line).toBe(8 + blank);
    expect(at(result.tree, "spec", "ports", "0", "port")?.line).toBe(11 + blank);
  });

  it("lets the engine judge such a manifest instead of failing it", () => {
    const deployment = (replicas: number) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    description: 'serves the shop\n    front end'\nspec:\n  replicas: ${replicas}\n  selector:\n    matchLabels:\n      app: web\n`;
    const analysis = analyze([
      { path: "k8s/web.yaml", before: deployment(10), after: deployment(1) },
    ]);
    expect(analysis.files[0]).toMatchObject({ dialect: "kubernetes", unread: false });
    expect(analysis.findings.map((finding) => finding.rule)).not.toContain("parse.failed");
    expect(analysis.files[0]!.changes).toMatchObject([{ path: "spec.replicas", afterLine: 9 }]);
  });

  it("reads several such values, in a list item and across documents", () => {
    const result = parseYaml(
      "a:\n  - b: 'x\n    y'\n    c: \"p\n    q\"\n---\nd:\n  e: 'm\n  n'\n  f: 1\n",
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(toPlain(result.tree)).toEqual([
      { a: [{ b: "x y", c: "p q" }] },
      { d: { e: "m n", f: 1 } },
    ]);
  });

  it("costs a valid file nothing: it is lexed once, by its one parse (the retry runs on a quote error only)", () => {
    const lex = vi.spyOn(Lexer.prototype, "lex");
    try {
      expect(parseYaml(manifest("'one line'")).ok).toBe(true);
      expect(lex).toHaveBeenCalledTimes(1);
      lex.mockClear();
      expect(parseYaml("metadata:\n  description: first\n  continues\n").ok).toBe(false);
      expect(lex).toHaveBeenCalledTimes(1);
      lex.mockClear();
      expect(parseYaml(manifest("'first line\n    continues here'")).ok).toBe(true);
      expect(lex.mock.calls.length).toBeGreaterThan(1);
    } finally {
      lex.mockRestore();
    }
  });

  it("still finds duplicate keys, on their own lines, in a file it had to read this way", () => {
    const result = parseYaml("metadata:\n  description: 'first\n  second'\n  name: a\n  name: b\n");
    expect(result).toMatchObject({
      ok: true,
      warnings: [{ code: "parse.duplicate-key", line: 5 }],
    });
  });

  it.each([
    [
      "a plain value continued at the key's indentation",
      "metadata:\n  description: first\n  continues\n  name: x\n",
      3,
      /Implicit keys need to be on a single line/,
    ],
    [
      "a quote never closed",
      "metadata:\n  description: 'first\n  name: x\n",
      4,
      /Missing closing 'quote/,
    ],
    ["a document marker inside the quotes", "a: 'first\n---\nb'\n", 1, /Missing closing 'quote/],
    [
      "a quoted key over two lines",
      "'first\n  key': 1\n",
      1,
      /Implicit keys need to be on a single line/,
    ],
  ])("still rejects %s, with its original problem", (_name, source, line, message) => {
    const result = parseYaml(source);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems[0]).toMatchObject({ line, message: expect.stringMatching(message) });
  });
});
