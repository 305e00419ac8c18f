import { describe, expect, it } from "vitest";
import { bindingToRecord } from "../../src/gates/emergency.js";
import { evaluate } from "../../src/gates/evaluate.js";
import { checkSnapshot } from "../../src/gates/snapshot-schema.js";
import { headAt } from "../../src/github/snapshot/reads.js";
import { applyTickEdit } from "../../src/render/ticks.js";
import {
  AFTER_TF,
  BASE_TIP,
  BEFORE_TF,
  bindingOf,
  changeSetOf,
  commit,
  editTf,
  HEAD_SHA,
  labeled,
  lbFile,
  MERGE_SHA,
  OLD_SHA,
  PLANS,
  review,
  revision,
  snapshot,
  tick,
  updateMerged,
} from "./builders.js";

// Gate integrity, who counts (docs/security.md): the pure layer's half of each promise.

describe("reviews on a garbage-collected commit (commitSha: null)", () => {
  it("a writer's request for changes on an unknown commit blocks", () => {
    const { verdict } = evaluate(
      snapshot({
        pull: { body: PLANS },
        reviews: [
          review("carol", "CHANGES_REQUESTED", { commitSha: null }),
          review("bob"),
          review("mia", "APPROVED", { permission: "maintain" }),
        ],
      }),
    );
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.title).toContain("changes requested by @carol");
  });

  it("an approval on an unknown commit is stale", () => {
    const { verdict } = evaluate(
      snapshot({
        pull: { body: PLANS },
        reviews: [review("carol", "APPROVED", { commitSha: null }), review("bob")],
        policy: "approvals: { invalidateOn: never }\n",
      }),
    );
    expect(verdict.approvals.find((approval) => approval.user === "carol")).toMatchObject({
      counted: false,
      commitSha: null,
      reason: expect.stringContaining("no longer has") as unknown,
    });
  });

  it("a snapshot file may say commitSha: null", () => {
    const check = checkSnapshot({
      ...snapshot(),
      reviews: [
        { user: "carol", state: "CHANGES_REQUESTED", commitSha: null, permission: "write" },
      ],
    });
    expect(check.ok).toBe(true);
  });
});

describe("checklist ticks: not the author's, and tied to the change they were made on", () => {
  /** The postmortem change with the checklist required, every other gate met. */
  const CRITICAL = "requirements:\n  high: { checklist: true }\n";
  const base = snapshot({
    policy: CRITICAL,
    pull: { body: PLANS },
    reviews: [review("bob"), review("carol")],
  });
  const items = evaluate(base).verdict.checklist.map((item) => item.item);
  const ticksBy = (user: string, changeSet: string) =>
    items.map((item) => ({ ...tick(item, user), changeSet }));

  it("the checklist needs items for these tests", () => {
    expect(items.length).toBeGreaterThan(0);
  });

  it("ticks by a writer other than the author on the change as it is now count", () => {
    const { verdict } = evaluate({ ...base, checklist: ticksBy("bob", changeSetOf(base)) });
    expect(verdict.conclusion).toBe("success");
  });

  it("the author's own ticks do not count", () => {
    const { verdict } = evaluate({ ...base, checklist: ticksBy("alice", changeSetOf(base)) });
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.gates.find((gate) => gate.gate === "checklist")?.detail).toContain(
      "the author's own ticks do not count",
    );
  });

  it("a bot's ticks do not count, whatever its permission", () => {
    const { verdict } = evaluate({ ...base, checklist: ticksBy("ci[bot]", changeSetOf(base)) });
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.gates.find((gate) => gate.gate === "checklist")?.detail).toContain(
      "a bot's ticks do not count",
    );
  });

  it("the author's ticks count when checklist.allowAuthor is set", () => {
    const allowed = { ...base, policy: `${CRITICAL}checklist: { allowAuthor: true }\n` };
    const { verdict } = evaluate({ ...allowed, checklist: ticksBy("alice", changeSetOf(allowed)) });
    expect(verdict.conclusion).toBe("success");
  });

  it("a later infrastructure change re-opens ticks made on the earlier one", () => {
    const earlier = snapshot({
      ...base,
      files: [
        lbFile({
          after: editTf(AFTER_TF, { "interval            = 5": "interval            = 6" }),
        }),
      ],
    });
    const { verdict } = evaluate({ ...base, checklist: ticksBy("bob", changeSetOf(earlier)) });
    expect(verdict.checklist.every((item) => !item.checked)).toBe(true);
    expect(verdict.gates.find((gate) => gate.gate === "checklist")?.detail).toContain("re-opened");
  });

  it("a tick records the change set it was made on", () => {
    const state = applyTickEdit(
      { ticks: [] },
      [{ item: "Check sessions", rules: [], checked: false }],
      {
        previousBody: "- [ ] Check sessions\n",
        newBody: "- [x] Check sessions\n",
        sender: "bob",
        permission: "write",
        headSha: HEAD_SHA,
        changeSet: "c1",
      },
    );
    expect(state.ticks).toEqual([
      {
        item: "Check sessions",
        checkedBy: "bob",
        permission: "write",
        headSha: HEAD_SHA,
        changeSet: "c1",
      },
    ]);
  });
});

