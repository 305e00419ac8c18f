import { describe, expect, it, vi } from "vitest";
import { Probot } from "probot";
import { startEmulator } from "@changegate/github-emulator";
import { startLocalStack } from "../../tools/demo/stack.js";
import changegate from "../../src/index.js";
import { refuseDefaultSecret } from "../../src/github/app.js";
import { encodeState, STICKY_MARKER } from "../../src/render/comment-state.js";
import {
  approve,
  check,
  deliverEvent,
  followUpIssues,
  haproxyChange,
  openPull,
  PLANS,
  repository,
  seedRepo,
  seedWithPolicy,
  sticky,
  useStack,
} from "./fixture.js";

// Issue 10, items 9, 20, 22-26 and 28: what the App publishes can be trusted — one check per
// head that no other pull request or App can satisfy, bodies GitHub accepts, one verdict per
// evaluation, each annotation once, one follow-up issue, no doubled writes after a timeout.

const stack = useStack({ logLevel: "fatal" });

const LAX_POLICY =
  "requirements:\n  high: { approvals: 0, testPlan: false, rollbackPlan: false }\n";

/** The App's writes to one head's check runs, in order. */
function checkWrites(repo: string, headSha: string, since: number) {
  const ids = new Set(
    stack()
      .github.checkRuns(repo, headSha)
      .map((run) => String(run.id)),
  );
  return stack()
    .github.since(since)
    .filter(
      (request) =>
        (request.operationId === "checks/create" &&
          (request.body as { head_sha?: string }).head_sha === headSha) ||
        (request.operationId === "checks/update" && ids.has(request.path.split("/").pop()!)),
    )
    .map((request) => request.body as { conclusion?: string; output?: { title?: string } });
}

/** A write that gives the check a verdict (a replaced run closed as `cancelled` gives none). */
const isVerdict = (write: { conclusion?: string }): boolean =>
  write.conclusion === "success" || write.conclusion === "failure";

describe("two pull requests, one head (item 9)", () => {
  it("keeps the shared head's check failing while the strict base's pull request fails, whatever the lax one says", async () => {
    const repo = seedRepo(stack());
    stack().github.commit(
      repo,
      "lax",
      { ".github/changegate.yml": LAX_POLICY },
      { author: "ada", message: "A lax policy" },
    );
    const strict = await openPull(stack(), repo, PLANS);
    expect(check(stack(), repo, strict).run!.conclusion).toBe("failure");
    const { number: lax } = await stack().github.openPullRequest(repo, {
      head: "change",
      base: "lax",
      author: "alice",
      title: "Same change into the lax branch",
      body: PLANS,
    });
    await stack().idle();
    // The lax PR alone would pass; the head's one check must still block the strict PR.
    const { run } = check(stack(), repo, strict);
    expect(run!.conclusion).toBe("failure");
    expect(run!.output.title).toBe(`#${strict} into main: High risk — 0 of 2 approvals`);
    expect(run!.output.summary).toContain(`#${lax} into \`lax\``);
    // Each annotation once, although both pull requests found it.
    expect(run!.output.annotations).toHaveLength(2);
    // The lax PR's comment says its check is shared, and with whom.
    expect(sticky(stack(), repo, lax)[0]!.body).toContain(
      `This commit is also the head of #${strict} into \`main\` (❌)`,
    );

    // Two approvals satisfy the strict base too: now both pass.
    await approve(stack(), repo, strict, "bob", "carol");
    expect(check(stack(), repo, strict).run!.conclusion).toBe("success");
    // A third into a branch that does not require the check fails, and gates nothing.
    stack().github.commit(repo, "scratch", { "docs/x.md": "x\n" }, { author: "ada" });
    const { number: scratch } = await stack().github.openPullRequest(repo, {
      head: "change",
      base: "scratch",
      author: "alice",
      body: PLANS,
    });
    await stack().idle();
    expect(check(stack(), repo, strict).run).toMatchObject({
      conclusion: "success",
      output: { summary: expect.stringContaining(`❌ #${scratch} into \`scratch\``) },
    });
    // A re-evaluation of the lax PR keeps what the strict one needs.
    await stack().github.submitReview(repo, strict, { user: "bob", state: "CHANGES_REQUESTED" });
    await stack().github.comment(repo, lax, "/changegate recheck", "carol");
    await stack().idle();
    expect(check(stack(), repo, lax).run!.conclusion).toBe("failure");
  });
});

