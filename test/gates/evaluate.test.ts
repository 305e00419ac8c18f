import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/gates/evaluate.js";
import type { PullSnapshot } from "../../src/gates/snapshot.js";
import { buildTitle } from "../../src/gates/title.js";
import {
  AFTER_TF,
  BEFORE_TF,
  bindingOf,
  body,
  labeled,
  lbFile,
  PLANS,
  review,
  snapshot,
  tick,
  type SnapshotOverrides,
} from "./builders.js";

const APPROVED: SnapshotOverrides = {
  pull: { body: PLANS },
  reviews: [review("bob"), review("carol")],
};

/** The postmortem change made critical, with teams, code owners and the checklist required. */
const STRICT_POLICY = [
  "rules:",
  "  lb.stickiness.duration-cut: { severity: critical }",
  "requirements:",
  '  critical: { teams: ["acme/sre"], codeOwners: true }',
  "",
].join("\n");

describe("evaluate", () => {
  const cases: {
    name: string;
    overrides: SnapshotOverrides;
    conclusion: "success" | "failure";
    title: string;
  }[] = [
    {
      name: "the postmortem change with no reviews",
      overrides: {},
      conclusion: "failure",
      title: "High risk — 0 of 2 approvals, test plan missing, rollback plan missing",
    },
    {
      name: "the postmortem change reviewed, tested, with a way back",
      overrides: APPROVED,
      conclusion: "success",
      title: "High risk — all requirements met",
    },
    {
      name: "a draft is evaluated like any pull request",
      overrides: { pull: { draft: true } },
      conclusion: "failure",
      title: "Draft: High risk — 0 of 2 approvals, test plan missing, rollback plan missing",
    },
    {
      name: "one approval and a test plan without a link",
      overrides: {
        pull: { body: body({ testPlan: "ran it locally", rollbackPlan: "revert" }) },
        reviews: [review("bob")],
      },
      conclusion: "failure",
      title: "High risk — 1 of 2 approvals, test plan has no link",
    },
    {
      name: "a writer requests changes",
      overrides: {
        ...APPROVED,
        reviews: [review("bob"), review("carol"), review("erin", "CHANGES_REQUESTED")],
      },
      conclusion: "failure",
      title: "High risk — changes requested by @erin",
    },
    {
      name: "no infrastructure file changed",
      overrides: { files: [], otherFiles: ["README.md"] },
      conclusion: "success",
      title: "No infrastructure risk",
    },
    {
      name: "an infrastructure file only reformatted",
      overrides: {
        files: [lbFile({ before: AFTER_TF, after: AFTER_TF.replace(/ {2,}= /g, " = ") })],
      },
      conclusion: "success",
      title: "No infrastructure risk",
    },
    {
      name: "an emergency override by a maintainer",
      overrides: {
        pull: { labels: ["changegate:emergency"] },
        labelEvents: [labeled("dave", "maintain")],
        emergencyBinding: bindingOf("dave"),
      },
      conclusion: "success",
      title: "Emergency override by @dave — high risk, gates bypassed",
    },
    {
      name: "an emergency label applied by a writer",
      overrides: {
        pull: { labels: ["changegate:emergency"] },
        labelEvents: [labeled("eve", "write")],
      },
      conclusion: "failure",
      title:
        "High risk — 0 of 2 approvals, test plan missing, rollback plan missing, emergency label not accepted",
    },
    {
      name: "an emergency label applied by a writer when everything else passes",
      overrides: {
        ...APPROVED,
        pull: { body: PLANS, labels: ["changegate:emergency"] },
        labelEvents: [labeled("eve", "write")],
      },
      conclusion: "success",
      title: "High risk — all requirements met",
    },
    {
      name: "a policy that asks less of high risk",
      overrides: {
        policy: "requirements:\n  high: { approvals: 1, testPlan: false, rollbackPlan: false }\n",
        reviews: [review("bob")],
      },
      conclusion: "success",
      title: "High risk — all requirements met",
    },
    {
      name: "critical risk with teams, code owners and the checklist, none satisfied",
      overrides: {
        ...APPROVED,
        policy: STRICT_POLICY,
        teams: { "acme/sre": ["carol"] },
        codeowners: "*.tf @acme/sre\n",
        reviews: [review("bob")],
      },
      conclusion: "failure",
      title:
        "Critical risk — 1 of 2 approvals, no approval from @acme/sre, code-owner approval missing, checklist 0 of 3 ticked",
    },
  ];

  it.each(cases)("$name", ({ overrides, conclusion, title }) => {
    const { verdict } = evaluate(snapshot(overrides));
    expect(verdict.error).toBeUndefined();
    expect(verdict.title).toBe(title);
    expect(verdict.conclusion).toBe(conclusion);
  });

  it("passes critical risk when every gate is met", () => {
    const strict = snapshot({
      ...APPROVED,
      policy: STRICT_POLICY,
      teams: { "acme/sre": ["carol"] },
      codeowners: "*.tf @acme/sre\n",
    });
    const items = evaluate(strict).verdict.checklist.map((item) => item.item);
    const { verdict } = evaluate({ ...strict, checklist: items.map((item) => tick(item, "bob")) });
    expect(verdict.title).toBe("Critical risk — all requirements met");
    expect(verdict.gates.map((gate) => [gate.gate, gate.status])).toEqual([
      ["approvals", "pass"],
      ["teams", "pass"],
      ["codeOwners", "pass"],
      ["testPlan", "pass"],
      ["rollbackPlan", "pass"],
      ["checklist", "pass"],
      ["emergency", "not-required"],
    ]);
  });

  it("explains every reviewer and the links it found", () => {
    const { verdict } = evaluate(
      snapshot({
        ...APPROVED,
        reviews: [
          review("alice"),
          review("bob"),
          review("rita", "APPROVED", { permission: "read" }),
        ],
      }),
    );
    expect(
      verdict.approvals.map((approval) => [approval.user, approval.counted, approval.reason]),
    ).toEqual([
      ["alice", false, "author of the pull request"],
      ["bob", true, "counted"],
      ["rita", false, "no write access (read)"],
    ]);
    expect(verdict.gates[0]).toMatchObject({
      gate: "approvals",
      status: "fail",
      detail: "1 of 2 approvals (@bob); 1 missing",
    });
    expect(verdict.testPlanLinks).toEqual(["https://ci.acme.dev/runs/4711"]);
    expect(verdict.requirement).toMatchObject({ approvals: 2, testPlan: true, rollbackPlan: true });
  });

  it("names the emergency override", () => {
    const { verdict } = evaluate(
      snapshot({
        pull: { labels: ["changegate:emergency"] },
        labelEvents: [labeled("dave", "admin")],
        emergencyBinding: bindingOf("dave"),
      }),
    );
    expect(verdict.emergency).toEqual({
      label: "changegate:emergency",
      by: "dave",
      permission: "admin",
      accepted: true,
    });
    expect(verdict.gates.find((gate) => gate.gate === "emergency")).toMatchObject({
      status: "pass",
    });
  });

  it("requires nothing at risk none", () => {
    const { verdict } = evaluate(snapshot({ files: [] }));
    expect(verdict.requirement).toBeNull();
    expect(verdict.gates.every((gate) => gate.status === "not-required")).toBe(true);
  });
});

