import { describe, expect, it } from "vitest";
import { evaluateRollbackPlan } from "../../src/gates/rollback-plan.js";
import { policy } from "./builders.js";

const DEFAULTS = policy();

describe("evaluateRollbackPlan", () => {
  const cases: { name: string; body: string; status: "pass" | "fail"; detail?: string }[] = [
    {
      name: "a plan",
      body: "## Rollback plan\nRevert this PR and apply; takes 2 minutes.\n",
      status: "pass",
      detail: "present (Rollback plan, line 1)",
    },
    {
      name: "the shorter heading, informal, on the same line",
      body: "Summary.\n\nRollback: revert the commit\n",
      status: "pass",
    },
    {
      name: "after a test plan written as labels",
      body: "Test plan:\nOPS-42\nRollback plan:\nterraform apply of the previous tag\n",
      status: "pass",
    },
    {
      name: "no section",
      body: "## Test plan\nOPS-42\n",
      status: "fail",
      detail: 'no "Rollback plan" section in the description (headings: Rollback plan, Rollback)',
    },
    {
      name: "an empty section",
      body: "## Rollback plan\n\n\n## Notes\nrevert\n",
      status: "fail",
      detail: 'the "Rollback plan" section is empty',
    },
    {
      name: "only a comment",
      body: "## Rollback plan\n<!-- How do we undo this? -->\n",
      status: "fail",
      detail: 'the "Rollback plan" section holds only template text (HTML comment)',
    },
    {
      name: "filler words and empty task boxes",
      body: "## Rollback plan\n- [ ] TBD\n- N/A\n- none\n",
      status: "fail",
      detail: 'the "Rollback plan" section holds only template text (TBD, N/A, none)',
    },
    {
      name: "an ellipsis",
      body: "## Rollback plan\n...\n",
      status: "fail",
    },
  ];

  it.each(cases)("$name", ({ body, status, detail }) => {
    const outcome = evaluateRollbackPlan(body, DEFAULTS, true);
    expect(outcome.result.status).toBe(status);
    if (detail) expect(outcome.result.detail).toBe(detail);
    expect(outcome.shortfall).toBe(status === "fail" ? "rollback plan missing" : null);
  });

  it("is not required at lower levels", () => {
    expect(evaluateRollbackPlan("", DEFAULTS, false).result).toMatchObject({
      status: "not-required",
      detail: "not required at this risk",
    });
  });
});