describe("the App's identity (item 20)", () => {
  it("adopts no other bot's comment as its sticky comment, nor trusts the state block in it", async () => {
    const repo = seedRepo(stack());
    stack().github.addUser("impostor[bot]", { type: "Bot" });
    stack().github.setWebhookTarget(undefined);
    const { number } = await stack().github.openPullRequest(repo, {
      head: "change",
      author: "alice",
      body: PLANS,
    });
    const forged = `${STICKY_MARKER}\n## Changegate\n\n${encodeState({
      ticks: [{ item: "anything", checkedBy: "ada", permission: "admin", headSha: "0".repeat(40) }],
    })}\n`;
    await stack().github.comment(repo, number, forged, "impostor[bot]");
    stack().github.setWebhookTarget(stack().appUrl);
    await stack().github.comment(repo, number, "/changegate recheck", "bob");
    await stack().idle();
    const comments = sticky(stack(), repo, number);
    expect(comments.map((comment) => comment.user)).toEqual(["impostor[bot]", "changegate[bot]"]);
    expect(comments[0]!.body).toBe(forged);
    expect(check(stack(), repo, number).run!.output.title).toBe("High risk — 0 of 2 approvals");
  });

  it("fails closed while it cannot learn who it is (GET /app fails), and adopts no comment", async () => {
    const github = await startEmulator({ webhookSecret: "identity-secret" });
    const fault = github.injectFault({ path: "/app", status: 502, times: Infinity });
    const blind = await startLocalStack({ github, logLevel: "fatal" });
    try {
      const repo = seedRepo(blind);
      const number = await openPull(blind, repo);
      expect(fault.hits).toBeGreaterThan(0);
      const { run } = check(blind, repo, number);
      expect(run).toMatchObject({
        conclusion: "failure",
        output: { title: "Changegate could not evaluate this pull request" },
      });
      expect(run!.output.summary).toContain("could not confirm its own identity");
      expect(sticky(blind, repo, number)).toHaveLength(0);
    } finally {
      github.clearFaults();
      await blind.close();
      await github.close();
    }
  });
});

