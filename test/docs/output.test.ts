// docs/output.md shows the JSON of the postmortem example (examples/postmortem/, as `lb.tf`): its
// figures and advice are the ones Changegate prints for that change today.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/engine/analyze.js";
import { analysisJson } from "../../src/render/analysis-json.js";
import { repoRoot } from "../helpers.js";

const doc = readFileSync(join(repoRoot, "docs/output.md"), "utf8");
const example = (name: string) => readFileSync(join(repoRoot, "examples/postmortem", name), "utf8");

interface Json {
  risk: string;
  files: { path: string; changes: object[] }[];
  findings: { rule: string; message: string; fix?: object }[];
}

describe("docs/output.md", () => {
  const shown = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(doc)![1]!) as Json;
  const real = analysisJson(
    analyze([{ path: "lb.tf", before: example("before.tf"), after: example("after.tf") }]),
  ) as Json;

  it("shows the postmortem example's first change and finding as Changegate prints them", () => {
    expect(shown.risk).toBe(real.risk);
    const { changes, ...file } = shown.files[0]!;
    const { changes: realChanges, ...realFile } = real.files[0]!;
    expect(file).toEqual(realFile);
    expect(changes).toEqual([realChanges[0]]);
    expect(shown.findings[0]).toEqual({ ...real.findings[0], checklist: ["..."] });
  });

  it("quotes a real Safe: advice and its fix", () => {
    const finding = real.findings.find((candidate) => candidate.fix)!;
    const fix = finding.fix as { line: number; replacement: string };
    const prose = doc.replace(/\n\s*/g, " ");
    // Without it the quote below would be one character, or none.
    expect(finding.message).toContain("Safe: ");
    const safe = finding.message.slice(finding.message.indexOf("Safe:")).replace(/\.$/, "");
    expect(prose).toContain(`\`${safe}\``);
    expect(prose).toContain(
      `\`{ "line": ${fix.line}, "replacement": ${JSON.stringify(fix.replacement)} }\``,
    );
    expect(prose).toContain(`line ${fix.line} of the new version`);
  });
});
