/**
 * The merge record and the bypass follow-up through the real App and the emulator
 * (docs/security.md, "Bypass follow-up"; docs/output.md, "The merge record").
 */
import { describe, expect, it } from "vitest";
import { readMergeRecord, sameRecord, type MergeRecord } from "../../src/render/merge-record.js";
import {
  approve,
  check,
  followUpIssues,
  openPull,
  PLANS,
  seedRepo,
  sticky,
  useStack,
} from "./fixture.js";

const stack = useStack();

/** The merge record a text carries; fails the test when it carries none or an invalid one. */
function recordIn(text: string | null | undefined): MergeRecord {
  const reading = readMergeRecord(text);
  if (reading.kind !== "record")
    throw new Error(`expected a merge record, got ${JSON.stringify(reading)}`);
  return reading.record;
}

/** The record on the head's check run and in the sticky comment, which must say the same. */
function records(repo: string, number: number): MergeRecord {
  const fromCheck = recordIn(check(stack(), repo, number).run!.output.text);
  const comments = sticky(stack(), repo, number);
  expect(comments).toHaveLength(1);
  expect(sameRecord(recordIn(comments[0]!.body), fromCheck)).toBe(true);
  return fromCheck;
}

describe("an admin merge of a blocked pull request (a bypass)", () => {
  it("opens one follow-up issue naming the merger, and records the bypass in the check run and the comment", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo);
    expect(check(stack(), repo, number).run!.conclusion).toBe("failure");
    const { sha: mergeCommitSha, delivery } = await stack().github.mergePullRequest(
      repo,
      number,
      "ada",
      { force: true },
    );
    await stack().idle();

    const issues = followUpIssues(stack(), repo, number);
    expect(issues).toHaveLength(1);
    const issue = issues[0]!;
    expect(issue.user).toBe("changegate[bot]"); // opened by the App, through the API
    expect(issue.assignees).toEqual(["ada"]);
    expect(issue.body).toContain("merged by @\u200bada");
    expect(issue.body).toContain("check was **failing**");
    expect(issue.body).toContain("Verdict at merge: **failure**");
    expect(issue.body).toContain("### Unmet gates");
    expect(issue.body).toMatch(/\*\*Approvals\*\*: 0 of 2 approvals/);
    expect(issue.body).toMatch(/\*\*Test plan\*\*: no "Test plan" section/);
    expect(issue.body).toContain("lb.health-check.detection-too-fast");

    const record = records(repo, number);
    const pull = stack().github.pull(repo, number);
    expect(record).toMatchObject({
      repository: repo,
      pull: number,
      headSha: pull.head.sha,
      mergedBy: "ada",
      verdict: "failure",
      risk: "high",
      checkAtMerge: "failure",
      bypass: { mergedBy: "ada", checkAtMerge: "failure" },
      override: null,
      followUpIssue: issue.number,
      files: ["infra/lb.tf"],
    });
    expect(record.mergeCommitSha).toBe(mergeCommitSha);
    expect(record.mergedAt).toBe(pull.mergedAt);
    expect(record.evaluatedAt).toEqual(expect.any(String)); // the App's clock: Date.now here
    const footer = sticky(stack(), repo, number)[0]!.body;
    expect(footer).toContain(`post-change review #${issue.number}`);

    // The `closed` delivery again: the run now says failure and holds the record, which is reused.
    await stack().github.redeliver(delivery.deliveryId);
    await stack().idle();
    expect(followUpIssues(stack(), repo, number)).toHaveLength(1);
    expect(records(repo, number)).toEqual(record);
  });

  it("says the check was missing when it never ran", async () => {
    const repo = seedRepo(stack());
    stack().github.setWebhookTarget(undefined); // the App hears nothing of the pull request
    const number = await openPull(stack(), repo, PLANS);
    expect(check(stack(), repo, number).run).toBeUndefined();
    stack().github.setWebhookTarget(stack().appUrl);
    await stack().github.mergePullRequest(repo, number, "mia", { force: true });
    await stack().idle();

    const issues = followUpIssues(stack(), repo, number);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.assignees).toEqual(["mia"]);
    expect(issues[0]!.body).toContain("**missing (a check that never ran)**");
    expect(records(repo, number)).toMatchObject({
      checkAtMerge: "missing",
      bypass: { mergedBy: "mia", checkAtMerge: "missing" },
      followUpIssue: issues[0]!.number,
    });
  });

  it("leaves the issue unassigned when a bot merged", async () => {
    const repo = seedRepo(stack());
    stack().github.addUser("merge-bot[bot]", { type: "Bot" });
    stack().github.addCollaborator(repo, "merge-bot[bot]", "write");
    const number = await openPull(stack(), repo);
    await stack().github.mergePullRequest(repo, number, "merge-bot[bot]", { force: true });
    await stack().idle();
    const issues = followUpIssues(stack(), repo, number);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.assignees).toEqual([]);
    expect(issues[0]!.body).toContain("merged by @\u200bmerge-bot\\[bot\\]");
  });

  it("keeps the record as it was at the merge: a description edited afterwards changes nothing in it", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo);
    await stack().github.mergePullRequest(repo, number, "ada", { force: true });
    await stack().idle();
    const atMerge = records(repo, number);
    expect(atMerge).toMatchObject({ testPlanLinks: [], rollbackPlan: false });

    // Plans written into the description after the merge: the App's next verdict reads them, the
    // record of the merge does not.
    stack().github.pull(repo, number).body = PLANS;
    await stack().github.comment(repo, number, "/changegate recheck", "ada");
    await stack().idle();
    expect(check(stack(), repo, number).run!.output.summary).toContain("ci.acme.dev");
    expect(records(repo, number)).toEqual(atMerge);
  });
});

