import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/gates/evaluate.js";
import { checkSnapshot } from "../../src/gates/snapshot-schema.js";
import { checkRunOutput, errorOutput } from "../../src/render/check-run.js";
import { commentBody } from "../../src/render/comment.js";
import { decodeState, encodeState } from "../../src/render/comment-state.js";
import { code, escapeText } from "../../src/render/escape.js";
import { repoRoot } from "../helpers.js";

function fixture(name: string) {
  const checked = checkSnapshot(
    JSON.parse(readFileSync(join(repoRoot, "test/fixtures/snapshots", `${name}.json`), "utf8")),
  );
  if (!checked.ok) throw new Error(checked.message);
  return evaluate(checked.snapshot);
}

describe("check-run output", () => {
  it("renders the blocked postmortem", () => {
    const output = checkRunOutput(fixture("postmortem-blocked"));
    expect(output.conclusion).toBe("failure");
    expect(output.title).toMatchInlineSnapshot(
      `"High risk — 0 of 2 approvals, test plan missing, rollback plan missing"`,
    );
    expect(output.summary).toMatchInlineSnapshot(`
      "**❌ High risk — 0 of 2 approvals, test plan missing, rollback plan missing** (risk: 🟠 high)

      - ❌ **Approvals**: 0 of 2 approvals; 2 missing
      - ➖ **Team approvals**: no team approvals required at this risk
      - ➖ **Code owners**: code-owner approval not required at this risk
      - ❌ **Test plan**: no "Test plan" section in the description (headings: Test plan, Testing)
      - ❌ **Rollback plan**: no "Rollback plan" section in the description (headings: Rollback plan, Rollback)
      - ➖ **Checklist**: not required at this risk (0 of 3 items ticked)
      - ➖ **Emergency override**: no emergency override

      **How to pass:**

      - Get 2 approvals from people with write access who did not author or commit to this pull request: not @​alice (author).
      - Add a \`## Test plan\` section to the description with a link (URL, #123, owner/repo#123 or a tracker key such as OPS-42) to how this change was tested.
      - Add a \`## Rollback plan\` section to the description that says how to undo this change."
    `);
    expect(output.annotations).toMatchInlineSnapshot(`
      [
        {
          "annotation_level": "failure",
          "end_line": 11,
          "message": "target group "webapp" ejects a failing target after 10 s instead of 90 s (5 s × 2, was 30 s × 3): below the 20 s floor, 89% sooner. Safe: keep ejection ≥ 20 s, e.g. interval 7 s × unhealthy threshold 3.",
          "path": "lb.tf",
          "start_line": 11,
          "title": "high: lb.health-check.detection-too-fast",
        },
        {
          "annotation_level": "failure",
          "end_line": 20,
          "message": "target group "webapp" now keeps sessions on one target for 60 s instead of 8 h: a user idle for 60 s is re-routed to a target without their session (the ALB restarts the 60 s on every request). Safe: keep the stickiness duration at 8 h (28800 s), or at least 1 h.",
          "path": "lb.tf",
          "start_line": 20,
          "title": "high: lb.stickiness.duration-cut",
        },
      ]
    `);
  });

  it("fails closed with the reason and how to retry", () => {
    expect(errorOutput("GitHub API answered 502: Bad Gateway")).toMatchInlineSnapshot(`
      {
        "annotations": [],
        "conclusion": "failure",
        "summary": "Changegate failed while evaluating this pull request, so the check fails closed.

      **Reason:** GitHub API answered 502: Bad Gateway

      To retry, comment \`/changegate recheck\` on the pull request or use "Re-run" on this check.",
        "text": "",
        "title": "Changegate could not evaluate this pull request",
      }
    `);
  });
});

