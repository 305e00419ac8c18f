import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/engine/analyze.js";
import { engineSettings } from "../../src/config/settings.js";
import { DEFAULT_POLICY } from "../../src/config/policy.js";
import { analysisMarkdown } from "../../src/render/analysis-markdown.js";

const example = (side: string): string =>
  readFileSync(new URL(`../../examples/postmortem/${side}.tf`, import.meta.url), "utf8");

describe("the analysis markdown counts in words", () => {
  it("says '1 file' and 'N findings', never 'file(s)'", () => {
    const analysis = analyze(
      [{ path: "lb.tf", before: example("before"), after: example("after") }],
      engineSettings(DEFAULT_POLICY),
    );
    const text = analysisMarkdown(analysis);
    expect(text).toContain(`${analysis.findings.length} findings in 1 file.`);
    expect(text).not.toMatch(/\(s\)/);
  });
});
