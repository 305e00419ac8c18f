import { describe, expect, it } from "vitest";
import { Probot } from "probot";
import {
  check,
  failOnUnhandledRejections,
  openPull,
  seedRepo,
  sticky,
  useStack,
} from "../e2e/fixture.js";

// Faults from GitHub: 5xx, slow answers, secondary rate limits, 404s, 422 on the check-run write.
// Retried where retrying is right; otherwise the check fails closed with the reason, and nothing
// throws unhandled. The fail-closed path survives faults too.

failOnUnhandledRejections();

const FAILED_TITLE = "Changegate could not evaluate this pull request";
const path = (repo: string, rest: string) => new RegExp(`^/repos/${repo}/${rest}$`);

describe("without retries (every fault reaches the App)", () => {
  const stack = useStack({
    inProgressAfterMs: 0,
    logLevel: "fatal", // the failures below are logged as errors on purpose
    requests: { timeoutMs: 300, deadlineMs: 10_000 },
  });

  it("fails closed with GitHub's status when a read keeps answering 502", async () => {
    const repo = seedRepo(stack());
    // The merge base comes from REST's compare (GraphQL has none): every snapshot load asks it.
    stack().github.injectFault({ path: path(repo, "compare/.+"), status: 502, times: Infinity });
    const number = await openPull(stack(), repo);
    const { count, run } = check(stack(), repo, number);
    expect(count).toBe(1);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run!.output.title).toBe(FAILED_TITLE);
    expect(run!.output.summary).toContain("GitHub API answered 502");
    expect(run!.output.summary).toContain("/changegate recheck");
    expect(sticky(stack(), repo, number)).toHaveLength(0);
  });

  it("does not hang on a GitHub that does not answer: the request times out and the check fails closed", async () => {
    const repo = seedRepo(stack());
    // Far longer than the App's 300 ms request timeout in this stack().
    stack().github.injectFault({ path: path(repo, "compare/.+"), delayMs: 2_000, times: Infinity });
    const number = await openPull(stack(), repo);
    const { run } = check(stack(), repo, number);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run!.output.summary).toMatch(/GitHub did not answer GET \/\S+ within 300 ms/);
  });

  it("fails closed at once on a secondary rate limit that outlasts the request deadline", async () => {
    const repo = seedRepo(stack());
    stack().github.injectFault({
      path: path(repo, "compare/.+"),
      status: 403,
      retryAfter: 60, // the deadline in this stack is 10 s
      times: Infinity,
    });
    const number = await openPull(stack(), repo);
    const { run } = check(stack(), repo, number);
    expect(run).toMatchObject({ conclusion: "failure", output: { title: FAILED_TITLE } });
    expect(run!.output.summary).toContain("GitHub API answered 403");
    expect(run!.output.summary).toContain("secondary rate limit");
  });

  it("fails closed with the 404 when the base of the comparison is gone", async () => {
    const repo = seedRepo(stack());
    stack().github.injectFault({ path: path(repo, "compare/.+"), status: 404, times: Infinity });
    const number = await openPull(stack(), repo);
    const { run } = check(stack(), repo, number);
    expect(run).toMatchObject({ conclusion: "failure", output: { title: FAILED_TITLE } });
    expect(run!.output.summary).toContain("GitHub API answered 404");
  });

  it("fails closed on the event's head when the pull request cannot be read at all", async () => {
    const repo = seedRepo(stack());
    // Neither over REST nor over GraphQL (the pull request's own GET is no longer read once
    // GraphQL has loaded it: the open pull requests listed with the snapshot carry its head).
    stack().github.injectFault({ path: path(repo, "pulls/1"), status: 404, times: Infinity });
    stack().github.injectFault({ operationId: "graphql", status: 502, times: Infinity });
    const number = await openPull(stack(), repo);
    const { count, run } = check(stack(), repo, number);
    expect(count).toBe(1);
    expect(run).toMatchObject({ conclusion: "failure", output: { title: FAILED_TITLE } });
    expect(run!.output.summary).toContain("GitHub API answered 404");
    expect(sticky(stack(), repo, number)).toHaveLength(0);
  });

  it("reports a 422 on the check-run write as the failure, on the same run", async () => {
    const repo = seedRepo(stack());
    stack().github.injectFault({ operationId: "checks/update", status: 422, times: 1 });
    const number = await openPull(stack(), repo);
    const { count, run } = check(stack(), repo, number);
    expect(count).toBe(1);
    expect(run).toMatchObject({ conclusion: "failure", output: { title: FAILED_TITLE } });
    expect(run!.output.summary).toContain("GitHub API answered 422");
  });

  it("creates a failing run when the in-progress run cannot be updated at all", async () => {
    const repo = seedRepo(stack());
    stack().github.injectFault({ operationId: "checks/update", status: 422, times: Infinity });
    const number = await openPull(stack(), repo);
    const head = stack().github.pull(repo, number).head.sha;
    const runs = stack().github.checkRuns(repo, head);
    // The first run is stuck in progress (not green); the last resort is a completed failing run.
    expect(runs.map((run) => [run.status, run.conclusion])).toEqual([
      ["in_progress", null],
      ["completed", "failure"],
    ]);
    expect(runs[1]!.output.summary).toContain("GitHub API answered 422");
  });

  it("leaves no check at all, rather than a green one, when no check run can be written", async () => {
    const repo = seedRepo(stack());
    stack().github.injectFault({ operationId: "checks/create", status: 422, times: Infinity });
    stack().github.injectFault({ operationId: "checks/update", status: 422, times: Infinity });
    const number = await openPull(stack(), repo);
    expect(check(stack(), repo, number).count).toBe(0);
    // The base branch requires the check: a missing required check blocks the merge.
    await expect(stack().github.mergePullRequest(repo, number, "ada")).rejects.toThrow(
      /required checks not passing: Changegate/,
    );
  });
});

