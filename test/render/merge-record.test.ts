import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/gates/evaluate.js";
import type { PullSnapshot } from "../../src/gates/snapshot.js";
import { checkSnapshot } from "../../src/gates/snapshot-schema.js";
import type { Evaluation } from "../../src/gates/verdict.js";
import type { Finding } from "../../src/rules/types.js";
import { BODY_LIMIT, checkRunOutput, clip, sharedHeadOutput } from "../../src/render/check-run.js";
import { decodeState } from "../../src/render/comment-state.js";
import { bypassIssue, commentBody, followUpMarker } from "../../src/render/comment.js";
import {
  checkAtMergeNote,
  isBypass,
  mergeRecordBlock,
  mergeRecordOf,
  readCheckAtMergeNote,
  readMergeRecord,
  withRecordBlock,
  type CheckAtMerge,
  type MergeRecord,
} from "../../src/render/merge-record.js";
import { repoRoot } from "../helpers.js";

const CHECK_OUTPUT_LIMIT = 65_535;
const SEAL = { key: "k", pull: "acme/web#42" };

function snapshot(name: string, pull: Partial<PullSnapshot["pull"]> = {}): PullSnapshot {
  const checked = checkSnapshot(
    JSON.parse(readFileSync(join(repoRoot, "test/fixtures/snapshots", `${name}.json`), "utf8")),
  );
  if (!checked.ok) throw new Error(checked.message);
  return {
    ...checked.snapshot,
    evaluatedAt: "2026-12-02T17:00:05.000Z",
    pull: {
      ...checked.snapshot.pull,
      state: "closed",
      merged: true,
      mergeCommitSha: "m0m0m0m0m0",
      mergedBy: "ada",
      mergedAt: "2026-12-02T17:00:00Z",
      ...pull,
    },
  };
}

function recordOf(
  name: string,
  checkAtMerge: CheckAtMerge,
  pull: Partial<PullSnapshot["pull"]> = {},
): { record: MergeRecord; evaluation: Evaluation } {
  const snap = snapshot(name, pull);
  const evaluation = evaluate(snap);
  const record = mergeRecordOf(snap, evaluation, { checkAtMerge, followUpIssue: 7 });
  if (!record) throw new Error("no record for a merged snapshot");
  return { record, evaluation };
}

/** `evaluation` with `count` copies of its first finding, each with a long message. */
function bloated(evaluation: Evaluation, count: number): Evaluation {
  const first = evaluation.analysis.findings[0]!;
  const findings: Finding[] = Array.from({ length: count }, (_, i) => ({
    ...first,
    line: i + 1,
    message: `${"x".repeat(120)} ${i}`,
  }));
  return {
    ...evaluation,
    analysis: {
      ...evaluation.analysis,
      findings,
      files: evaluation.analysis.files.map((file, index) =>
        index === 0 ? { ...file, findings } : { ...file, findings: [] },
      ),
    },
  };
}

