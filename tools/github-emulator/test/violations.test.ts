import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { quiet } from "./helpers.js";

/** Deliberately invalid requests: the route as a plain string skips Octokit's typings. */
const untyped = (route: string) => route;

describe("emulator request validation", () => {
  let emu: Emulator;
  let octokit: Octokit;
  let sha: string;

  beforeAll(async () => {
    emu = await startEmulator();
    emu.createRepo("acme/web", { files: { "a.txt": "a\n" } });
    sha = emu.state.repos.get("acme/web")!.branches.get("main")!;
    octokit = new Octokit({ baseUrl: emu.url, auth: "ghs_unregistered", log: quiet });
  });
  beforeEach(() => emu.reset());
  afterAll(() => emu.close());

  it("records an unknown route as a 404 violation", async () => {
    await expect(
      octokit.request("GET /repos/{owner}/{repo}/no-such-thing", { owner: "acme", repo: "web" }),
    ).rejects.toMatchObject({ status: 404 });
    expect(emu.violations).toEqual([
      expect.objectContaining({
        kind: "unknown-route",
        method: "GET",
        path: "/repos/acme/web/no-such-thing",
        status: 404,
      }),
    ]);
    expect(emu.requests).toEqual([expect.objectContaining({ operationId: null, status: 404 })]);
  });

  it("rejects a body that breaks the operation's schema with 422", async () => {
    const error = await octokit
      .request(untyped("POST /repos/{owner}/{repo}/check-runs"), {
        owner: "acme",
        repo: "web",
        name: "Changegate",
        head_sha: sha,
        conclusion: "green",
      })
      .catch((e: { status: number; message: string }) => e);
    expect(error).toMatchObject({ status: 422 });
    expect(emu.violations).toEqual([
      expect.objectContaining({ kind: "invalid-body", operationId: "checks/create", status: 422 }),
    ]);
    expect(emu.violations[0]!.message).toMatch(/conclusion/);
    expect(emu.checkRuns("acme/web")).toEqual([]);
  });

  it("rejects bad parameters and unparseable JSON", async () => {
    await expect(
      octokit.request(untyped("GET /repos/{owner}/{repo}/pulls/{pull_number}/files"), {
        owner: "acme",
        repo: "web",
        pull_number: "abc",
      }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      octokit.request(untyped("GET /repos/{owner}/{repo}/pulls"), {
        owner: "acme",
        repo: "web",
        per_page: "many",
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.request(untyped("POST /repos/{owner}/{repo}/issues"), {
        owner: "acme",
        repo: "web",
        data: "{not json",
        headers: { "content-type": "application/json" },
      }),
    ).rejects.toMatchObject({ status: 400 });
    expect(emu.violations.map((v) => v.kind)).toEqual([
      "invalid-params",
      "invalid-params",
      "invalid-json",
    ]);
  });

  it("applies GitHub's own limits: 50 annotations per request, 65536-character comments", async () => {
    const annotations = Array.from({ length: 51 }, (_, i) => ({
      path: "a.txt",
      start_line: i + 1,
      end_line: i + 1,
      annotation_level: "notice" as const,
      message: "m",
    }));
    await expect(
      octokit.rest.checks.create({
        owner: "acme",
        repo: "web",
        name: "x",
        head_sha: sha,
        output: { title: "t", summary: "s", annotations },
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.rest.checks.create({
        owner: "acme",
        repo: "web",
        name: "x",
        head_sha: sha,
        status: "completed",
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.rest.checks.create({ owner: "acme", repo: "web", name: "x", head_sha: "main" }),
    ).rejects.toMatchObject({ status: 422 });
    const { number } = await emu.openPullRequest("acme/web", {
      head: "main",
      base: "main",
      author: "alice",
    });
    await expect(
      octokit.rest.issues.createComment({
        owner: "acme",
        repo: "web",
        issue_number: number,
        body: "x".repeat(65537),
      }),
    ).rejects.toMatchObject({ status: 422 });
    // The description itself caps annotations (maxItems 50); the rest are GitHub's semantic checks.
    expect(emu.violations.map((v) => v.kind)).toEqual([
      "invalid-body",
      "semantic",
      "semantic",
      "semantic",
    ]);
  });

  it("flags an operation the emulator does not implement, and query parameters GitHub does not document", async () => {
    await expect(
      octokit.rest.repos.listBranches({ owner: "acme", repo: "web" }),
    ).rejects.toMatchObject({ status: 501 });
    await octokit.request("GET /repos/{owner}/{repo}/pulls", {
      owner: "acme",
      repo: "web",
      perpage: 5,
    });
    expect(emu.violations.map((v) => [v.kind, v.operationId])).toEqual([
      ["unimplemented", "repos/list-branches"],
      ["unknown-query-param", "pulls/list"],
    ]);
  });

  it("checks the kind of credentials: JWT for /app, installation token elsewhere", async () => {
    const app = new Octokit({ baseUrl: emu.url, auth: "aaa.bbb.ccc", log: quiet });
    await expect(app.rest.pulls.list({ owner: "acme", repo: "web" })).rejects.toMatchObject({
      status: 401,
    });
    await expect(octokit.rest.apps.getAuthenticated()).rejects.toMatchObject({ status: 401 });
    const anonymous = new Octokit({ baseUrl: emu.url, log: quiet });
    await expect(
      anonymous.rest.issues.create({ owner: "acme", repo: "web", title: "x" }),
    ).rejects.toMatchObject({ status: 401 });
    expect(emu.violations.map((v) => v.kind)).toEqual(["auth", "auth", "auth"]);
  });

  it("answers POST /graphql with 501 without a resolver, and takes a test's own", async () => {
    const builtIn = emu.graphqlHandler;
    emu.graphqlHandler = undefined;
    const response = await fetch(`${emu.url.replace(/\/api\/v3$/, "")}/api/graphql`, {
      method: "POST",
      body: JSON.stringify({ query: "{ viewer { login } }" }),
    });
    expect(response.status).toBe(501);
    emu.graphqlHandler = ({ actor }) => ({
      status: 200,
      body: { data: { viewer: { login: actor } } },
    });
    const plugged = await fetch(`${emu.graphqlUrl}`, {
      method: "POST",
      headers: { authorization: "token ghs_x" },
      body: JSON.stringify({ query: "{ viewer { login } }" }),
    });
    expect(await plugged.json()).toEqual({ data: { viewer: { login: "changegate[bot]" } } });
    emu.graphqlHandler = builtIn;
  });
});

describe("emulator fault injection", () => {
  let emu: Emulator;
  let octokit: Octokit;

  beforeAll(async () => {
    emu = await startEmulator();
    emu.createRepo("acme/web", { files: { "a.txt": "a\n" } });
    octokit = new Octokit({ baseUrl: emu.url, auth: "ghs_x", log: quiet });
  });
  afterAll(() => emu.close());

  it("fails the next matching request once, then recovers", async () => {
    emu.injectFault({ path: /\/contents\//, status: 502 });
    await expect(
      octokit.rest.repos.getContent({ owner: "acme", repo: "web", path: "a.txt" }),
    ).rejects.toMatchObject({ status: 502 });
    await expect(
      octokit.rest.repos.getContent({ owner: "acme", repo: "web", path: "a.txt" }),
    ).resolves.toMatchObject({ status: 200 });
    expect(emu.requests.slice(-2).map((r) => [r.status, r.fault ?? false])).toEqual([
      [502, true],
      [200, false],
    ]);
    expect(emu.violations).toEqual([]);
  });

  it("answers a secondary rate limit with retry-after, by operationId and method", async () => {
    emu.injectFault({
      operationId: "repos/get",
      method: "GET",
      status: 403,
      retryAfter: 7,
      times: 2,
    });
    for (let i = 0; i < 2; i++) {
      const error = await octokit.rest.repos
        .get({ owner: "acme", repo: "web" })
        .catch(
          (e: {
            status: number;
            response: { headers: Record<string, string>; data: { message: string } };
          }) => e,
        );
      expect(error).toMatchObject({ status: 403 });
      const { response } = error as {
        response: { headers: Record<string, string>; data: { message: string } };
      };
      expect(response.headers["retry-after"]).toBe("7");
      expect(response.data.message).toMatch(/secondary rate limit/);
    }
    await expect(octokit.rest.repos.get({ owner: "acme", repo: "web" })).resolves.toMatchObject({
      status: 200,
    });
  });

  it("delays without failing, and serves a custom body", async () => {
    const slow = emu.injectFault({ path: "/repos/acme/web", delayMs: 150 });
    // The delayed answer comes after one asked later without a delay (no clock is read).
    const order: string[] = [];
    await Promise.all([
      octokit.rest.repos.get({ owner: "acme", repo: "web" }).then(() => order.push("delayed")),
      new Promise((resolve) => setImmediate(resolve))
        .then(() => octokit.rest.repos.getContent({ owner: "acme", repo: "web", path: "a.txt" }))
        .then(() => order.push("prompt")),
    ]);
    expect(slow.hits).toBe(1);
    expect(order).toEqual(["prompt", "delayed"]);
    emu.injectFault({ operationId: "repos/get", status: 404, body: { message: "gone" } });
    await expect(octokit.rest.repos.get({ owner: "acme", repo: "web" })).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining("gone"),
    });
  });
});