describe("with Probot's retry and throttling plugins on, as in production", () => {
  const stack = useStack({
    inProgressAfterMs: 0,
    logLevel: "fatal",
    retries: true,
    requests: { timeoutMs: 500, deadlineMs: 20_000 },
  });

  it("retries a 502 once and evaluates normally", async () => {
    const repo = seedRepo(stack());
    const fault = stack().github.injectFault({ path: path(repo, "compare/.+"), status: 502 });
    const number = await openPull(stack(), repo);
    expect(fault.hits).toBe(1);
    const { count, run } = check(stack(), repo, number);
    expect(count).toBe(1);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run!.output.title).toMatch(/^High risk/);
  });

  it("waits out a secondary rate limit (retry-after: 1) on the check-run write", async () => {
    const repo = seedRepo(stack());
    const fault = stack().github.injectFault({
      operationId: "checks/create",
      status: 403,
      retryAfter: 1,
    });
    const number = await openPull(stack(), repo);
    expect(fault.hits).toBe(1);
    const { count, run } = check(stack(), repo, number);
    expect(count).toBe(1);
    expect(run!.output.title).toMatch(/^High risk/);
  });

  it("retries a request that timed out", async () => {
    const repo = seedRepo(stack());
    const fault = stack().github.injectFault({ path: path(repo, "compare/.+"), delayMs: 2_000 });
    const number = await openPull(stack(), repo);
    expect(fault.hits).toBe(1);
    expect(check(stack(), repo, number).run!.output.title).toMatch(/^High risk/);
  });
});

describe("the request deadline", () => {
  const stack = useStack({
    inProgressAfterMs: 0,
    logLevel: "fatal",
    retries: true,
    requests: { timeoutMs: 500, deadlineMs: 1_500 },
  });

  it("ends a call that would wait an hour for the rate limit's reset; the PR keeps no green check", async () => {
    const repo = seedRepo(stack());
    // A primary rate limit: Probot's throttle handler waits until the reset, then retries.
    stack().github.injectFault({
      path: path(repo, "pulls/1"),
      method: "GET",
      status: 403,
      headers: {
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      },
      times: Infinity,
    });
    const number = await openPull(stack(), repo); // resolves: nothing waits for the reset
    const { run } = check(stack(), repo, number);
    expect(run).toMatchObject({ conclusion: "failure", output: { title: FAILED_TITLE } });
    expect(run!.output.summary).toMatch(/gave up after 1\.5 s/);
  });
});

describe("production defaults", () => {
  const stack = useStack({ logLevel: "fatal", inProgressAfterMs: 0 });

  it("keeps Probot's retry plugin on when the App is run by `probot run` (no Octokit option)", async () => {
    const repo = seedRepo(stack());
    const credentials = stack().github.appCredentials();
    // What probot/lib/run.js builds from the environment: no `Octokit`, so ProbotOctokit.
    const probot = new Probot({
      appId: credentials.appId,
      privateKey: credentials.privateKey,
      baseUrl: credentials.baseUrl,
      secret: credentials.secret,
    });
    const installation = stack().github.addInstallation("acme");
    const octokit = await probot.auth(installation);
    const fault = stack().github.injectFault({ path: `/repos/${repo}`, status: 502 });
    const { status } = await octokit.request("GET /repos/{owner}/{repo}", {
      owner: "acme",
      repo: repo.split("/")[1]!,
    });
    expect(status).toBe(200);
    expect(fault.hits).toBe(1);
  });
});
