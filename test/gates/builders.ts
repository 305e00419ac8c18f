import { DEFAULT_POLICY, parsePolicy, type Policy } from "../../src/config/policy.js";
import { engineSettings } from "../../src/config/settings.js";
import { evaluate } from "../../src/gates/evaluate.js";
import { changeSetId, changeSets } from "../../src/gates/staleness.js";
import type {
  ChecklistTick,
  EmergencyBinding,
  LabelEvent,
  PullSnapshot,
  RevisionFile,
  SnapshotCommit,
  SnapshotFile,
  SnapshotPull,
  SnapshotReview,
} from "../../src/gates/snapshot.js";
import { example } from "../helpers.js";

// Builders for pull-request snapshots: sensible defaults (the postmortem change, opened by alice,
// no reviews, an empty description), and small helpers for the parts tests vary.

export const BEFORE_TF = example("postmortem/before.tf");
export const AFTER_TF = example("postmortem/after.tf");

/** The commit the approvals in most tests were given on, and the head after a later push. */
export const OLD_SHA = "abc1234aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
export const HEAD_SHA = "def5678bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

export type SnapshotOverrides = Omit<Partial<PullSnapshot>, "pull"> & {
  readonly pull?: Partial<SnapshotPull>;
};

export function snapshot(overrides: SnapshotOverrides = {}): PullSnapshot {
  const { pull, ...rest } = overrides;
  return {
    repository: "acme/web",
    pull: {
      number: 42,
      author: "alice",
      draft: false,
      body: "",
      labels: [],
      baseRef: "main",
      baseSha: "b0b0b0b",
      headSha: HEAD_SHA,
      ...pull,
    },
    policy: null,
    files: [lbFile()],
    reviews: [],
    revisions: {},
    commits: [commit(OLD_SHA), commit(HEAD_SHA)],
    teams: {},
    codeowners: null,
    labelEvents: [],
    checklist: [],
    requiredChecks: ["Changegate"],
    ...rest,
  };
}

/** The postmortem load-balancer change as `lb.tf` (or other texts under another path). */
export function lbFile(overrides: Partial<SnapshotFile> = {}): SnapshotFile {
  return { path: "lb.tf", status: "modified", before: BEFORE_TF, after: AFTER_TF, ...overrides };
}

export function review(
  user: string,
  state: SnapshotReview["state"] = "APPROVED",
  overrides: Partial<SnapshotReview> = {},
): SnapshotReview {
  return { user, state, commitSha: HEAD_SHA, permission: "write", bot: false, ...overrides };
}

export function commit(
  sha: string,
  author = "alice",
  overrides: Partial<SnapshotCommit> = {},
): SnapshotCommit {
  return { sha, author, committer: author, ...overrides };
}

export function revision(
  content: string | null,
  base?: string | null,
  path = "lb.tf",
): RevisionFile {
  return base === undefined ? { path, content } : { path, content, base };
}

export function labeled(
  actor: string,
  permission: LabelEvent["permission"],
  label = "changegate:emergency",
): LabelEvent {
  return { label, action: "labeled", actor, permission };
}

/** The App's record of a label applied by `actor` to the change set of `pull` (default snapshot()). */
export function bindingOf(
  actor: string,
  pull: PullSnapshot = snapshot(),
  createdAt: string | null = null,
): EmergencyBinding {
  return { actor, createdAt, changeSet: changeSetOf(pull) };
}

/** The id of a snapshot's change set now, as the App records it on ticks and overrides. */
export function changeSetOf(pull: PullSnapshot): string {
  return changeSetId(changeSets(pull, engineSettings(policy(pull.policy ?? null))).now);
}

export function tick(
  item: string,
  checkedBy: string,
  permission: ChecklistTick["permission"] = "write",
): ChecklistTick {
  return { item, checkedBy, permission, headSha: HEAD_SHA };
}

/** A description with the given test-plan and rollback-plan sections (omitted: no section). */
export function body(
  sections: { testPlan?: string; rollbackPlan?: string; intro?: string } = {},
): string {
  return [
    sections.intro ?? "Tunes the web target group.",
    ...(sections.testPlan !== undefined ? ["", "## Test plan", sections.testPlan] : []),
    ...(sections.rollbackPlan !== undefined ? ["", "## Rollback plan", sections.rollbackPlan] : []),
    "",
  ].join("\n");
}

/** A description that passes both plan gates. */
export const PLANS = body({
  testPlan: "Soaked in staging for a day: https://ci.acme.dev/runs/4711",
  rollbackPlan: "Revert this PR and run `terraform apply`; the old values are in the diff.",
});

/** A policy from YAML text, failing the test when it is invalid. */
export function policy(text: string | null = null): Policy {
  if (text === null) return DEFAULT_POLICY;
  const parsed = parsePolicy(text);
  if (!parsed.ok) throw new Error(`invalid test policy: ${JSON.stringify(parsed.problems)}`);
  return parsed.policy;
}

/** The postmortem file with some attribute values replaced (`interval = 5` → `interval = 10`). */
export function editTf(text: string, edits: Readonly<Record<string, string>>): string {
  let out = text;
  for (const [from, to] of Object.entries(edits)) {
    if (!out.includes(from)) throw new Error(`test edit: "${from}" not found`);
    out = out.replace(from, to);
  }
  return out;
}

/** bob's "Update branch" merge of the base (at BASE_TIP) into alice's OLD_SHA, and the base's tip. */
export const MERGE_SHA = "0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e";
export const BASE_TIP = "ba5eba5eba5eba5eba5eba5eba5eba5eba5eba5e";

/**
 * alice pushed OLD_SHA (holding `atOld` for lb.tf), then bob's "Update branch" moved the branch
 * from it to MERGE_SHA; bob and carol approve the merge.
 */
export function updateMerged(atOld: string): PullSnapshot {
  return snapshot({
    pull: { body: PLANS, headSha: MERGE_SHA },
    reviews: [
      review("bob", "APPROVED", { commitSha: MERGE_SHA }),
      review("carol", "APPROVED", { commitSha: MERGE_SHA }),
    ],
    commits: [
      commit(OLD_SHA, "alice"),
      commit(MERGE_SHA, "bob", {
        committer: "web-flow",
        viaWeb: true,
        parents: [OLD_SHA, BASE_TIP],
      }),
    ],
    revisions: { [OLD_SHA]: [revision(atOld, BEFORE_TF)] },
    pushers: [
      { login: "alice", headSha: OLD_SHA },
      { login: "bob", headSha: MERGE_SHA, before: OLD_SHA },
    ],
  });
}

/**
 * bob approved `reviewed` at OLD_SHA, carol approves the head, which holds `head`: bob's row of
 * the verdict's approvals (whether his approval still covers the change).
 */
export function bobsApproval(path: string, base: string, reviewed: string, head: string) {
  const evaluation = evaluate(
    snapshot({
      pull: { body: PLANS },
      files: [lbFile({ path, before: base, after: head })],
      reviews: [review("bob", "APPROVED", { commitSha: OLD_SHA }), review("carol")],
      revisions: { [OLD_SHA]: [revision(reviewed, base, path)] },
    }),
  );
  return evaluation.verdict.approvals.find((approval) => approval.user === "bob");
}
