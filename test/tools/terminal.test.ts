import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/gates/evaluate.js";
import { checkRunOutput } from "../../src/render/check-run.js";
import { commentBody } from "../../src/render/comment.js";
import { colorDiff, displayWidth, renderTerminal } from "../../tools/demo/terminal.js";
import { AFTER_TF, editTf, lbFile, snapshot } from "../gates/builders.js";

// The demo prints the sticky comment and the check run with tools/demo/terminal.ts: what a reader
// sees on GitHub, as terminal text.

/** The postmortem change, and the same with stickiness turned off (`lb_cookie`: an escaped `_`). */
const evaluations = {
  postmortem: evaluate(snapshot()),
  "stickiness off": evaluate(
    snapshot({
      files: [
        lbFile({
          after: editTf(AFTER_TF, { "enabled         = true": "enabled         = false" }),
        }),
      ],
    }),
  ),
};

const ESC = String.fromCharCode(27);

describe.each(Object.entries(evaluations))("the terminal rendering of %s", (_, evaluation) => {
  const comment = commentBody({ evaluation, state: { ticks: [] } });
  const run = checkRunOutput(evaluation);
  const shown = {
    comment: renderTerminal(comment, { color: false }),
    "check run": renderTerminal([run.summary, run.text ?? ""].join("\n\n"), { color: false }),
  };

  it("starts from markdown that has what the terminal must remove", () => {
    expect(comment).toContain("<!--");
    expect(comment).toMatch(/\*\*|`/);
  });

  it.each(Object.keys(shown))("%s: no HTML comment markers, tags or markdown escapes", (part) => {
    const text = shown[part as keyof typeof shown];
    expect(text).not.toContain("<!--");
    expect(text).not.toContain("-->");
    expect(text).not.toMatch(/<\/?(details|summary|br)\b/);
    expect(text).not.toMatch(/\\[\\`*_{}[\]()#+\-.!|<>]/);
    expect(text).not.toContain("**");
    expect(text).not.toContain("\u200b");
    expect(text).not.toContain(ESC);
  });

  it.each(Object.keys(shown))("%s: keeps every finding line, its code spans plain", (part) => {
    const text = shown[part as keyof typeof shown];
    expect(evaluation.analysis.findings.length).toBeGreaterThan(0);
    for (const finding of evaluation.analysis.findings) {
      expect(text).toContain(`${finding.rule}, line ${finding.line}: ${finding.message}`);
    }
  });

  it("keeps the headings, the bullets and the reviews table", () => {
    expect(shown.comment).toMatch(/^Changegate\n═+\n/);
    expect(shown.comment).toMatch(/\nFindings\n─+\n/);
    expect(shown.comment).toMatch(/\n• ❌ Approvals: 0 of 2 approvals/);
    expect(shown.comment).toContain("▸ Semantic changes");
  });
});

describe("renderTerminal", () => {
  it("shows a markdown escape as the character it escapes", () => {
    const comment = commentBody({
      evaluation: evaluations["stickiness off"],
      state: { ticks: [] },
    });
    expect(comment).toContain("was lb\\_cookie");
    expect(renderTerminal(comment, { color: false })).toContain("was lb_cookie");
  });

  it("lines a table up by what a terminal shows (emoji two columns wide)", () => {
    const text = renderTerminal(
      "| reviewer | counted |\n|---|---|\n| @\u200balice | ❌ author |\n| @bob | ✅ yes |\n",
      { color: false },
    );
    expect(text).toBe(
      [
        "reviewer │ counted",
        // "reviewer" is 8 columns wide, "❌ author" 9 (the emoji takes two).
        `${"─".repeat(8)}─┼─${"─".repeat(9)}`,
        "@alice   │ ❌ author",
        "@bob     │ ✅ yes",
        "",
      ].join("\n"),
    );
  });

  it("styles bold and headings with ANSI only when asked (a TTY)", () => {
    const markdown = "## Gates\n\n- **Approvals**: `0` of 2\n";
    expect(renderTerminal(markdown, { color: false })).toBe(
      "Gates\n═════\n\n• Approvals: 0 of 2\n",
    );
    const colored = renderTerminal(markdown, { color: true });
    expect(colored).toContain(`${ESC}[1mApprovals${ESC}[22m`);
    expect(
      colored
        .split(ESC)
        .join("")
        .replace(/\[\d+m/g, ""),
    ).toBe("Gates\n═════\n\n• Approvals: 0 of 2\n");
  });

  it("nests lists and numbers ordered ones", () => {
    expect(renderTerminal("1. one\n   - a\n2. two\n", { color: false })).toBe(
      "1. one\n   ◦ a\n2. two\n",
    );
  });

  it("shows a link's address beside its text", () => {
    expect(renderTerminal("see [the docs](https://example.org/d)\n", { color: false })).toBe(
      "see the docs <https://example.org/d>\n",
    );
  });
});

describe("colorDiff", () => {
  const diff = "--- a/lb.tf\n+++ b/lb.tf\n@@ -1,2 +1,2 @@\n-  a = 1\n+  a = 2\n   b = 3";

  it("leaves a diff as it is without colour", () => {
    expect(colorDiff(diff, false)).toBe(diff);
  });

  it("colours removed lines red and added lines green", () => {
    const colored = colorDiff(diff, true).split("\n");
    expect(colored[3]).toBe(`${ESC}[31m-  a = 1${ESC}[39m`);
    expect(colored[4]).toBe(`${ESC}[32m+  a = 2${ESC}[39m`);
    expect(colored[5]).toBe("   b = 3");
  });
});

describe("displayWidth", () => {
  it("counts emoji as two columns, zero-width characters and ANSI styles as none", () => {
    expect(displayWidth("🟠 high")).toBe(7);
    expect(displayWidth("@\u200balice")).toBe(6);
    expect(displayWidth(`${ESC}[1mbold${ESC}[22m`)).toBe(4);
  });
});