describe("bodies GitHub limits, one verdict per evaluation (item 22)", () => {
  it("clips a comment past 65,536 characters and the check's text, keeps the state block, and writes the verdict once", async () => {
    const { head: files, base } = haproxyChange(300, 25);
    const repo = seedRepo(stack(), files, base);
    const mark = stack().github.mark();
    const number = await openPull(stack(), repo);
    const head = stack().github.pull(repo, number).head.sha;
    const { run } = check(stack(), repo, number);
    expect(run!.output.title).toMatch(/^High risk/);
    expect(run!.output.text!.length).toBeLessThanOrEqual(65_535);
    expect(run!.output.text).toMatch(
      /\(truncated: GitHub accepts at most 65,535 characters here\)$/,
    );
    const [comment] = sticky(stack(), repo, number);
    expect(comment!.body.length).toBeLessThanOrEqual(65_536);
    expect(comment!.body).toContain("truncated");
    // The state block (base64 JSON, with its seal when signed) closes the clipped comment.
    expect(comment!.body).toMatch(/<!-- changegate:state [A-Za-z0-9+/=]+(?: [0-9a-f]{64})? -->\n$/);
    const verdicts = checkWrites(repo, head, mark).filter(isVerdict);
    expect(verdicts.map((write) => [write.conclusion, write.output?.title])).toEqual([
      [run!.conclusion, run!.output.title],
    ]);
  });

  it("never turns a written verdict into another: a failed comment write fails the check once", async () => {
    const repo = seedRepo(stack());
    stack().github.injectFault({ operationId: "issues/create-comment", status: 422 });
    const mark = stack().github.mark();
    const number = await openPull(stack(), repo, PLANS);
    const head = stack().github.pull(repo, number).head.sha;
    const conclusions = checkWrites(repo, head, mark)
      .filter(isVerdict)
      .map((write) => write.output?.title);
    expect(conclusions).toEqual(["Changegate could not evaluate this pull request"]);
  });

  it("writes the verdict with the last batch of annotations, so a failed batch fails the check once", async () => {
    const { head: files, base } = haproxyChange(60);
    const repo = seedRepo(stack(), files, base);
    stack().github.injectFault({ operationId: "checks/update", status: 502 });
    const mark = stack().github.mark();
    const number = await openPull(stack(), repo);
    const head = stack().github.pull(repo, number).head.sha;
    const verdicts = checkWrites(repo, head, mark)
      .filter(isVerdict)
      .map((write) => write.output?.title);
    expect(verdicts).toEqual(["Changegate could not evaluate this pull request"]);
  });

  it("posts the explain reply after the verdict; its failure leaves the verdict alone", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo);
    const before = check(stack(), repo, number).run!;
    const mark = stack().github.mark();
    const reply = stack().github.injectFault({ operationId: "issues/create-comment", status: 422 });
    await stack().github.comment(repo, number, "/changegate explain", "bob");
    await stack().idle();
    expect(reply.hits).toBe(1); // the App did try to post the explanation
    const head = stack().github.pull(repo, number).head.sha;
    expect(checkWrites(repo, head, mark).filter(isVerdict)).toEqual([]);
    expect(check(stack(), repo, number).run).toMatchObject({
      id: before.id,
      conclusion: "failure",
      output: { title: "High risk — 0 of 2 approvals, test plan missing, rollback plan missing" },
    });
  });
});

describe("annotations (item 23)", () => {
  it("sends each annotation once per check run, however often the run is updated", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo, PLANS);
    await stack().github.submitReview(repo, number, { user: "bob", state: "APPROVED" });
    await stack().idle();
    await stack().github.submitReview(repo, number, { user: "carol", state: "APPROVED" });
    await stack().idle();
    const { count, run } = check(stack(), repo, number);
    expect(run!.conclusion).toBe("success");
    expect(count).toBe(1);
    expect(run!.output.annotations.map((a: { start_line: number }) => a.start_line)).toEqual([
      11, 20,
    ]);
  });

  it("puts changed annotations on a new run instead of appending them to the old ones", async () => {
    const repo = seedWithPolicy(stack(), "requirements:\n  high: { approvals: 2 }\n");
    const number = await openPull(stack(), repo, PLANS);
    const first = check(stack(), repo, number).run!;
    expect(first.output.annotations.map((a: { start_line: number }) => a.start_line)).toEqual([
      11, 20,
    ]);
    // The base's policy turns a rule off: the same head now has fewer findings.
    stack().github.commit(
      repo,
      "main",
      {
        ".github/changegate.yml":
          "requirements:\n  high: { approvals: 2 }\nrules:\n  lb.health-check.detection-too-fast: { enabled: false }\n",
      },
      { author: "ada", message: "Quieter" },
    );
    await stack().github.comment(repo, number, "/changegate recheck", "bob");
    await stack().idle();
    const { count, run } = check(stack(), repo, number);
    expect(count).toBe(2);
    expect(run!.id).not.toBe(first.id);
    expect(run!.output.annotations.map((a: { start_line: number }) => a.start_line)).toEqual([20]);
    // The replaced run keeps the annotations it had: none was sent to it again.
    const old = stack()
      .github.checkRuns(repo, first.headSha)
      .find((r) => r.id === first.id)!;
    expect(old.output.annotations).toHaveLength(2);
  });
});

