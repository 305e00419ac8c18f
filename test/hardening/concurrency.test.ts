import { describe, expect, it } from "vitest";
import { AFTER, openPull, seedRepo, sticky, useStack } from "../e2e/fixture.js";

// Bursts, redeliveries and races: one sticky comment and one check run on the latest head, no
// result for an old head published as current, nothing posted on a PR closed meanwhile, and no
// loops from the App's own events.

const stack = useStack({ logLevel: "fatal", inProgressAfterMs: 0 });

const CHANGED = AFTER.replace("cookie_duration = 60", "cookie_duration = 30");
const deliveryBody = (id: number): string =>
  stack().github.state.deliveries.find((delivery) => delivery.id === id)!.requestBody;
const changegateRuns = (repo: string, sha: string) =>
  stack()
    .github.checkRuns(repo, sha)
    .filter((run) => run.name === "Changegate");
/** Resolves once a fault has been hit: the evaluation is now waiting on it. */
async function hit(fault: { hits: number }): Promise<void> {
  while (fault.hits === 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("bursts and redeliveries", () => {
  it("turns 10 simultaneous deliveries plus redeliveries of one event into one check run and one comment", async () => {
    const repo = seedRepo(stack());
    stack().github.setWebhookTarget(undefined); // record the event without delivering it
    const { number, delivery } = await stack().github.openPullRequest(repo, {
      head: "change",
      author: "alice",
      body: "x",
    });
    stack().github.setWebhookTarget(stack().appUrl);
    const body = deliveryBody(delivery.deliveryId);
    const answers = await Promise.all([
      ...Array.from({ length: 10 }, () => stack().github.deliverRaw(body, {}, "pull_request")),
      ...Array.from({ length: 5 }, () => stack().github.redeliver(delivery.deliveryId)),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual(Array(15).fill(200));
    await stack().idle();
    const head = stack().github.pull(repo, number).head.sha;
    expect(changegateRuns(repo, head).map((run) => run.status)).toEqual(["completed"]);
    expect(sticky(stack(), repo, number)).toHaveLength(1);
    expect(
      stack()
        .github.writes()
        .filter((write) => write.path === `/repos/${repo}/check-runs`),
    ).toHaveLength(1);
  });

  it("leaves an old head's check alone when stale events for it arrive after a push", async () => {
    const repo = seedRepo(stack());
    const { number, delivery } = await stack().github.openPullRequest(repo, {
      head: "change",
      author: "alice",
      body: "x",
    });
    await stack().idle();
    const oldHead = stack().github.pull(repo, number).head.sha;
    await stack().github.push(repo, "change", { "infra/lb.tf": CHANGED }, "alice");
    await stack().idle();
    const newHead = stack().github.pull(repo, number).head.sha;
    const body = deliveryBody(delivery.deliveryId); // `opened`, naming the old head
    await Promise.all([
      ...Array.from({ length: 10 }, () => stack().github.deliverRaw(body, {}, "pull_request")),
      ...Array.from({ length: 5 }, () => stack().github.redeliver(delivery.deliveryId)),
    ]);
    await stack().idle();
    expect(changegateRuns(repo, oldHead).map((run) => run.status)).toEqual(["completed"]);
    expect(changegateRuns(repo, newHead).map((run) => run.status)).toEqual(["completed"]);
    expect(sticky(stack(), repo, number)).toHaveLength(1);
  });
});

describe("a PR that moves or closes during an evaluation", () => {
  it("publishes for the new head when a push lands before the snapshot is read", async () => {
    const repo = seedRepo(stack());
    // The snapshot's first read is slow; the push lands while it is in flight.
    const slowStart = stack().github.injectFault({
      method: "POST",
      path: /graphql$/,
      times: 1,
      delayMs: 300,
    });
    const { number } = await stack().github.openPullRequest(repo, {
      head: "change",
      author: "alice",
      body: "x",
    });
    const oldHead = stack().github.pull(repo, number).head.sha;
    await hit(slowStart);
    await stack().github.push(repo, "change", { "infra/lb.tf": CHANGED }, "alice");
    await stack().idle();
    const newHead = stack().github.pull(repo, number).head.sha;
    expect(changegateRuns(repo, oldHead).every((run) => run.status !== "completed")).toBe(true);
    expect(changegateRuns(repo, newHead).map((run) => run.status)).toEqual(["completed"]);
    expect(sticky(stack(), repo, number)).toHaveLength(1);
  });

  it("drops a result whose head moved while it was computed: nothing is written for the old head", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo);
    const oldHead = stack().github.pull(repo, number).head.sha;
    const comment = sticky(stack(), repo, number)[0]!;
    // A checklist tick makes the evaluation ask bob's permission after the snapshot: slow it down.
    const slow = stack().github.injectFault({
      path: new RegExp(`^/repos/${repo}/collaborators/bob/permission$`),
      delayMs: 300,
    });
    await stack().github.editComment(
      repo,
      comment.id,
      comment.body.replace("- [ ] ", "- [x] "),
      "bob",
    );
    await hit(slow);
    const mark = stack().github.requests.length;
    await stack().github.push(repo, "change", { "infra/lb.tf": CHANGED }, "alice");
    await stack().idle();
    const newHead = stack().github.pull(repo, number).head.sha;
    const oldRunIds = new Set(changegateRuns(repo, oldHead).map((run) => run.id));
    const completions = stack()
      .github.requests.slice(mark)
      .filter((request) => request.method === "PATCH" && /\/check-runs\/\d+$/.test(request.path))
      .filter((request) => (request.body as { status?: string }).status === "completed");
    expect(completions.length).toBeGreaterThan(0);
    for (const write of completions)
      expect(oldRunIds.has(Number(write.path.split("/").pop()))).toBe(false);
    expect(changegateRuns(repo, newHead).map((run) => run.status)).toEqual(["completed"]);
    expect(sticky(stack(), repo, number)).toHaveLength(1);
  });

  it("posts nothing on a PR closed (unmerged) while it was evaluated", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo);
    const comment = sticky(stack(), repo, number)[0]!;
    const slow = stack().github.injectFault({
      path: new RegExp(`^/repos/${repo}/collaborators/bob/permission$`),
      delayMs: 300,
    });
    const ticked = comment.body.replace("- [ ] ", "- [x] ");
    await stack().github.editComment(repo, comment.id, ticked, "bob");
    await hit(slow);
    const mark = stack().github.requests.length;
    await stack().github.closePullRequest(repo, number, "alice");
    await stack().idle();
    const commentWrites = stack()
      .github.requests.slice(mark)
      .filter(
        (request) => request.method !== "GET" && /\/(issues\/\d+\/)?comments/.test(request.path),
      );
    expect(commentWrites).toEqual([]);
    expect(stack().github.comments(repo, number)).toHaveLength(1);
    expect(sticky(stack(), repo, number)[0]!.body).toBe(ticked); // the App did not rewrite it
  });
});

describe("the App's own events", () => {
  it("ignores an edit of its own comment (no loop)", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo);
    const comment = sticky(stack(), repo, number)[0]!;
    const mark = stack().github.requests.length;
    const delivery = await stack().github.editComment(
      repo,
      comment.id,
      `${comment.body}\n`,
      "changegate[bot]",
    );
    expect(delivery.status).toBe(200);
    await stack().idle();
    expect(stack().github.requests.slice(mark)).toEqual([]); // not even a read
  });

  it("ignores a command in a comment posted by the App itself", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo);
    const mark = stack().github.requests.length;
    await stack().github.comment(repo, number, "/changegate explain", "changegate[bot]");
    await stack().idle();
    expect(stack().github.requests.slice(mark)).toEqual([]);
  });
});
