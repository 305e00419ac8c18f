// Real histories from the shared corpus: none of its changes reorders first-match rules, so no
// evaluation-order finding may fire on them; swapping two rules of a real HAProxy file must. Skips when the
// corpus is absent.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeFile, type FileInput } from "../../src/engine/analyze.js";
import { corpusDir, hasCorpus } from "../helpers.js";

const FORMATS = ["nginx", "haproxy", "envoy", "kubernetes", "traefik"];

function changes(): FileInput[] {
  const inputs: FileInput[] = [];
  for (const format of FORMATS) {
    const dir = join(corpusDir, format);
    if (!existsSync(dir)) continue;
    for (const folder of readdirSync(dir)) {
      const metaPath = join(dir, folder, "meta.json");
      if (!existsSync(metaPath)) continue;
      const files = readdirSync(join(dir, folder));
      const after = files.find((name) => name.startsWith("after."));
      const before = files.find((name) => name.startsWith("before."));
      if (!after) continue;
      const meta = JSON.parse(readFileSync(metaPath, "utf8")) as { path: string };
      inputs.push({
        path: meta.path,
        before: before ? readFileSync(join(dir, folder, before), "utf8") : null,
        after: readFileSync(join(dir, folder, after), "utf8"),
      });
    }
  }
  return inputs;
}

describe.skipIf(!hasCorpus)("ordered lists on the shared corpus", () => {
  const inputs = hasCorpus ? changes() : [];

  it("raises no evaluation-order finding on real changes", () => {
    expect(inputs.length).toBeGreaterThan(100);
    const findings = inputs.flatMap((input) =>
      analyzeFile(input).findings.filter((finding) =>
        finding.rule.endsWith(".evaluation-order.changed"),
      ),
    );
    expect(findings.map((finding) => `${finding.file}: ${finding.message}`)).toEqual([]);
  });

  it("finds two adjacent rules swapped in each real HAProxy file that has them", () => {
    const RULE = /^\s*(http-request|use_backend|tcp-request content|http-response)\s/;
    let swapped = 0;
    for (const input of inputs.filter((candidate) => /haproxy|\.cfg$/.test(candidate.path))) {
      const lines = input.after!.split("\n");
      const at = lines.findIndex(
        (line, index) =>
          RULE.test(line) &&
          RULE.exec(line)![1] === RULE.exec(lines[index + 1] ?? "")?.[1] &&
          line.trim() !== lines[index + 1]!.trim(),
      );
      if (at < 0) continue;
      const reordered = [...lines];
      [reordered[at], reordered[at + 1]] = [lines[at + 1]!, lines[at]!];
      const found = analyzeFile({
        ...input,
        before: input.after,
        after: reordered.join("\n"),
      }).findings.filter((finding) => finding.rule === "haproxy.evaluation-order.changed");
      expect(
        found.map((finding) => finding.line),
        input.path,
      ).toEqual([at + 1]);
      swapped++;
    }
    expect(swapped).toBeGreaterThan(0);
  });
});
