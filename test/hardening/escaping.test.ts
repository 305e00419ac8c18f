import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/gates/evaluate.js";
import type { PullSnapshot } from "../../src/gates/snapshot.js";
import { checkRunOutput } from "../../src/render/check-run.js";
import { commentBody } from "../../src/render/comment.js";
import { decodeState, STICKY_MARKER } from "../../src/render/comment-state.js";
import { explainBody } from "../../src/render/explain.js";
import { analysisMarkdown } from "../../src/render/analysis-markdown.js";

// Values and file names come from the PR: whatever they hold, the rendered markdown must not ping
// anyone, carry HTML or links, or break the sticky marker and the state block.
const HOSTILE =
  "@everyone <img src=x onerror=alert(1)> [click](https://evil.example) <!-- changegate:sticky --> --> `x` | **b**";
const hostileName = "web@acme/sre<b>x</b>";

const tf = (interval: number) => `resource "aws_lb_target_group" "${hostileName}" {
  name = "${HOSTILE.replace(/"/g, "'")}"
  health_check {
    interval            = ${interval}
    unhealthy_threshold = 3
    path                = "${HOSTILE.replace(/"/g, "'")}"
  }
}
`;

const snapshot: PullSnapshot = {
  repository: "acme/web",
  pull: {
    number: 7,
    author: "alice",
    draft: false,
    body: `## Test plan\n${HOSTILE} OPS-1\n`,
    labels: [],
    baseRef: "main",
    baseSha: "b",
    headSha: "h",
  },
  files: [{ path: `infra/${HOSTILE}.tf`, status: "modified", before: tf(30), after: tf(5) }],
  reviews: [],
  checklist: [{ item: HOSTILE, checkedBy: "bob", permission: "write", headSha: "h" }],
};

/** Text outside code spans (inside them GitHub shows HTML and mentions literally). */
const outsideCode = (markdown: string): string => markdown.replace(/(`+)[\s\S]*?\1/g, "");

function assertSafe(rendered: string): void {
  const markdown = outsideCode(rendered);
  expect(markdown).not.toMatch(/(^|[^\u200b])@everyone/);
  expect(markdown).not.toMatch(/(^|[^\u200b])@acme\/sre/);
  expect(markdown).not.toContain("<img");
  expect(markdown).not.toContain("<b>");
  expect(markdown).not.toContain("](https://evil");
  expect(markdown).not.toContain("https://evil");
}

describe("rendering hostile values", () => {
  const evaluation = evaluate(snapshot);

  it("finds the change despite the hostile names", () => {
    expect(evaluation.analysis.findings.map((finding) => finding.rule)).toContain(
      "lb.health-check.detection-too-fast",
    );
  });

  it("keeps the sticky comment safe and its marker and state intact", () => {
    const state = {
      ticks: [{ item: HOSTILE, checkedBy: "bob", permission: "write" as const, headSha: "h" }],
    };
    const seal = { key: "the App's key", pull: "acme/web#1" };
    const body = commentBody({ evaluation, state, seal });
    assertSafe(body);
    expect(body.split(STICKY_MARKER)).toHaveLength(2);
    expect(body.match(/<!-- changegate:state /g)).toHaveLength(1);
    expect(decodeState(body, seal)).toEqual({ ticks: state.ticks, followUpIssue: null });
  });

  it("keeps the check-run output, the explain reply and the CLI markdown safe", () => {
    const output = checkRunOutput(evaluation);
    assertSafe(output.summary);
    assertSafe(output.text);
    assertSafe(explainBody(evaluation, snapshot).replace(/<details><summary>Snapshot[\s\S]*$/, ""));
    assertSafe(analysisMarkdown(evaluation.analysis));
  });

  it("puts the snapshot attachment in a fence no value can close", () => {
    const body = explainBody(evaluation, {
      ...snapshot,
      pull: { ...snapshot.pull, body: "```\n</details>\n```" },
    });
    const attachment = body.slice(body.indexOf("<details><summary>Snapshot"));
    const fence = /\n(`{3,})json\n/.exec(attachment)![1]!;
    expect(attachment.split(`\n${fence}\n`)).toHaveLength(2);
  });
});