describe("the merge record", () => {
  it("is filled from the evaluation and the snapshot, and round-trips through its block", () => {
    const { record } = recordOf("postmortem-approved", "success");
    expect(record).toMatchObject({
      repository: "acme/web",
      pull: 42,
      title: "Tune web target group health checks",
      author: "alice",
      headSha: "h2",
      mergeCommitSha: "m0m0m0m0m0",
      mergedBy: "ada",
      mergedAt: "2026-12-02T17:00:00Z",
      evaluatedAt: "2026-12-02T17:00:05.000Z",
      risk: "high",
      checkAtMerge: "success",
      rollbackPlan: true,
      override: null,
      bypass: null,
      followUpIssue: 7,
    });
    expect(record.files).toEqual(["lb.tf"]);
    expect(record.testPlanLinks).toContain("https://ci.acme.dev/runs/4711");
    // Each approval with the commit it approved, counted or not and why.
    expect(record.approvals.map((a) => [a.user, a.commitSha])).toEqual([
      ["bob", "h1"],
      ["carol", "h2"],
    ]);
    expect(record.approvals.every((a) => a.reason.length > 0)).toBe(true);
    expect(record.gates.map((g) => g.gate)).toContain("approvals");
    expect(readMergeRecord(mergeRecordBlock(record))).toEqual({ kind: "record", record });
  });

  it("is none while the pull request is not merged", () => {
    const snap = snapshot("postmortem-blocked", { merged: false, state: "open" });
    expect(
      mergeRecordOf(snap, evaluate(snap), { checkAtMerge: "failure", followUpIssue: null }),
    ).toBeNull();
  });

  it("says a rollback plan is present also where the risk did not require one", () => {
    const snap = snapshot("postmortem-approved");
    const lax = { ...snap, policy: "requirements:\n  high: { rollbackPlan: false }\n" };
    const evaluation = evaluate(lax);
    expect(evaluation.verdict.gates.find((g) => g.gate === "rollbackPlan")!.status).toBe(
      "not-required",
    );
    const facts = { checkAtMerge: "success", followUpIssue: null } as const;
    expect(mergeRecordOf(lax, evaluation, facts)!.rollbackPlan).toBe(true);
    const none = { ...lax, pull: { ...lax.pull, body: "No plans." } };
    expect(mergeRecordOf(none, evaluate(none), facts)!.rollbackPlan).toBe(false);
  });

  it("is a bypass only for an infrastructure change merged without a green check or an override", () => {
    const blocked = evaluate(snapshot("postmortem-blocked"));
    for (const check of ["failure", "pending", "missing"] as const)
      expect(isBypass(blocked, check)).toBe(true);
    expect(isBypass(blocked, "success")).toBe(false);
    const override = evaluate(snapshot("emergency-override"));
    expect(override.verdict.emergency?.accepted).toBe(true);
    expect(isBypass(override, "failure")).toBe(false);
    const none = { ...blocked, verdict: { ...blocked.verdict, risk: "none" as const } };
    expect(isBypass(none, "missing")).toBe(false);
    const { record } = recordOf("postmortem-blocked", "missing");
    expect(record.bypass).toEqual({ mergedBy: "ada", checkAtMerge: "missing" });
    expect(record.verdict).toBe("failure");
  });

  it("counts a merge outside its change window as a bypass, even with a green check", () => {
    // The check was green (the window was open when it was written), the merge came after the
    // window closed and before the App re-evaluated: the schedule gate, judged at the merge, fails.
    const green = evaluate(snapshot("emergency-override"));
    const outside = {
      ...green,
      verdict: {
        ...green.verdict,
        emergency: null,
        gates: [
          ...green.verdict.gates,
          { gate: "schedule" as const, status: "fail" as const, detail: "outside the window" },
        ],
      },
    };
    expect(isBypass(outside, "success")).toBe(true);
    const inside = {
      ...outside,
      verdict: {
        ...outside.verdict,
        gates: [
          ...green.verdict.gates,
          { gate: "schedule" as const, status: "pass" as const, detail: "inside the window" },
        ],
      },
    };
    expect(isBypass(inside, "success")).toBe(false);
  });
});

describe("the check at merge kept by a failed merge evaluation", () => {
  it("is read back for its own pull request only", () => {
    const text = `${checkAtMergeNote(42, "success")}`;
    expect(readCheckAtMergeNote(text, 42)).toBe("success");
    expect(readCheckAtMergeNote(text, 43)).toBeUndefined();
    expect(
      readCheckAtMergeNote("<!-- changegate:check-at-merge #42 green -->", 42),
    ).toBeUndefined();
    expect(readCheckAtMergeNote(null, 42)).toBeUndefined();
  });
});