describe("a merge that is no bypass", () => {
  it("records a green merge with its approvals and opens no issue, also when a later evaluation fails", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo, PLANS);
    await approve(stack(), repo, number, "bob", "carol");
    expect(check(stack(), repo, number).run!.conclusion).toBe("success");
    await stack().github.mergePullRequest(repo, number, "mia");
    await stack().idle();

    const record = records(repo, number);
    const head = stack().github.pull(repo, number).head.sha;
    expect(record).toMatchObject({
      verdict: "success",
      checkAtMerge: "success",
      bypass: null,
      followUpIssue: null,
      rollbackPlan: true,
      testPlanLinks: ["https://ci.acme.dev/runs/4821"],
    });
    expect(record.approvals).toEqual([
      expect.objectContaining({ user: "bob", commitSha: head, counted: true }),
      expect.objectContaining({ user: "carol", commitSha: head, counted: true }),
    ]);
    expect(followUpIssues(stack(), repo, number)).toHaveLength(0);

    // The description loses its plans after the merge: the App's next verdict is red, and the one
    // after that reads its own red run, whose record still says the check was green at the merge.
    stack().github.pull(repo, number).body = "Plans removed.";
    for (let i = 0; i < 2; i++) {
      await stack().github.comment(repo, number, "/changegate recheck", "ada");
      await stack().idle();
    }
    expect(check(stack(), repo, number).run!.conclusion).toBe("failure");
    expect(records(repo, number)).toMatchObject({ checkAtMerge: "success", bypass: null });
    expect(followUpIssues(stack(), repo, number)).toHaveLength(0);
  });

  it("keeps a green merge green when the merge evaluation failed and wrote its failure on the run", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo, PLANS);
    await approve(stack(), repo, number, "bob", "carol");
    const fault = stack().github.injectFault({ operationId: "issues/update-comment", status: 502 });
    await stack().github.mergePullRequest(repo, number, "mia");
    await stack().idle();
    expect(fault.hits).toBe(1);
    expect(check(stack(), repo, number).run).toMatchObject({
      conclusion: "failure",
      output: { title: "Changegate could not evaluate this pull request" },
    });

    await stack().github.comment(repo, number, "/changegate recheck", "ada");
    await stack().idle();
    expect(records(repo, number)).toMatchObject({ checkAtMerge: "success", bypass: null });
    expect(followUpIssues(stack(), repo, number)).toHaveLength(0);
  });

  it("keeps the emergency override's one issue: no second for a bypass", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo);
    await stack().github.addLabel(repo, number, "changegate:emergency", "mia");
    await stack().idle();
    const { delivery } = await stack().github.mergePullRequest(repo, number, "mia");
    await stack().idle();
    await stack().github.redeliver(delivery.deliveryId);
    await stack().idle();

    const issues = followUpIssues(stack(), repo, number);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.body).toContain("merged under an emergency override");
    expect(records(repo, number)).toMatchObject({
      checkAtMerge: "success",
      override: { label: "changegate:emergency", by: "mia" },
      bypass: null,
      followUpIssue: issues[0]!.number,
    });
  });
});
