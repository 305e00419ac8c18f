import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/gates/evaluate.js";
import type { Evaluation } from "../../src/gates/verdict.js";
import { sharedHeadOutput, type HeadSharer } from "../../src/render/check-run.js";
import { PLANS, review, snapshot } from "../gates/builders.js";

// One head, several open pull requests, one `Changegate` check: the strictest verdict of those
// whose base requires the check (docs/security.md).

const passing = evaluate(
  snapshot({ pull: { body: PLANS }, reviews: [review("bob"), review("carol")] }),
);
const failing = evaluate(snapshot({ pull: { body: PLANS } }));

const sharer = (
  number: number,
  baseRef: string,
  evaluation: Evaluation,
  checkRequired: boolean | null,
): HeadSharer => ({
  number,
  baseRef,
  evaluation: { ...evaluation, verdict: { ...evaluation.verdict, checkRequired } },
});

describe("sharedHeadOutput", () => {
  it("fails when a pull request into a base that requires the check fails, naming it", () => {
    const output = sharedHeadOutput([
      sharer(7, "release", failing, true),
      sharer(3, "main", passing, true),
    ]);
    expect(output.conclusion).toBe("failure");
    expect(output.title).toBe("#7 into release: High risk — 0 of 2 approvals");
  });

  it("gives the same output whichever pull request was evaluated", () => {
    const a = sharer(3, "main", passing, true);
    const b = sharer(7, "release", failing, null);
    expect(sharedHeadOutput([a, b])).toEqual(sharedHeadOutput([b, a]));
    // A base whose requirement is unknown gates: fail closed.
    expect(sharedHeadOutput([a, b]).conclusion).toBe("failure");
  });

  it("a failure into a base that does not require the check holds nothing, and is not the title of the green check", () => {
    const output = sharedHeadOutput([
      sharer(3, "sandbox", failing, false),
      sharer(7, "main", passing, true),
    ]);
    expect(output.conclusion).toBe("success");
    expect(output.title).toBe("#7 into main: High risk — all requirements met");
    expect(output.summary).toContain(
      "- ❌ #3 into `sandbox` (its base does not require the check): High risk — 0 of 2 approvals",
    );
  });
});