describe("the emergency override is bound to the change it was applied to", () => {
  const labelledSnapshot = snapshot({
    pull: { labels: ["changegate:emergency"] },
    labelEvents: [{ ...labeled("ada", "admin"), createdAt: "2026-01-01T00:00:00Z" }],
  });
  const boundHere = bindingOf("ada", labelledSnapshot, "2026-01-01T00:00:00Z");

  it("passes while the change is the one the label was applied to", () => {
    const { verdict } = evaluate({ ...labelledSnapshot, emergencyBinding: boundHere });
    expect(verdict).toMatchObject({ conclusion: "success", emergency: { accepted: true } });
  });

  it("a later infrastructure change needs a new label", () => {
    const pushed = snapshot({
      ...labelledSnapshot,
      files: [
        lbFile({
          after: editTf(AFTER_TF, { "interval            = 5": "interval            = 1" }),
        }),
      ],
    });
    const { verdict } = evaluate({ ...pushed, emergencyBinding: boundHere });
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.emergency).toMatchObject({ accepted: false });
    expect(verdict.emergency?.binding).toBeUndefined();
    expect(verdict.gates.find((gate) => gate.gate === "emergency")?.detail).toContain(
      "needs a new changegate:emergency label",
    );
  });

  it("a label the App has not bound is not accepted; the labeled delivery on the same head binds it", () => {
    const { verdict } = evaluate(labelledSnapshot);
    expect(verdict).toMatchObject({ conclusion: "failure", emergency: { accepted: false } });
    const label = "changegate:emergency";
    const head = labelledSnapshot.pull.headSha;
    expect(bindingToRecord(verdict, head, { label, headSha: head })).toEqual(boundHere);
    // Applied while the pull request was at another head, or another label: nothing to bind.
    expect(bindingToRecord(verdict, head, { label, headSha: OLD_SHA })).toBeNull();
    expect(bindingToRecord(verdict, head, { label: "bug", headSha: head })).toBeNull();
    expect(bindingToRecord(verdict, head, undefined)).toBeNull();
  });

  it("a label re-applied later is a new label: the old binding does not carry over", () => {
    const relabelled = snapshot({
      ...labelledSnapshot,
      labelEvents: [
        ...labelledSnapshot.labelEvents!,
        { ...labeled("ada", "admin"), action: "unlabeled", createdAt: "2026-01-02T00:00:00Z" },
        { ...labeled("ada", "admin"), createdAt: "2026-01-03T00:00:00Z" },
      ],
    });
    const { verdict } = evaluate({ ...relabelled, emergencyBinding: boundHere });
    expect(verdict.emergency).toMatchObject({ accepted: false });
    expect(verdict.emergency?.binding).toMatchObject({ createdAt: "2026-01-03T00:00:00Z" });
  });
});

