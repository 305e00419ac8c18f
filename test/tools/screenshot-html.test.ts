import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/gates/evaluate.js";
import { checkRunOutput } from "../../src/render/check-run.js";
import { commentBody } from "../../src/render/comment.js";
import { checkRunPage, commentPage, githubMarkdown } from "../../scripts/screenshot-html.js";
import { AFTER_TF, editTf, lbFile, review, snapshot } from "../gates/builders.js";

// The pages `npm run screenshot` hands to Chromium, built from the current renderers' markdown
// (no browser needed): what the README's pictures show is what the App writes.

/** The text a browser shows for `html`: tags removed, the entities markdown-it writes decoded. */
const shownText = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/, "")
    .replace(/<[^>]*>/g, "")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** The postmortem change approved by bob (a reviews table), and the same with stickiness off. */
const evaluations = {
  postmortem: evaluate(snapshot({ reviews: [review("bob")] })),
  "stickiness off": evaluate(
    snapshot({
      reviews: [review("bob")],
      files: [
        lbFile({
          after: editTf(AFTER_TF, { "enabled         = true": "enabled         = false" }),
        }),
      ],
    }),
  ),
};

describe.each(Object.entries(evaluations))("the screenshot pages of %s", (_, evaluation) => {
  const comment = commentPage(commentBody({ evaluation, state: { ticks: [] } }));
  const output = checkRunOutput(evaluation);
  const run = checkRunPage({
    name: "Changegate",
    conclusion: output.conclusion,
    title: output.title,
    summary: output.summary,
    text: output.text ?? "",
  });

  it("are whole HTML pages with our stylesheet", () => {
    for (const html of [comment, run]) {
      expect(html).toMatch(/^<!doctype html>/);
      expect(html).toContain('<meta charset="utf-8">');
      expect(html).toContain(".markdown code {");
    }
  });

  it("render the markdown: no raw markers, comments or escapes left", () => {
    for (const html of [comment, run]) {
      const text = shownText(html);
      expect(html).not.toContain("<!--");
      expect(text).not.toContain("**");
      expect(text).not.toMatch(/\\[_*`]/);
      expect(html).toContain("<li>");
      expect(html).toContain("<strong>");
    }
  });

  it("show every finding with its rule id as code", () => {
    expect(evaluation.analysis.findings.length).toBeGreaterThan(0);
    for (const html of [comment, run]) {
      for (const finding of evaluation.analysis.findings) {
        expect(html).toContain(`<code>${finding.rule}</code>, line ${finding.line}`);
        expect(shownText(html)).toContain(finding.message);
      }
    }
  });

  it("show the comment's checklist as checkboxes and its details folded, like GitHub", () => {
    expect(comment).toContain('<li class="task"><input type="checkbox" disabled> Confirm');
    expect(comment).toMatch(/<details><summary>Reviews and why they count<\/summary>/);
    expect(comment).toMatch(/<table>[\s\S]*<th>reviewer<\/th>/);
  });

  it("head the check run with its conclusion and title", () => {
    expect(run).toContain('<span class="status failure">');
    expect(run).toContain(`<h1 class="check-title">${output.title}</h1>`);
  });
});

describe("githubMarkdown", () => {
  it("drops HTML comments and shows ticked and unticked task items", () => {
    expect(githubMarkdown("<!-- changegate:sticky -->\n- [x] done\n- [ ] to do\n")).toBe(
      [
        "<ul>",
        '<li class="task"><input type="checkbox" disabled checked> done</li>',
        '<li class="task"><input type="checkbox" disabled> to do</li>',
        "</ul>",
        "",
      ].join("\n"),
    );
  });
});
