/**
 * Issue 15, goal 3: at most 2 sequential read round trips before the first write, for a pull
 * request of 1 infrastructure file and of 100 with the context files cross-file rules read and a
 * policy; the head is still read again before publishing, in a read the evaluation needs anyway
 * (the open pull requests, listed with the snapshot's second round trip). Round trips are counted
 * over the emulator's recording with API latency injected (as bench/app.ts counts them): a count,
 * not a time.
 */
import { describe, expect, it } from "vitest";
import {
  appRequests,
  hundredFileChange,
  readChainDepth,
  readRoundTripsBeforeFirstWrite,
} from "../../bench/round-trips.js";
import { AFTER, check, seedRepo, sticky, useStack } from "./fixture.js";

const stack = useStack();

/** alice opens a pull request of `head` over `base`; the App's requests for its evaluation. */
async function evaluateNewPull(head?: Record<string, string>, base?: Record<string, string>) {
  const repo = seedRepo(stack(), head, base);
  const mark = stack().github.mark();
  const { number } = await stack().github.openPullRequest(repo, {
    head: "change",
    author: "alice",
    title: "change",
    body: "x",
  });
  await stack().idle();
  return { repo, number, requests: stack().github.since(mark) };
}

describe("read round trips of one evaluation", () => {
  it("are at most 2 before the first write for 1 file and for 100 with context and a policy", async () => {
    stack().github.injectFault({ path: /.*/, delayMs: 30, times: Number.MAX_SAFE_INTEGER });
    await evaluateNewPull(); // warm-up: the App's token, GraphQL's schema
    const one = await evaluateNewPull();
    const { base, head } = hundredFileChange();
    const hundred = await evaluateNewPull(head, base);

    const trips = (requests: typeof one.requests) => ({
      beforeFirstWrite: readRoundTripsBeforeFirstWrite(requests),
      // Every read of the evaluation, as the bench counts them (none follows a write here).
      all: readChainDepth(
        appRequests(requests).filter((r) => r.method === "GET" || r.operationId === "graphql"),
      ),
    });
    expect(trips(one.requests)).toEqual({ beforeFirstWrite: 2, all: 2 });
    expect(trips(hundred.requests)).toEqual({ beforeFirstWrite: 2, all: 2 });

    // The 100-file evaluation read the Services beside the Deployments (context) and the policy.
    const { run } = check(stack(), hundred.repo, hundred.number);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run!.output.annotations).toContainEqual(
      expect.objectContaining({
        path: "k8s/team-0/deploy-0.yaml",
        title: "critical: cross.service.workload-mismatch",
      }),
    );
    // The head was read again only in the listing of the open pull requests: no read of its own.
    const reads = appRequests(hundred.requests).map((r) => r.operationId);
    expect(reads).toContain("pulls/list");
    expect(reads).not.toContain("pulls/get");
  });
});

describe("a head that moves while the snapshot is read", () => {
  const CHANGED = AFTER.replace("cookie_duration = 60", "cookie_duration = 30");

  async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  it("drops the result for the old head, told by the open pull requests listed with the second round trip", async () => {
    const repo = seedRepo(stack());
    // The first round trip's changed files are slow; its GraphQL query answers with the old head.
    const slowFiles = stack().github.injectFault({
      operationId: "pulls/list-files",
      delayMs: 300,
      times: 1,
    });
    const mark = stack().github.mark();
    const { number } = await stack().github.openPullRequest(repo, {
      head: "change",
      author: "alice",
      title: "change",
      body: "x",
    });
    const oldHead = stack().github.pull(repo, number).head.sha;
    await until(
      () =>
        slowFiles.hits > 0 &&
        stack()
          .github.since(mark)
          .some(
            (r) =>
              r.operationId === "graphql" &&
              JSON.stringify(r.body ?? "").includes("ChangegatePull"),
          ),
    );
    await stack().github.push(repo, "change", { "infra/lb.tf": CHANGED }, "alice");
    await stack().idle();

    const newHead = stack().github.pull(repo, number).head.sha;
    const runs = (sha: string) =>
      stack()
        .github.checkRuns(repo, sha)
        .filter((run) => run.name === "Changegate");
    // Nothing written for the old head; the push's evaluation published for the new one.
    expect(runs(oldHead)).toEqual([]);
    expect(runs(newHead).map((run) => run.status)).toEqual(["completed"]);
    expect(sticky(stack(), repo, number)).toHaveLength(1);
    const commentWrites = appRequests(stack().github.since(mark)).filter((r) =>
      ["issues/create-comment", "issues/update-comment"].includes(r.operationId ?? ""),
    );
    expect(commentWrites).toHaveLength(1);
    expect(appRequests(stack().github.since(mark)).map((r) => r.operationId)).not.toContain(
      "pulls/get",
    );
  });
});