describe("who counts: pushers, co-authors, unlinked commits, update merges", () => {
  it("an 'Update branch' merge that left the infrastructure change as it was is not authorship", () => {
    const { verdict } = evaluate(updateMerged(AFTER_TF));
    expect(verdict.conclusion).toBe("success");
  });

  it("a merge that changed the infrastructure change (a conflict resolved in the web editor) is", () => {
    const { verdict } = evaluate(
      updateMerged(editTf(AFTER_TF, { "interval            = 5": "interval            = 6" })),
    );
    expect(verdict.approvals.find((approval) => approval.user === "bob")).toMatchObject({
      counted: false,
      reason: "committed to this pull request (four eyes)",
    });
  });

  it("a merge not made in the web UI, or with the reviewed side unknown, is authorship", () => {
    const local = updateMerged(AFTER_TF);
    const { verdict } = evaluate({
      ...local,
      commits: local.commits!.map((each) => ({ ...each, viaWeb: false })),
    });
    expect(verdict.approvals.find((approval) => approval.user === "bob")?.counted).toBe(false);
    expect(evaluate({ ...updateMerged(AFTER_TF), revisions: {} }).verdict.conclusion).toBe(
      "failure",
    );
  });

  it("a push that brought commits along with an update merge is authorship", () => {
    // bob made his own commit SMUGGLED (its git identity says alice), had GitHub merge the base
    // into it in the web UI elsewhere, and pushed both at once: the merge is the tip, but the
    // branch was never at SMUGGLED, so bob's push brought more than the merge.
    const SMUGGLED = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";
    const pull = updateMerged(AFTER_TF);
    const { verdict } = evaluate({
      ...pull,
      commits: [
        commit(OLD_SHA, "alice"),
        commit(SMUGGLED, "alice", { parents: [OLD_SHA] }),
        commit(MERGE_SHA, "bob", {
          committer: "web-flow",
          viaWeb: true,
          parents: [SMUGGLED, BASE_TIP],
        }),
      ],
      revisions: { [SMUGGLED]: [revision(AFTER_TF, BEFORE_TF)] },
    });
    expect(verdict.approvals.find((approval) => approval.user === "bob")).toMatchObject({
      counted: false,
      reason: "pushed to this pull request (four eyes)",
    });
    expect(verdict.conclusion).toBe("failure");
  });

  it("the push is excused by where it moved the branch from, not by others' records", () => {
    const pull = updateMerged(AFTER_TF);
    // A fork's branch: only the App's webhook record, which leaves out the author's own pushes.
    const fork = { ...pull, pushers: [{ login: "bob", headSha: MERGE_SHA, before: OLD_SHA }] };
    expect(evaluate(fork).verdict.conclusion).toBe("success");
    // A push whose origin is unknown, or elsewhere, is authorship.
    for (const push of [
      { login: "bob", headSha: MERGE_SHA },
      { login: "bob", headSha: MERGE_SHA, before: BASE_TIP },
    ])
      expect(
        evaluate({ ...pull, pushers: [push] }).verdict.approvals.find((a) => a.user === "bob"),
      ).toMatchObject({ counted: false, reason: "pushed to this pull request (four eyes)" });
    // A record written by hand (an edited state block) next to GitHub's cannot excuse GitHub's.
    const handMade = {
      ...pull,
      pushers: [
        { login: "bob", headSha: MERGE_SHA, before: BASE_TIP },
        { login: "bob", headSha: MERGE_SHA, before: OLD_SHA },
        { login: "alice", headSha: OLD_SHA },
      ],
    };
    expect(evaluate(handMade).verdict.conclusion).toBe("failure");
  });

  it("a pusher is a contributor", () => {
    const { verdict } = evaluate(
      snapshot({
        pull: { body: PLANS },
        reviews: [review("bob"), review("carol")],
        pushers: [{ login: "carol", headSha: HEAD_SHA }],
      }),
    );
    expect(verdict.approvals.find((approval) => approval.user === "carol")).toMatchObject({
      counted: false,
      reason: "pushed to this pull request (four eyes)",
    });
  });

  it("an identity tied to no account is listed once, however many commits it made", () => {
    const box = "Build Box <build@box.invalid>";
    const { verdict } = evaluate(
      snapshot({
        commits: [
          commit(OLD_SHA, "alice", { unlinked: [box, box] }),
          commit(HEAD_SHA, "alice", { unlinked: [box] }),
        ],
      }),
    );
    expect(verdict.approvals).toEqual([
      {
        user: box,
        counted: false,
        state: "COMMIT",
        commitSha: OLD_SHA,
        reason:
          "made commit abc1234 and 1 more under an identity GitHub ties to no account: whoever it is cannot be told from the reviewers",
      },
    ]);
  });

  it("linked co-authors are contributors; identities tied to no account are listed", () => {
    const { verdict } = evaluate(
      snapshot({
        pull: { body: PLANS },
        reviews: [review("bob"), review("carol")],
        commits: [
          commit(OLD_SHA, "alice", { coAuthors: ["carol"] }),
          commit(HEAD_SHA, "alice", { unlinked: ["Build Box <build@box.invalid>"] }),
        ],
      }),
    );
    expect(
      verdict.approvals.map((approval) => [approval.user, approval.counted, approval.state]),
    ).toEqual([
      ["bob", true, "APPROVED"],
      ["carol", false, "APPROVED"],
      ["Build Box <build@box.invalid>", false, "COMMIT"],
    ]);
  });
});