describe("sticky comment", () => {
  it("says a policy edit is judged by the base's policy, naming no fixed file (the Action's config may be another)", () => {
    const evaluation = fixture("postmortem-blocked");
    const edited = { ...evaluation, verdict: { ...evaluation.verdict, policyChanged: true } };
    expect(commentBody({ evaluation: edited, state: { ticks: [] } })).toContain(
      "> ℹ️ This pull request edits Changegate's policy file; it is evaluated under the base branch's policy, never its own.",
    );
  });

  it("renders the blocked postmortem", () => {
    const body = commentBody({ evaluation: fixture("postmortem-blocked"), state: { ticks: [] } });
    expect(body).toMatchInlineSnapshot(`
      "<!-- changegate:sticky -->
      ## Changegate

      **❌ High risk — 0 of 2 approvals, test plan missing, rollback plan missing** (risk: 🟠 high)

      ### Findings

      **\`lb.tf\`**

      - **🟠 high** \`lb.health-check.detection-too-fast\`, line 11: target group "webapp" ejects a failing target after 10 s instead of 90 s (5 s × 2, was 30 s × 3): below the 20 s floor, 89% sooner. Safe: keep ejection ≥ 20 s, e.g. interval 7 s × unhealthy threshold 3. (\`90\` → \`10\`)
        - Confirm the health endpoint of target group "webapp" answers well within 4 s at peak load and during deploys.
        - Confirm 10 s of failed checks cannot be caused by a brief pause (GC, dependency blip) on healthy targets.
      - **🟠 high** \`lb.stickiness.duration-cut\`, line 20: target group "webapp" now keeps sessions on one target for 60 s instead of 8 h: a user idle for 60 s is re-routed to a target without their session (the ALB restarts the 60 s on every request). Safe: keep the stickiness duration at 8 h (28800 s), or at least 1 h. (\`28800\` → \`60\`)
        - Confirm sessions survive being moved to another target after 60 s without a request.

      ### Gates

      - ❌ **Approvals**: 0 of 2 approvals; 2 missing
      - ➖ **Team approvals**: no team approvals required at this risk
      - ➖ **Code owners**: code-owner approval not required at this risk
      - ❌ **Test plan**: no "Test plan" section in the description (headings: Test plan, Testing)
      - ❌ **Rollback plan**: no "Rollback plan" section in the description (headings: Rollback plan, Rollback)
      - ➖ **Checklist**: not required at this risk (0 of 3 items ticked)
      - ➖ **Emergency override**: no emergency override

      ### Checklist
      <!-- changegate:checklist 1050574ec2c826c36280a0311f9091205041103377d92fcd0e9f70b5fb5764da -->

      What a reviewer should verify (not required at this risk level).

      - [ ] Confirm the health endpoint of target group "webapp" answers well within 4 s at peak load and during deploys.
      - [ ] Confirm 10 s of failed checks cannot be caused by a brief pause (GC, dependency blip) on healthy targets.
      - [ ] Confirm sessions survive being moved to another target after 60 s without a request.

      **How to pass:**

      - Get 2 approvals from people with write access who did not author or commit to this pull request: not @​alice (author).
      - Add a \`## Test plan\` section to the description with a link (URL, #123, owner/repo#123 or a tracker key such as OPS-42) to how this change was tested.
      - Add a \`## Rollback plan\` section to the description that says how to undo this change.

      <details><summary>Reviews and why they count</summary>

      | reviewer | review | counted |
      |---|---|---|
      | @​alice | APPROVED at h2 | ❌ author of the pull request |
      | @​carol | COMMENTED at h2 | ❌ commented without approving |

      </details>

      <details><summary>Semantic changes</summary>

      **\`lb.tf\`** (hcl, modified)

      - \`resource.aws_lb_target_group.webapp.health_check.interval\`: \`30\` → \`5\` (line 11)
      - \`resource.aws_lb_target_group.webapp.health_check.timeout\`: \`5\` → \`4\` (line 12)
      - \`resource.aws_lb_target_group.webapp.health_check.unhealthy_threshold\`: \`3\` → \`2\` (line 14)
      - \`resource.aws_lb_target_group.webapp.stickiness.cookie_duration\`: \`28800\` → \`60\` (line 20)

      </details>

      <!-- changegate:state eyJ2IjoxLCJ0aWNrcyI6W10sImZvbGxvd1VwSXNzdWUiOm51bGx9 -->
      "
    `);
  });

  it("keeps its state block intact whatever the PR puts in it", () => {
    const state = {
      ticks: [
        { item: "--> <!-- x", checkedBy: "bob", permission: "write" as const, headSha: "abc" },
      ],
      followUpIssue: 7,
    };
    const seal = { key: "the App's key", pull: "acme/web#1" };
    const encoded = encodeState(state, seal);
    expect(encoded).not.toContain("-->x");
    expect(decodeState(`before ${encoded} after`, seal)).toEqual(state);
    expect(decodeState("<!-- changegate:state !!! -->", seal)).toEqual({ ticks: [] });
  });
});

describe("escaping PR-supplied text", () => {
  it.each([
    ["@acme/sre please look", "@\u200bacme/sre please look"],
    ["<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"],
    ["[click](https://evil.example)", "\\[click\\](https:\u200b//evil.example)"],
    ["a | b\nc", "a \\| b c"],
  ])("escapeText(%j)", (input, expected) => {
    expect(escapeText(input)).toBe(expected);
  });

  it("code spans cannot be closed or used to ping", () => {
    expect(code("a`b")).toBe("``a`b``");
    expect(code("@bob")).toBe("`@\u200bbob`");
    expect(code("x --> y")).not.toContain("-->");
  });
});