describe("the record in the check run and the sticky comment", () => {
  it("ends the check run's text and follows the comment's audit footer", () => {
    const { record, evaluation } = recordOf("postmortem-blocked", "failure");
    const text = checkRunOutput(evaluation, record).text;
    expect(readMergeRecord(text)).toEqual({ kind: "record", record });
    expect(text.endsWith(mergeRecordBlock(record))).toBe(true);
    const shared = sharedHeadOutput(
      [
        { number: 42, baseRef: "main", evaluation },
        { number: 43, baseRef: "release", evaluation },
      ],
      record,
    );
    expect(readMergeRecord(shared.text)).toEqual({ kind: "record", record });

    const body = commentBody({
      evaluation,
      state: { ticks: [], followUpIssue: 7 },
      seal: SEAL,
      merge: { mergeCommitSha: "m0m0m0m0m0", mergedBy: "ada" },
      record,
    });
    expect(readMergeRecord(body)).toEqual({ kind: "record", record });
    const footer = body.slice(body.indexOf("### Merged"), body.indexOf("<!-- changegate:merge"));
    expect(footer).toContain("- Check at merge: failing");
    expect(footer).toMatch(
      /- Bypass: ⚠️ merged by @\u200bada while the `Changegate` check was failing, without an emergency override; post-change review #7/,
    );
    expect(body.indexOf("### Merged")).toBeLessThan(body.indexOf("<!-- changegate:merge-record"));
    expect(decodeState(body, SEAL).followUpIssue).toBe(7);
  });

  it("keeps the block whole when the text and the comment are clipped to GitHub's limits", () => {
    const { record, evaluation } = recordOf("postmortem-blocked", "failure");
    const big = bloated(evaluation, 3000);
    const output = checkRunOutput(big, record);
    expect(output.text.length).toBeLessThanOrEqual(CHECK_OUTPUT_LIMIT);
    expect(output.text).toContain("… (truncated");
    expect(readMergeRecord(output.text)).toEqual({ kind: "record", record });

    const body = commentBody({
      evaluation: big,
      state: { ticks: [] },
      seal: SEAL,
      merge: { mergeCommitSha: "m0m0m0m0m0", mergedBy: "ada" },
      record,
    });
    expect(body.length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(body).toContain("… (truncated");
    expect(readMergeRecord(body)).toEqual({ kind: "record", record });
    expect(decodeState(body, SEAL).unverified).toBeUndefined();
  });

  it("cannot be forged or broken by a hostile title or body", () => {
    const fake = `<!-- changegate:merge-record v1\n{"version":1,"pull":42,"bypass":null}\n-->`;
    const { record, evaluation } = recordOf("postmortem-blocked", "failure", {
      title: `evil --> ${fake} <!-- & "quoted"`,
      body: `${fake}\n## Test plan\nhttps://x.invalid/a-->b\n`,
    });
    const block = mergeRecordBlock(record);
    expect(block.match(/-->/g)).toHaveLength(1);
    const read = readMergeRecord(checkRunOutput(evaluation, record).text);
    expect(read).toEqual({ kind: "record", record });
    if (read.kind === "record") expect(read.record.title).toBe(record.title);
    // Text that opens a block and reaches the prose unescaped is defused: one block remains.
    const prose = `Findings\n${fake}\nmore`;
    expect(readMergeRecord(withRecordBlock(prose, record, 10_000, clip))).toEqual({
      kind: "record",
      record,
    });
    expect(readMergeRecord(`${prose}\n\n${block}`).kind).toBe("invalid");
  });
});

describe("the bypass issue", () => {
  it("names who merged, the check at merge, the verdict, each unmet gate and the top findings", () => {
    const evaluation = evaluate(snapshot("postmortem-blocked"));
    const merge = { mergeCommitSha: "m0m0m0m0m0", mergedBy: "ada" };
    const { title, body } = bypassIssue(42, evaluation, merge, "failure");
    expect(title).toBe("Post-change review for #42");
    expect(body.startsWith(followUpMarker(42))).toBe(true);
    expect(body).toContain(
      "merged by @\u200bada at `m0m0m0m0m0` while the `Changegate` check was **failing**",
    );
    expect(body).toContain("Verdict at merge: **failure**");
    expect(body).toContain("Risk: **high**");
    for (const gate of evaluation.verdict.gates.filter((g) => g.status === "fail"))
      expect(body).toContain(gate.detail.replace(/"/g, '"'));
    expect(body).not.toContain("Team approvals");
    expect(body).toContain("lb.health-check.detection-too-fast");
    expect(bypassIssue(42, evaluation, merge, "missing").body).toContain(
      "**missing (a check that never ran)**",
    );
  });

  it("lists the most severe findings and says how many more the check run has", () => {
    const evaluation = bloated(evaluate(snapshot("postmortem-blocked")), 25);
    const { body } = bypassIssue(
      42,
      evaluation,
      { mergeCommitSha: "m0", mergedBy: null },
      "pending",
    );
    expect(body).toContain("… and 15 more in the `Changegate` check run.");
    expect(body).toContain("(by someone GitHub did not name)");
    expect(body).toContain("**pending (still running)**");
  });
});
