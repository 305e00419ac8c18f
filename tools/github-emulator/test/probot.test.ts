import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Probot, ProbotOctokit, createNodeMiddleware } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";

/** How an App's end-to-end test wires Probot to the emulator. */
describe("a Probot app against the emulator", () => {
  let emu: Emulator;
  let server: Server;

  beforeAll(async () => {
    emu = await startEmulator();
    const { appId, privateKey, secret, baseUrl } = emu.appCredentials();
    const probot = new Probot({
      appId,
      privateKey,
      secret,
      baseUrl,
      logLevel: "fatal",
      Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({
        ...options,
        retry: { enabled: false },
        throttle: { enabled: false },
      })),
    });
    const middleware = await createNodeMiddleware(
      (app) => {
        app.on(["pull_request.opened", "pull_request.synchronize"], async (context) => {
          const files = await context.octokit.paginate(
            context.octokit.rest.pulls.listFiles,
            context.pullRequest({ per_page: 100 }),
          );
          const config = await context.octokit.rest.repos.getContent(
            context.repo({
              path: ".github/changegate.yml",
              ref: context.payload.pull_request.base.sha,
            }),
          );
          const policy = Buffer.from(
            (config.data as { content: string }).content,
            "base64",
          ).toString();
          await context.octokit.rest.checks.create(
            context.repo({
              name: "Changegate",
              head_sha: context.payload.pull_request.head.sha,
              conclusion: "failure" as const,
              output: { title: `${files.length} file(s)`, summary: policy },
            }),
          );
          await context.octokit.rest.issues.createComment(
            context.issue({ body: `Changegate saw ${files.map((f) => f.filename).join(", ")}` }),
          );
        });
      },
      { probot },
    );
    server = createServer((req, res) => {
      void middleware(req, res, () => {
        res.writeHead(404);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    emu.setWebhookTarget(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`,
    );
  });

  afterAll(async () => {
    await emu.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it("gets an installation token, reads the PR and writes a check run and a comment", async () => {
    emu.createRepo("acme/web", {
      files: { ".github/changegate.yml": "requirements: {}\n", "lb.tf": "a\n" },
    });
    emu.commit("acme/web", "change", { "lb.tf": "b\n" }, "alice");
    const { number, delivery } = await emu.openPullRequest("acme/web", {
      head: "change",
      author: "alice",
    });
    expect(delivery.status).toBe(200);
    expect(emu.requests.map((r) => r.operationId)).toEqual([
      "apps/create-installation-access-token",
      "pulls/list-files",
      "repos/get-content",
      "checks/create",
      "issues/create-comment",
    ]);
    expect(emu.comments("acme/web", number).map((c) => [c.user, c.body])).toEqual([
      ["changegate[bot]", "Changegate saw lb.tf"],
    ]);
    expect(emu.checkRuns("acme/web")[0]).toMatchObject({
      name: "Changegate",
      conclusion: "failure",
      output: { title: "1 file(s)", summary: "requirements: {}\n" },
    });

    const bad = await emu.deliverRaw(JSON.stringify({ action: "opened" }), {
      "x-github-event": "pull_request",
      "x-hub-signature-256": "sha256=0000",
    });
    expect(bad.status).toBe(400);
    expect(emu.violations).toEqual([]);
  });
});