describe("an invalid policy fails closed", () => {
  const cases: { name: string; policy: string; message: string }[] = [
    {
      name: "a value of the wrong type names the key and the line",
      policy: "# tuned for the LB team\nrequirements:\n  high:\n    approvals: many\n",
      message:
        '.github/changegate.yml line 4: requirements.high.approvals: expected a whole number from 0 to 20, got "many"',
    },
    {
      name: "an unknown key",
      policy: "approvals:\n  invalidateOn: infra-change\n  quorum: 3\n",
      message:
        ".github/changegate.yml line 3: approvals.quorum: unknown key (the keys here are invalidateOn, allowContributors)",
    },
    {
      name: "a YAML syntax error",
      policy: "requirements:\n  high: [\n",
      message: ".github/changegate.yml line 3:",
    },
  ];

  it.each(cases)("$name", ({ policy, message }) => {
    const { verdict, analysis } = evaluate(snapshot({ ...APPROVED, policy }));
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.error?.code).toBe("policy.invalid");
    expect(verdict.error?.message.startsWith(message)).toBe(true);
    expect(verdict.title).toBe(`Policy file invalid — ${verdict.error!.message}`);
    expect(analysis.risk).toBe("high"); // the change is still analyzed, under the defaults
  });

  it("uses the snapshot's policy path in the message", () => {
    const { verdict } = evaluate(
      snapshot({ policy: "approvals: 2\n", policyPath: ".github/changegate.yaml" }),
    );
    expect(verdict.error?.message).toMatch(/^\.github\/changegate\.yaml line 1: approvals: /);
  });
});

