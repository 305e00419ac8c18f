import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Octokit } from "@octokit/rest";
import { verify } from "@octokit/webhooks-methods";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleFor, startEmulator, type Emulator } from "../src/index.js";
import { quiet } from "./helpers.js";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A tiny webhook receiver: records deliveries, answers 200 (or 400 on a bad signature). */
async function receiver(
  secret: string,
): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      received.push({ headers: req.headers, body });
      const signature = String(req.headers["x-hub-signature-256"] ?? "");
      const valid = signature !== "" && (await verify(secret, body, signature));
      res.writeHead(valid ? 200 : 400, { "content-type": "text/plain" });
      res.end(valid ? "ok" : "bad signature");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
  };
}

function payloadOf(r: Received): Record<string, unknown> {
  return JSON.parse(r.body) as Record<string, unknown>;
}

describe("emulator webhook deliveries", () => {
  let emu: Emulator;
  let app: { server: Server; url: string; received: Received[] };
  let installationId: number;

  beforeAll(async () => {
    emu = await startEmulator({ webhookSecret: "s3cret" });
    app = await receiver("s3cret");
    emu.setWebhookTarget(app.url);
    emu.createRepo("acme/web", {
      ownerType: "Organization",
      files: { "lb.tf": "interval = 30\n" },
    });
    installationId = [...emu.state.installations.keys()][0]!;
    emu.commit("acme/web", "feature", { "lb.tf": "interval = 5\n" }, "alice");
  });
  afterAll(async () => {
    await emu.close();
    await new Promise((resolve) => app.server.close(resolve));
  });

  it("delivers pull_request.opened signed, with the example's shape, the state's values and the installation", async () => {
    const { number, delivery } = await emu.openPullRequest("acme/web", {
      head: "feature",
      author: "alice",
      title: "Tune LB",
      body: "body",
    });
    expect(delivery).toMatchObject({ status: 200, event: "pull_request", action: "opened" });
    const last = app.received.at(-1)!;
    expect(last.headers["x-github-event"]).toBe("pull_request");
    expect(last.headers["x-github-delivery"]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(last.headers["content-type"]).toBe("application/json");
    expect(await verify("s3cret", last.body, String(last.headers["x-hub-signature-256"]))).toBe(
      true,
    );

    const payload = payloadOf(last);
    const example = exampleFor("pull_request", "opened")!;
    for (const key of Object.keys(example))
      if (key !== "installation" && key !== "enterprise") expect(payload).toHaveProperty(key);
    for (const key of Object.keys(example.pull_request as object))
      expect(payload.pull_request).toHaveProperty(key);
    expect(payload.installation).toEqual({ id: installationId, node_id: expect.any(String) });
    expect(payload).toMatchObject({
      action: "opened",
      number,
      pull_request: {
        number,
        title: "Tune LB",
        body: "body",
        user: { login: "alice", type: "User" },
        head: { ref: "feature" },
        base: { ref: "main" },
      },
      repository: { full_name: "acme/web", owner: { login: "acme", type: "Organization" } },
      organization: { login: "acme" },
      sender: { login: "alice" },
    });
  });

  it("delivers synchronize with before/after, reviews, edits, labels, comments, check runs and the merge", async () => {
    const before = emu.pull("acme/web", 1).head.sha;
    const push = await emu.push("acme/web", "feature", { "README.md": "docs\n" }, "alice");
    expect(payloadOf(app.received.at(-1)!)).toMatchObject({
      action: "synchronize",
      before,
      after: push.sha,
      pull_request: { head: { sha: push.sha } },
      sender: { login: "alice" },
    });

    emu.addCollaborator("acme/web", "bob", "write");
    const review = await emu.submitReview("acme/web", 1, { user: "bob", state: "APPROVED" });
    expect(payloadOf(app.received.at(-1)!)).toMatchObject({
      action: "submitted",
      review: { id: review.id, state: "approved", commit_id: push.sha, user: { login: "bob" } },
    });
    await emu.dismissReview("acme/web", 1, review.id, "dave");
    expect(payloadOf(app.received.at(-1)!)).toMatchObject({
      action: "dismissed",
      review: { state: "dismissed" },
      sender: { login: "dave" },
    });

    await emu.editPullRequest("acme/web", 1, { body: "## Test plan\nOPS-1" }, "alice");
    expect(payloadOf(app.received.at(-1)!)).toMatchObject({
      action: "edited",
      changes: { body: { from: "body" } },
      pull_request: { body: "## Test plan\nOPS-1" },
    });

    await emu.addLabel("acme/web", 1, "changegate:emergency", "dave");
    expect(payloadOf(app.received.at(-1)!)).toMatchObject({
      action: "labeled",
      label: { name: "changegate:emergency" },
      sender: { login: "dave" },
    });
    await emu.removeLabel("acme/web", 1, "changegate:emergency", "dave");
    expect(payloadOf(app.received.at(-1)!)).toMatchObject({
      action: "unlabeled",
      label: { name: "changegate:emergency" },
    });

    const comment = await emu.comment("acme/web", 1, "/changegate explain", "bob");
    expect(app.received.at(-1)!.headers["x-github-event"]).toBe("issue_comment");
    expect(payloadOf(app.received.at(-1)!)).toMatchObject({
      action: "created",
      comment: { id: comment.id, body: "/changegate explain" },
      issue: { number: 1, pull_request: { url: expect.stringContaining("/pulls/1") } },
    });
    await emu.editComment("acme/web", comment.id, "- [x] done", "carol");
    expect(payloadOf(app.received.at(-1)!)).toMatchObject({
      action: "edited",
      changes: { body: { from: "/changegate explain" } },
      comment: { body: "- [x] done" },
      sender: { login: "carol" },
    });

    const octokit = new Octokit({ baseUrl: emu.url, auth: "ghs_t", log: quiet });
    const run = await octokit.rest.checks.create({
      owner: "acme",
      repo: "web",
      name: "Changegate",
      head_sha: push.sha,
      conclusion: "failure",
      output: { title: "t", summary: "s" },
    });
    await emu.rerequestCheckRun("acme/web", run.data.id, "bob");
    expect(payloadOf(app.received.at(-1)!)).toMatchObject({
      action: "rerequested",
      check_run: {
        id: run.data.id,
        name: "Changegate",
        head_sha: push.sha,
        check_suite: { head_sha: push.sha },
      },
    });

    await emu.mergePullRequest("acme/web", 1, "bob");
    expect(payloadOf(app.received.at(-1)!)).toMatchObject({
      action: "closed",
      pull_request: { merged: true, merged_by: { login: "bob" }, state: "closed" },
    });
  });

  it("lists deliveries, shows one, and redelivers through the REST API", async () => {
    const jwt = new Octokit({ baseUrl: emu.url, auth: "a.b.c", log: quiet });
    const { data: list } = await jwt.rest.apps.listWebhookDeliveries({ per_page: 3 });
    expect(list).toHaveLength(3);
    expect(list[0]).toMatchObject({
      event: "pull_request",
      action: "closed",
      status: "OK",
      status_code: 200,
      redelivery: false,
      installation_id: installationId,
      repository_id: emu.state.repos.get("acme/web")!.id,
    });
    const all = await jwt.paginate(jwt.rest.apps.listWebhookDeliveries, { per_page: 4 });
    expect(all).toHaveLength(emu.state.deliveries.length);

    const first = all.at(-1)!;
    const { data: detail } = await jwt.rest.apps.getWebhookDelivery({ delivery_id: first.id });
    expect(detail.request.payload).toMatchObject({ action: "opened" });
    const count = app.received.length;
    await jwt.rest.apps.redeliverWebhookDelivery({ delivery_id: first.id });
    await emu.settle();
    expect(app.received).toHaveLength(count + 1);
    expect(app.received.at(-1)!.headers["x-github-delivery"]).toBe(first.guid);
    expect(app.received.at(-1)!.body).toBe(app.received[0]!.body);
    const { data: latest } = await jwt.rest.apps.listWebhookDeliveries({ per_page: 1 });
    expect(latest[0]).toMatchObject({ guid: first.guid, redelivery: true });

    const again = await emu.redeliver(first.id);
    expect(again).toMatchObject({ status: 200, guid: first.guid });
    expect(emu.violations).toEqual([]);
  });

  it("sends raw deliveries with forged headers, and records failures", async () => {
    const bad = await emu.deliverRaw(
      JSON.stringify({ zen: "hi" }),
      { "x-hub-signature-256": "sha256=00" },
      "ping",
    );
    expect(bad.status).toBe(400);
    const unsigned = await emu.deliverRaw(JSON.stringify({ zen: "hi" }), {
      "x-hub-signature-256": null,
    });
    expect(unsigned.status).toBe(400);
    expect(app.received.at(-1)!.headers["x-hub-signature-256"]).toBeUndefined();
    const raw = await emu.deliver("ping", { zen: "hello" });
    expect(raw.status).toBe(200);
    const jwt = new Octokit({ baseUrl: emu.url, auth: "a.b.c", log: quiet });
    const failures = await jwt.paginate(jwt.rest.apps.listWebhookDeliveries, { status: "failure" });
    expect(failures.map((d) => d.id)).toEqual([unsigned.deliveryId, bad.deliveryId]);
    const failed = emu.state.deliveries.find((d) => d.id === bad.deliveryId)!;
    expect(failed).toMatchObject({ statusCode: 400, status: "Invalid HTTP Response: 400" });

    emu.setWebhookTarget("http://127.0.0.1:9/unreachable");
    const unreachable = await emu.deliver("ping", { zen: "x" });
    expect(unreachable.status).toBe(0);
    emu.setWebhookTarget(app.url);
  });

  it("delivers draft, ready_for_review, close/reopen and issue labels", async () => {
    emu.commit("acme/web", "draft-branch", { "x.txt": "x\n" }, "alice");
    const { number } = await emu.openPullRequest("acme/web", {
      head: "draft-branch",
      author: "alice",
      draft: true,
    });
    expect(payloadOf(app.received.at(-1)!)).toMatchObject({
      action: "opened",
      pull_request: { draft: true, mergeable_state: "draft" },
    });
    await expect(emu.mergePullRequest("acme/web", number, "bob")).rejects.toThrow(/draft/);
    await emu.readyForReview("acme/web", number, "alice");
    expect(payloadOf(app.received.at(-1)!)).toMatchObject({
      action: "ready_for_review",
      pull_request: { draft: false },
    });
    await emu.convertToDraft("acme/web", number, "alice");
    await emu.closePullRequest("acme/web", number, "alice");
    expect(payloadOf(app.received.at(-1)!)).toMatchObject({
      action: "closed",
      pull_request: { merged: false, state: "closed" },
    });
    await emu.reopenPullRequest("acme/web", number, "alice");
    expect(payloadOf(app.received.at(-1)!)).toMatchObject({
      action: "reopened",
      pull_request: { state: "open" },
    });

    const octokit = new Octokit({ baseUrl: emu.url, auth: "ghs_t", log: quiet });
    const issue = await octokit.rest.issues.create({
      owner: "acme",
      repo: "web",
      title: "follow-up",
    });
    await emu.addLabel("acme/web", issue.data.number, "triage", "bob");
    expect(app.received.at(-1)!.headers["x-github-event"]).toBe("issues");
    expect(payloadOf(app.received.at(-1)!)).toMatchObject({
      action: "labeled",
      issue: { number: issue.data.number },
      label: { name: "triage" },
    });
  });
});

describe("emulator determinism", () => {
  async function run(): Promise<unknown> {
    const emu = await startEmulator();
    try {
      emu.createRepo("acme/web", { files: { "a.txt": "1\n" } });
      const h = emu.commit("acme/web", "f", { "a.txt": "2\n" }, "alice");
      const { delivery } = await emu.openPullRequest("acme/web", { head: "f", author: "alice" });
      const review = await emu.submitReview("acme/web", 1, { user: "bob", state: "APPROVED" });
      return {
        h,
        guid: delivery.guid,
        review: review.id,
        at: emu.pull("acme/web", 1).createdAt,
        deliveries: emu.state.deliveries.map((d) =>
          d.requestBody.replaceAll(new URL(emu.url).host, "emulator"),
        ),
      };
    } finally {
      await emu.close();
    }
  }

  it("produces the same shas, ids, timestamps and payloads on every run", async () => {
    expect(await run()).toEqual(await run());
  });
});
