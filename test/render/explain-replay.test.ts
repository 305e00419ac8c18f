import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/gates/evaluate.js";
import { checkSnapshot } from "../../src/gates/snapshot-schema.js";
import { explainBody } from "../../src/render/explain.js";
import { STICKY_MARKER } from "../../src/render/comment-state.js";
import { body, lbFile, review, snapshot } from "../gates/builders.js";

// The `/changegate explain` reply attaches the snapshot to replay with `changegate evaluate
// --snapshot` (docs/snapshot.md): what it attaches must parse back to that very snapshot.

/** The JSON in the reply's snapshot block. */
function attached(reply: string): unknown {
  const json = /```+json\n([\s\S]*?)\n```+/.exec(reply)?.[1];
  if (json === undefined) throw new Error("no snapshot block in the reply");
  return JSON.parse(json);
}

describe("the explain reply's snapshot", () => {
  // PR templates and config files are full of HTML comments; one even names the App's marker.
  // Here the only link of the test plan is inside the template's comment: no test plan.
  const pull = snapshot({
    pull: {
      body: `${body({ testPlan: "<!-- link the CI run, e.g. https://ci.acme.dev/runs/1 -->", rollbackPlan: "Revert." })}\n${STICKY_MARKER}\n`,
    },
    files: [lbFile({ after: `${lbFile().after!}\n# <!-- keep --> a -> b\n` })],
    reviews: [review("bob"), review("carol")],
  });

  it("the App finds no test plan in this description", () => {
    expect(evaluate(pull).verdict.title).toBe("High risk — test plan missing");
  });

  it("parses back to the snapshot, HTML comments and arrows included", () => {
    expect(attached(explainBody(evaluate(pull), pull))).toEqual(JSON.parse(JSON.stringify(pull)));
  });

  it("replays to the App's verdict", () => {
    const checked = checkSnapshot(attached(explainBody(evaluate(pull), pull)));
    expect(checked.ok).toBe(true);
    if (checked.ok) expect(evaluate(checked.snapshot).verdict).toEqual(evaluate(pull).verdict);
  });

  it("holds no HTML comment opener, so the reply can never pass for the sticky comment", () => {
    const reply = explainBody(evaluate(pull), pull);
    expect(reply).not.toContain("<!--");
    expect(reply).not.toContain(STICKY_MARKER);
  });
});