describe("the override bound by GitHub's push record (LabelEvent.headSha)", () => {
  const at = (headSha: string | null) =>
    snapshot({
      pull: { labels: ["changegate:emergency"] },
      labelEvents: [{ ...labeled("ada", "admin"), createdAt: "2026-01-01T00:00:00Z", headSha }],
    });

  it("accepts a label applied on the head, with no record of the App's", () => {
    expect(evaluate(at(HEAD_SHA)).verdict.emergency).toMatchObject({ accepted: true });
  });

  it("accepts a label applied on an earlier head whose infrastructure change is the one now", () => {
    const pull = { ...at(OLD_SHA), revisions: { [OLD_SHA]: [revision(AFTER_TF, BEFORE_TF)] } };
    expect(evaluate(pull).verdict.emergency).toMatchObject({ accepted: true });
  });

  it("refuses a label applied to another change, whatever the sticky comment's state says", () => {
    const earlier = editTf(AFTER_TF, { "interval            = 5": "interval            = 6" });
    const pull = { ...at(OLD_SHA), revisions: { [OLD_SHA]: [revision(earlier, BEFORE_TF)] } };
    // A binding written into the state by hand (a writer can edit the App's comment) does not count.
    const forged = bindingOf("ada", pull, "2026-01-01T00:00:00Z");
    const { verdict } = evaluate({ ...pull, emergencyBinding: forged });
    expect(verdict.emergency).toMatchObject({ accepted: false });
    expect(verdict.gates.find((gate) => gate.gate === "emergency")?.detail).toContain(
      "needs a new changegate:emergency label",
    );
  });

  it("refuses a label GitHub's record cannot place (a push in the same second, or none before it)", () => {
    const { verdict } = evaluate({ ...at(null), emergencyBinding: bindingOf("ada", at(null)) });
    expect(verdict.emergency).toMatchObject({ accepted: false });
    expect(verdict.gates.find((gate) => gate.gate === "emergency")?.detail).toBe(
      "applied by @ada (admin), but GitHub's record of pushes cannot tell to which head (a push in the same second, or none recorded before it); apply changegate:emergency again",
    );
  });
});

describe("the head a label was applied to, from GitHub's push record (newest first)", () => {
  const pushes = [
    { login: "alice", headSha: "c3", at: "2026-01-01T00:00:30Z" },
    { login: "alice", headSha: "c2", at: "2026-01-01T00:00:20Z" },
    { login: null, headSha: "c1", at: "2026-01-01T00:00:10Z" },
  ];
  it.each([
    ["between two pushes: the earlier one's tip", "2026-01-01T00:00:25Z", "c2"],
    ["after the last push", "2026-01-01T00:00:31Z", "c3"],
    ["in the same second as a push: unknown", "2026-01-01T00:00:20Z", null],
    ["before any push: unknown", "2026-01-01T00:00:05Z", null],
  ])("%s", (_name, labelledAt, head) => {
    expect(headAt(pushes, labelledAt)).toBe(head);
  });
  it("no record, or no time: the App's own binding decides", () => {
    expect(headAt(null, "2026-01-01T00:00:25Z")).toBeUndefined();
    expect(headAt(pushes, undefined)).toBeUndefined();
  });
});
