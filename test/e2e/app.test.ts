import { describe, expect, it } from "vitest";
import { runPostmortemDemo } from "../../tools/demo/postmortem.js";
import {
  AFTER,
  approve,
  check,
  followUpIssues,
  haproxyChange,
  openPull,
  PLANS,
  seedRepo,
  seedWithPolicy,
  sticky,
  useStack,
} from "./fixture.js";

const stack = useStack();

describe("the App end to end (real Probot server, signed deliveries, emulated GitHub)", () => {
  it("replays the postmortem: blocked, self-approval ignored, plans added, two approvals pass, a new infra push makes them stale", async () => {
    const { steps, comment } = await runPostmortemDemo(stack());
    expect(steps.map((step) => [step.conclusion, step.title])).toEqual([
      ["failure", "High risk — 0 of 2 approvals, test plan missing, rollback plan missing"],
      ["failure", "High risk — 0 of 2 approvals, test plan missing, rollback plan missing"],
      ["failure", "High risk — 0 of 2 approvals"],
      ["success", "High risk — all requirements met"],
      ["failure", "High risk — 0 of 2 approvals"],
    ]);
    expect(comment).toContain("approved");
    expect(comment).toContain("the infrastructure change has changed since");
  });

  it("writes one check run per head and one sticky comment, and annotates the config lines", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo);
    const { count, run } = check(stack(), repo, number);
    expect(count).toBe(1);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(
      run!.output.annotations.map(
        (a: { path: string; start_line: number; annotation_level: string }) => [
          a.path,
          a.start_line,
          a.annotation_level,
        ],
      ),
    ).toEqual([
      ["infra/lb.tf", 11, "failure"],
      ["infra/lb.tf", 20, "failure"],
    ]);
    expect(sticky(stack(), repo, number)).toHaveLength(1);
  });

  it("sends annotations in batches of 50, GitHub's limit per request", async () => {
    const { head, base } = haproxyChange(60);
    const repo = seedRepo(stack(), head, base);
    stack().github.reset();
    const number = await openPull(stack(), repo);
    const { run } = check(stack(), repo, number);
    const findings = run!.output.annotations.length;
    expect(findings).toBeGreaterThan(50);
    const writes = stack().github.requests.filter(
      (request) =>
        (request.operationId === "checks/update" && request.path.includes(String(run!.id))) ||
        (request.operationId === "checks/create" &&
          (request.body as { head_sha?: string }).head_sha ===
            stack().github.pull(repo, number).head.sha),
    );
    const batches = writes.map(
      (request) =>
        ((request.body as { output?: { annotations?: unknown[] } }).output?.annotations ?? [])
          .length,
    );
    expect(batches.every((size) => size <= 50)).toBe(true);
    expect(batches.reduce((sum, size) => sum + size, 0)).toBe(findings);
  });

  it("writes the check and the comment once per new head, and nothing when a re-evaluation finds no change", async () => {
    const repo = seedRepo(stack());
    stack().github.reset();
    const number = await openPull(stack(), repo);
    const appWrites = () =>
      stack()
        .github.writes()
        .filter(
          (request) => request.actor === "changegate[bot]" && request.operationId !== "graphql",
        )
        .map((request) => request.operationId);
    // The comment first, then the check: its verdict is the last write that decides (never green,
    // then red); the suggested fixes' review comes after it (docs/output.md, "Suggested fixes").
    expect(appWrites()).toEqual(["issues/create-comment", "checks/create", "pulls/create-review"]);
    stack().github.reset();
    const { id } = check(stack(), repo, number).run!;
    await stack().github.rerequestCheckRun(repo, id, "bob");
    await stack().idle();
    expect(appWrites()).toEqual([]);
  });

  it("ignores approvals from bots, readers and people who committed to the PR", async () => {
    const repo = seedRepo(stack());
    stack().github.addUser("renovate[bot]", { type: "Bot" });
    stack().github.addCollaborator(repo, "renovate[bot]", "write");
    const number = await openPull(stack(), repo, PLANS);
    await stack().github.push(repo, "change", { "README.md": "# web, by bob\n" }, "bob");
    for (const user of ["renovate[bot]", "rita", "bob"])
      await stack().github.submitReview(repo, number, { user, state: "APPROVED" });
    await stack().idle();
    expect(check(stack(), repo, number).run!.output.title).toBe("High risk — 0 of 2 approvals");
    const body = sticky(stack(), repo, number)[0]!.body;
    expect(body).toMatch(/renovate\\\[bot\\\].*❌ bot/);
    expect(body).toMatch(/rita.*❌ no write access/);
    expect(body).toMatch(/bob.*❌ .*committed/);
  });

  it("keeps approvals across a docs-only push and a merge of the base branch, but not across an infra change", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo, PLANS);
    await approve(stack(), repo, number, "bob", "carol");
    expect(check(stack(), repo, number).run!.conclusion).toBe("success");

    await stack().github.push(repo, "change", { "README.md": "# web\n\nDocs only.\n" }, "alice");
    await stack().idle();
    expect(check(stack(), repo, number).run!.conclusion).toBe("success");

    stack().github.commit(
      repo,
      "main",
      { "docs/runbook.md": "# Runbook\n" },
      { author: "ada", message: "Runbook" },
    );
    await stack().github.mergeBaseIntoHead(repo, number, "alice");
    await stack().idle();
    expect(check(stack(), repo, number).run!.conclusion).toBe("success");

    await stack().github.push(
      repo,
      "change",
      { "infra/lb.tf": AFTER.replace("cookie_duration = 60", "cookie_duration = 30") },
      "alice",
    );
    await stack().idle();
    expect(check(stack(), repo, number).run!).toMatchObject({
      conclusion: "failure",
      output: { title: "High risk — 0 of 2 approvals" },
    });
  });

  it("blocks on changes requested by a writer", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo, PLANS);
    await stack().github.submitReview(repo, number, { user: "bob", state: "APPROVED" });
    await stack().github.submitReview(repo, number, { user: "carol", state: "APPROVED" });
    await stack().github.submitReview(repo, number, {
      user: "mia",
      state: "CHANGES_REQUESTED",
      body: "Interval too low",
    });
    await stack().idle();
    expect(check(stack(), repo, number).run!).toMatchObject({ conclusion: "failure" });
    expect(check(stack(), repo, number).run!.output.title).toContain("changes requested by @mia");
  });

  it("evaluates a PR that edits the policy under the base branch's policy, and flags it", async () => {
    const repo = seedRepo(
      stack(),
      {
        "infra/lb.tf": AFTER,
        ".github/changegate.yml":
          "requirements:\n  high: { approvals: 0, testPlan: false, rollbackPlan: false }\n",
      },
      {
        ".github/changegate.yml": "requirements:\n  high: { approvals: 1 }\n",
      },
    );
    const number = await openPull(stack(), repo, PLANS);
    const { run } = check(stack(), repo, number);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(run!.output.title).toContain("0 of 1 approvals");
    expect(sticky(stack(), repo, number)[0]!.body).toContain(
      "evaluated under the base branch's policy",
    );
  });

  it("inherits an org-wide policy through _extends", async () => {
    // An owner of its own: the owner's .github repository is the policy of all its repositories.
    stack().github.createRepo("inherit-org/.github", {
      ownerType: "Organization",
      files: { ".github/changegate.yml": "requirements:\n  high: { approvals: 3 }\n" },
    });
    const repo = seedRepo(
      stack(),
      { "infra/lb.tf": AFTER },
      { ".github/changegate.yml": "_extends: .github\nemergency: { label: urgent }\n" },
      { owner: "inherit-org" },
    );
    const number = await openPull(stack(), repo, PLANS);
    expect(check(stack(), repo, number).run!.output.title).toBe("High risk — 0 of 3 approvals");
  });

  it("fails closed with the key and line of an invalid policy", async () => {
    const repo = seedWithPolicy(stack(), "requirements:\n  high:\n    approvals: two\n");
    const number = await openPull(stack(), repo, PLANS);
    const { run } = check(stack(), repo, number);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(run!.output.title).toContain("requirements.high.approvals");
    expect(run!.output.title).toContain("line 3");
  });

  it("passes a PR without infrastructure changes with a green check and no comment", async () => {
    const repo = seedRepo(stack(), { "README.md": "# web\n\nMore docs.\n" });
    const number = await openPull(stack(), repo);
    expect(check(stack(), repo, number).run).toMatchObject({
      conclusion: "success",
      output: { title: "No infrastructure risk" },
    });
    expect(sticky(stack(), repo, number)).toHaveLength(0);
  });

  it("accepts the emergency label from a maintainer, names them, and opens a follow-up issue on merge", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo);
    await stack().github.addLabel(repo, number, "changegate:emergency", "mia");
    await stack().idle();
    expect(check(stack(), repo, number).run).toMatchObject({
      conclusion: "success",
      output: { title: "Emergency override by @mia — high risk, gates bypassed" },
    });
    await stack().github.mergePullRequest(repo, number, "mia");
    await stack().idle();
    const issues = followUpIssues(stack(), repo, number);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.assignees).toEqual(["mia"]);
    const body = sticky(stack(), repo, number)[0]!.body;
    expect(body).toContain("### Merged");
    expect(body).toContain("emergency override by @");
  });

  it("refuses the emergency label from a writer who is not a maintainer", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo);
    await stack().github.addLabel(repo, number, "changegate:emergency", "bob");
    await stack().idle();
    expect(check(stack(), repo, number).run).toMatchObject({
      conclusion: "failure",
      output: {
        title:
          "High risk — 0 of 2 approvals, test plan missing, rollback plan missing, emergency label not accepted",
      },
    });
    expect(sticky(stack(), repo, number)[0]!.body).toMatch(/Emergency override\*\*: .*bob/);
  });

  it("records checklist ticks by writers and reverts ticks by others", async () => {
    const repo = seedWithPolicy(stack(), "requirements:\n  high: { checklist: true }\n");
    const number = await openPull(stack(), repo, PLANS);
    const comment = sticky(stack(), repo, number)[0]!;
    const ticked = comment.body.replace("- [ ] ", "- [x] ");
    await stack().github.editComment(repo, comment.id, ticked, "rita");
    await stack().idle();
    let body = sticky(stack(), repo, number)[0]!.body;
    expect(body).toContain("was reverted: ticks need write access");
    expect(body).not.toContain("- [x] ");

    await stack().github.editComment(repo, comment.id, body.replace("- [ ] ", "- [x] "), "bob");
    await stack().idle();
    body = sticky(stack(), repo, number)[0]!.body;
    expect(body).toMatch(/- \[x\] .* — ticked by @\u200bbob at [0-9a-f]{7}/);
    expect(check(stack(), repo, number).run!.output.title).toContain("checklist 1 of 3 ticked");
  });

  it("records every tick of a burst of checklist edits by different writers", async () => {
    const repo = seedWithPolicy(stack(), "requirements:\n  high: { checklist: true }\n");
    const number = await openPull(stack(), repo, PLANS);
    const comment = sticky(stack(), repo, number)[0]!;
    // Three writers tick one box each, one right after the other (without waiting for the App):
    // edits that arrive while an evaluation runs are coalesced, and none may be lost.
    for (const login of ["bob", "carol", "mia"]) {
      const current = sticky(stack(), repo, number)[0]!.body;
      await stack().github.editComment(
        repo,
        comment.id,
        current.replace("- [ ] ", "- [x] "),
        login,
      );
    }
    await stack().idle();
    const body = sticky(stack(), repo, number)[0]!.body;
    for (const login of ["bob", "carol", "mia"])
      expect(body).toContain(`ticked by @\u200b${login}`);
    // Every box of the three is ticked: the checklist no longer holds the check back.
    expect(check(stack(), repo, number).run!.output.title).toBe("High risk — 0 of 2 approvals");
  });

  it("does not duplicate the comment or the check when a delivery is redelivered", async () => {
    const repo = seedRepo(stack());
    const { delivery } = await stack().github.openPullRequest(repo, {
      head: "change",
      author: "alice",
      title: "x",
      body: "x",
    });
    await stack().idle();
    const mark = stack().github.mark();
    const answers = [
      await stack().github.redeliver(delivery.deliveryId),
      await stack().github.redeliver(delivery.deliveryId),
    ];
    await stack().idle();
    // The App accepted both redeliveries, and wrote nothing for them.
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(
      stack()
        .github.since(mark)
        .filter(
          (request) =>
            request.actor === "changegate[bot]" &&
            request.method !== "GET" &&
            request.operationId !== "graphql",
        ),
    ).toEqual([]);
    const number = 1;
    expect(sticky(stack(), repo, number)).toHaveLength(1);
    expect(check(stack(), repo, number).count).toBe(1);
  });

  it("answers /changegate commands from writers and refuses others", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo);
    await stack().github.comment(repo, number, "/changegate explain", "bob");
    await stack().idle();
    const explain = stack()
      .github.comments(repo, number)
      .find((comment) => comment.body.startsWith("### Changegate: explanation"));
    expect(explain?.body).toContain('"repository": "acme/');
    await stack().github.comment(repo, number, "/changegate recheck", "rita");
    await stack().idle();
    expect(
      stack()
        .github.comments(repo, number)
        .some((comment) =>
          comment.body.includes("commands are accepted from people with write access only"),
        ),
    ).toBe(true);
  });

  it("warns in the comment when the base branch does not require the check", async () => {
    const repo = seedRepo(stack());
    stack().github.setRequiredChecks(repo, "main", []);
    const number = await openPull(stack(), repo);
    expect(sticky(stack(), repo, number)[0]!.body).toContain(
      "does not require the `Changegate` check",
    );
  });

  it("marks drafts", async () => {
    const repo = seedRepo(stack());
    await stack().github.openPullRequest(repo, {
      head: "change",
      author: "alice",
      title: "x",
      body: "x",
      draft: true,
    });
    await stack().idle();
    expect(check(stack(), repo, 1).run!.output.title).toMatch(/^Draft: High risk/);
  });

  it("refuses unsigned and mis-signed deliveries and changes nothing", async () => {
    const before = stack().github.writes().length;
    const body = JSON.stringify({ action: "opened" });
    const unsigned = await stack().github.deliverRaw(body, {
      "x-github-event": "pull_request",
      "x-github-delivery": "1",
      "x-hub-signature-256": null,
    });
    const missigned = await stack().github.deliverRaw(body, {
      "x-github-event": "pull_request",
      "x-github-delivery": "2",
      "x-hub-signature-256": "sha256=" + "0".repeat(64),
    });
    await stack().idle();
    expect(unsigned.status).toBeGreaterThanOrEqual(400);
    expect(unsigned.status).toBeLessThan(500);
    expect(missigned.status).toBeGreaterThanOrEqual(400);
    expect(missigned.status).toBeLessThan(500);
    expect(stack().github.writes().length).toBe(before);
  });
});
