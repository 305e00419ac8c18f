import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/gates/evaluate.js";
import { commentBody } from "../../src/render/comment.js";
import { applyTickEdit, checklistMarker, shownChangeSet } from "../../src/render/ticks.js";
import { AFTER_TF, editTf, lbFile, PLANS, review, snapshot } from "../gates/builders.js";

// A checklist tick holds for the change its ticker was shown (docs/reviewing.md): a push that
// lands while a reviewer looks at the comment does not receive their tick.

const CHECKLIST = "requirements:\n  high: { checklist: true }\n";
const shown = snapshot({
  policy: CHECKLIST,
  pull: { body: PLANS },
  reviews: [review("bob"), review("carol")],
});
/** The same pull request after a push that changed the infrastructure change. */
const pushed = {
  ...shown,
  files: [
    lbFile({ after: editTf(AFTER_TF, { "interval            = 5": "interval            = 6" }) }),
  ],
};

/** bob ticks every box of the comment rendered for `rendered`, processed while `now` is the PR. */
function tickEverything(rendered: typeof shown, now: typeof shown) {
  const previousBody = commentBody({ evaluation: evaluate(rendered), state: { ticks: [] } });
  const newBody = previousBody.replaceAll("- [ ] ", "- [x] ");
  const current = evaluate(now).verdict;
  const state = applyTickEdit({ ticks: [] }, current.checklist, {
    previousBody,
    newBody,
    sender: "bob",
    permission: "write",
    headSha: now.pull.headSha,
    changeSet: current.changeSet,
  });
  return evaluate({ ...now, checklist: state.ticks }).verdict;
}

describe("checklist ticks and the change they were shown for", () => {
  it("the comment names the change set its checklist was rendered for", () => {
    const { verdict } = evaluate(shown);
    const body = commentBody({ evaluation: evaluate(shown), state: { ticks: [] } });
    expect(body).toContain(checklistMarker(verdict.changeSet!));
    expect(shownChangeSet(body)).toBe(verdict.changeSet);
  });

  it("a tick on the checklist of the change as it is counts", () => {
    expect(tickEverything(shown, shown).conclusion).toBe("success");
  });

  it("a tick on the checklist of an earlier change does not count for the change pushed since", () => {
    const verdict = tickEverything(shown, pushed);
    expect(verdict.checklist.length).toBeGreaterThan(0);
    expect(verdict.checklist.every((item) => !item.checked)).toBe(true);
    expect(verdict.conclusion).toBe("failure");
  });
});
