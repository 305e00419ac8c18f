import { describe, expect, it } from "vitest";
import { engineSettings } from "../../src/config/settings.js";
import { evaluate } from "../../src/gates/evaluate.js";
import type { PullSnapshot, RevisionFile } from "../../src/gates/snapshot.js";
import { changeSet, coverageOf } from "../../src/gates/staleness.js";
import {
  AFTER_TF,
  BEFORE_TF,
  editTf,
  HEAD_SHA,
  lbFile,
  OLD_SHA,
  PLANS,
  policy,
  review,
  revision,
  snapshot,
} from "./builders.js";

/** The postmortem file written differently: aligned otherwise, a comment, blocks reordered. */
const REFORMATTED_AFTER = AFTER_TF.replace(/ {2,}= /g, " = ")
  .replace(
    "# Primary web application behind the public ALB.",
    "# The web app's target group (reformatted).",
  )
  .replace(/\n {4}matcher += "200-299"\n/, '\n    matcher = "200-299" # any 2xx\n');

/** The base branch moved on: an unrelated attribute changed on main, and the PR merged it in. */
const MOVED = { "deregistration_delay = 120": "deregistration_delay = 60" };

const settings = engineSettings(policy());

interface Case {
  readonly name: string;
  readonly invalidateOn?: "infra-change" | "any-push" | "never";
  /** What the approver saw at OLD_SHA (absent: the snapshot has no revision for it). */
  readonly revision?: RevisionFile[];
  readonly overrides?: Partial<PullSnapshot>;
  readonly sha?: string;
  readonly kind: "current" | "stale";
  readonly reason?: string;
}

const cases: Case[] = [
  {
    name: "an approval of the head commit is current",
    sha: HEAD_SHA,
    kind: "current",
  },
  {
    name: "a push that changes what the infrastructure change does makes it stale",
    revision: [
      revision(
        editTf(AFTER_TF, { "interval            = 5": "interval            = 10" }),
        BEFORE_TF,
      ),
    ],
    kind: "stale",
    reason: "approved abc1234; the infrastructure change has changed since",
  },
  {
    name: "a push that reverts one of the reviewed changes makes it stale",
    revision: [revision(AFTER_TF, BEFORE_TF)],
    overrides: {
      files: [
        lbFile({ after: editTf(AFTER_TF, { "cookie_duration = 60": "cookie_duration = 28800" }) }),
      ],
    },
    kind: "stale",
  },
  {
    name: "a docs-only push keeps it (the infrastructure file is as reviewed)",
    revision: [revision(AFTER_TF, BEFORE_TF)],
    overrides: { otherFiles: ["README.md"] },
    kind: "current",
  },
  {
    name: "a reformat of the .tf file keeps it",
    revision: [revision(REFORMATTED_AFTER, BEFORE_TF)],
    kind: "current",
  },
  {
    name: "merging the base branch in keeps it (base and head moved together)",
    revision: [revision(AFTER_TF, BEFORE_TF)],
    overrides: {
      files: [lbFile({ before: editTf(BEFORE_TF, MOVED), after: editTf(AFTER_TF, MOVED) })],
    },
    kind: "current",
  },
  {
    name: "without a merge base in the revision, today's base is used",
    revision: [revision(AFTER_TF)],
    kind: "current",
  },
  {
    name: "a new infrastructure file pushed after the review makes it stale",
    revision: [revision(AFTER_TF, BEFORE_TF)],
    overrides: {
      files: [
        lbFile(),
        lbFile({
          path: "dns.tf",
          status: "added",
          before: null,
          after: 'resource "aws_route53_record" "www" {\n  ttl = 60\n}\n',
        }),
      ],
    },
    kind: "stale",
  },
  {
    name: "a reviewed commit missing from the snapshot is stale",
    kind: "stale",
    reason:
      "approved abc1234; the reviewed version is unknown, so it cannot be shown to cover the change now",
  },
  {
    name: "two different unreadable versions are not the same change",
    revision: [revision("resource {{{ broken", BEFORE_TF)],
    overrides: { files: [lbFile({ after: "resource }}} broken differently" })] },
    kind: "stale",
  },
  {
    name: "any-push: an older commit is stale even when nothing changed",
    invalidateOn: "any-push",
    revision: [revision(AFTER_TF, BEFORE_TF)],
    kind: "stale",
    reason: "approved abc1234; commits were pushed since (approvals.invalidateOn: any-push)",
  },
  {
    name: "any-push: the head commit is current",
    invalidateOn: "any-push",
    sha: HEAD_SHA,
    kind: "current",
  },
  {
    name: "never: an approval of a very different version still counts",
    invalidateOn: "never",
    kind: "current",
  },
];