describe("an evaluation that breaks fails closed", () => {
  it("returns evaluation.failed instead of throwing", () => {
    const broken = { ...snapshot(), reviews: null } as unknown as PullSnapshot;
    const { verdict } = evaluate(broken);
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.error?.code).toBe("evaluation.failed");
    expect(verdict.title).toMatch(
      /^Evaluation failed — Changegate could not evaluate this pull request/,
    );
  });
});

describe("policyChanged and checkRequired", () => {
  it("notices the policy file among the changed files", () => {
    const policyFile = {
      path: ".github/changegate.yml",
      status: "modified" as const,
      before: "approvals: {}\n",
      after: "{}\n",
    };
    expect(evaluate(snapshot()).verdict.policyChanged).toBe(false);
    expect(evaluate(snapshot({ files: [lbFile(), policyFile] })).verdict.policyChanged).toBe(true);
    expect(
      evaluate(snapshot({ otherFiles: [".github/changegate.yaml"] })).verdict.policyChanged,
    ).toBe(true);
  });

  it("reports whether the base branch requires the check", () => {
    expect(evaluate(snapshot({ requiredChecks: ["Changegate", "ci"] })).verdict.checkRequired).toBe(
      true,
    );
    expect(evaluate(snapshot({ requiredChecks: ["ci"] })).verdict.checkRequired).toBe(false);
    expect(evaluate(snapshot({ requiredChecks: null })).verdict.checkRequired).toBeNull();
    expect(evaluate({ ...snapshot(), requiredChecks: undefined }).verdict.checkRequired).toBeNull();
  });
});

describe("buildTitle", () => {
  it("puts the draft prefix before everything", () => {
    expect(buildTitle({ risk: "low", draft: true, shortfalls: [] })).toBe(
      "Draft: Low risk — all requirements met",
    );
    expect(
      buildTitle({
        risk: "medium",
        draft: true,
        shortfalls: [],
        error: { code: "policy.invalid", message: "x" },
      }),
    ).toBe("Draft: Policy file invalid — x");
  });
});

it("keeps the postmortem example files as the builders' default", () => {
  expect(snapshot().files[0]).toMatchObject({ before: BEFORE_TF, after: AFTER_TF });
});

describe("the engine's part of an evaluation", () => {
  it("is worked out once when the same pull request is evaluated again with other recorded state", () => {
    const pull = snapshot(APPROVED);
    const first = evaluate(pull);
    const ticked = evaluate({ ...pull, checklist: [tick("Stickiness", "bob")] });
    expect(ticked.analysis).toBe(first.analysis);
  });

  it("is worked out again for another policy, other files or other revisions", () => {
    const pull = snapshot(APPROVED);
    const first = evaluate(pull);
    const strict = evaluate({ ...pull, policy: STRICT_POLICY });
    expect(strict.analysis).not.toBe(first.analysis);
    expect(strict.analysis.risk).toBe("critical");
    expect(evaluate({ ...pull, files: [...pull.files] }).analysis).not.toBe(first.analysis);
    expect(evaluate({ ...pull, revisions: {} }).analysis).not.toBe(first.analysis);
  });
});