describe("the follow-up issue (item 24)", () => {
  it("is opened once when the write that records it fails and the evaluation runs again", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo);
    await stack().github.addLabel(repo, number, "changegate:emergency", "mia");
    await stack().idle();
    const record = stack().github.injectFault({
      operationId: "issues/update-comment",
      status: 502,
    });
    await stack().github.mergePullRequest(repo, number, "mia");
    await stack().idle();
    expect(record.hits).toBe(1); // the write that records the issue in the comment failed
    await stack().github.comment(repo, number, "/changegate recheck", "ada");
    await stack().idle();
    const issues = followUpIssues(stack(), repo, number);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.assignees).toEqual(["mia"]);
  });
});

describe("Re-run (item 25)", () => {
  const rerun = (repo: string, payload: Record<string, unknown>, event: string) =>
    deliverEvent(stack(), event, "acme", { ...payload, repository: repository(repo) }, "bob");

  it("re-evaluates a fork's pull request from the run's external_id (its pull_requests is empty)", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo);
    const before = check(stack(), repo, number).run!;
    expect(before.output.title).toContain("test plan missing");
    stack().github.pull(repo, number).body = PLANS; // no event: only the re-run can show it
    await rerun(
      repo,
      {
        action: "rerequested",
        check_run: {
          id: before.id,
          name: "Changegate",
          head_sha: before.headSha,
          external_id: before.externalId,
          pull_requests: [],
        },
      },
      "check_run",
    );
    expect(check(stack(), repo, number).run!.output.title).toBe("High risk — 0 of 2 approvals");
  });

  it("re-evaluates on Re-run all checks (check_suite.rerequested), a fork's suite included", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo);
    stack().github.pull(repo, number).body = PLANS;
    const head = stack().github.pull(repo, number).head.sha;
    await rerun(
      repo,
      {
        action: "rerequested",
        check_suite: { id: 1, head_sha: head, head_branch: null, pull_requests: [] },
      },
      "check_suite",
    );
    expect(check(stack(), repo, number).run!.output.title).toBe("High risk — 0 of 2 approvals");
  });
});

describe("writes after a timeout (item 26)", () => {
  const retrying = useStack({
    logLevel: "fatal",
    retries: true,
    requests: { timeoutMs: 300, deadlineMs: 20_000 },
  });

  it("does not post a second comment when a comment POST timed out but GitHub did it", async () => {
    const repo = seedRepo(retrying());
    const slow = retrying().github.injectFault({
      operationId: "issues/create-comment",
      delayMs: 800,
    });
    const number = await openPull(retrying(), repo);
    // The App gave up on the POST (300 ms) and failed the check; GitHub still creates the comment.
    expect(slow.hits).toBe(1);
    expect(check(retrying(), repo, number).run!.output.title).toBe(
      "Changegate could not evaluate this pull request",
    );
    await vi.waitFor(() => expect(sticky(retrying(), repo, number)).toHaveLength(1), {
      timeout: 10_000,
      interval: 50,
    });
    await retrying().github.comment(repo, number, "/changegate recheck", "bob");
    await retrying().idle();
    expect(sticky(retrying(), repo, number)).toHaveLength(1);
    const posts = retrying()
      .github.writes()
      .filter(
        (request) =>
          request.actor === "changegate[bot]" && request.operationId === "issues/create-comment",
      );
    expect(posts).toHaveLength(1); // the POST that timed out; the recheck found its comment
    expect(check(retrying(), repo, number).run).toMatchObject({
      conclusion: "failure",
      output: { title: "High risk — 0 of 2 approvals, test plan missing, rollback plan missing" },
    });
  });
});

describe("the webhook secret (item 28)", () => {
  const credentials = { appId: 1, privateKey: "unused" };

  it("refuses to start without a webhook secret (Probot would accept its default 'development')", async () => {
    // probot.load() is what `probot run` and createNodeMiddleware call with the App function.
    await expect(new Probot(credentials).load(changegate)).rejects.toThrow(/WEBHOOK_SECRET/);
    await expect(new Probot({ ...credentials, secret: "" }).load(changegate)).rejects.toThrow(
      /WEBHOOK_SECRET/,
    );
  });

  it("serves with a secret of its own", async () => {
    await expect(
      new Probot({ ...credentials, secret: "s3cret" }).load(refuseDefaultSecret),
    ).resolves.toBeUndefined();
  });
});