describe("coverageOf", () => {
  it.each(cases)("$name", ({ invalidateOn, revision: files, overrides, sha, kind, reason }) => {
    const pull = snapshot({ ...(files ? { revisions: { [OLD_SHA]: files } } : {}), ...overrides });
    const coverage = coverageOf(pull, invalidateOn ?? "infra-change", settings)(sha ?? OLD_SHA);
    expect(coverage.kind).toBe(kind);
    if (reason) expect(coverage.kind === "stale" ? coverage.reason : coverage.note).toBe(reason);
  });
});

describe("changeSet", () => {
  it("ignores lines, formatting and comments", () => {
    const a = changeSet([{ path: "lb.tf", before: BEFORE_TF, after: AFTER_TF }], settings);
    const b = changeSet([{ path: "lb.tf", before: BEFORE_TF, after: REFORMATTED_AFTER }], settings);
    expect(REFORMATTED_AFTER).not.toBe(AFTER_TF);
    expect(a).toHaveLength(4);
    expect(b).toEqual(a);
  });
});

describe("staleness through evaluate()", () => {
  const approvedEarlier = (revisionFiles: RevisionFile[], overrides: Partial<PullSnapshot> = {}) =>
    evaluate(
      snapshot({
        pull: { body: PLANS },
        reviews: [review("bob", "APPROVED", { commitSha: OLD_SHA }), review("carol")],
        revisions: { [OLD_SHA]: revisionFiles },
        ...overrides,
      }),
    );

  it("an infrastructure-changing push leaves one of two approvals", () => {
    const evaluation = approvedEarlier([
      revision(editTf(AFTER_TF, { "cookie_duration = 60": "cookie_duration = 3600" }), BEFORE_TF),
    ]);
    expect(evaluation.verdict.conclusion).toBe("failure");
    expect(evaluation.verdict.title).toBe("High risk — 1 of 2 approvals");
    expect(evaluation.verdict.approvals[0]).toMatchObject({
      user: "bob",
      counted: false,
      reason: "approved abc1234; the infrastructure change has changed since",
    });
  });

  it("a reformat keeps both approvals", () => {
    const evaluation = approvedEarlier([revision(REFORMATTED_AFTER, BEFORE_TF)]);
    expect(evaluation.verdict.conclusion).toBe("success");
    expect(evaluation.verdict.approvals[0]).toMatchObject({ user: "bob", counted: true });
  });

  it("merging the base branch in keeps both approvals", () => {
    const evaluation = approvedEarlier([revision(AFTER_TF, BEFORE_TF)], {
      files: [lbFile({ before: editTf(BEFORE_TF, MOVED), after: editTf(AFTER_TF, MOVED) })],
    });
    expect(evaluation.verdict.conclusion).toBe("success");
  });

  it("any-push drops the earlier approval", () => {
    const evaluation = approvedEarlier([revision(AFTER_TF, BEFORE_TF)], {
      policy: "approvals: { invalidateOn: any-push }\n",
    });
    expect(evaluation.verdict.title).toBe("High risk — 1 of 2 approvals");
  });
});
