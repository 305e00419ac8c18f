import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { Recovery, recoveryFromEnv } from "../../src/github/recovery.js";
import { RedisCoordinator } from "../../src/github/coordination/redis-coordinator.js";
import { REDIS_URL, uniquePrefix } from "../scale/redis.js";
import {
  check,
  failOnUnhandledRejections,
  openPull,
  seedRepo,
  sticky,
  useStack,
} from "../e2e/fixture.js";

// Recovery from what a webhook-driven App loses: deliveries GitHub recorded as failed (it does not
// redeliver them by itself) and evaluations killed mid-way (a check left in progress).

failOnUnhandledRejections();
// useStack also stops the sweeps a test started and points the webhooks at the App again.
const stack = useStack({ logLevel: "fatal", inProgressAfterMs: 0 });

/** The emulator's clock (its deliveries are stamped with it). */
const githubNow = (): number =>
  (stack().github.state.clock.epoch + stack().github.state.clock.seconds) * 1000;
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const HOUR = 60 * 60_000;
/** A recovery whose timers never fire during the test: the test sweeps by hand. */
const manual = { initialDelayMs: HOUR, intervalMs: HOUR } as const;

/** An App endpoint in front of the real one that answers 500 to the first `failures` deliveries. */
async function flakyProxy(
  target: string,
  failures: number,
): Promise<{ url: string; server: Server }> {
  let left = failures;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (left-- > 0) {
        response.writeHead(500).end("down for a deploy");
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(
          (entry): entry is [string, string] => typeof entry[1] === "string" && entry[0] !== "host",
        ),
      );
      void fetch(target, { method: "POST", headers, body: Buffer.concat(chunks) }).then(
        async (answer) => response.writeHead(answer.status).end(await answer.text()),
        () => response.writeHead(502).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

describe("answering deliveries", () => {
  it("answers a delivery with 2xx before the evaluation it starts has finished", async () => {
    const repo = seedRepo(stack());
    // Every read of the pull request is slow: the evaluation takes a while.
    stack().github.injectFault({
      method: "GET",
      path: new RegExp(`^/repos/${repo}/pulls/1$`),
      delayMs: 400,
      times: Infinity,
    });
    const { number, delivery } = await stack().github.openPullRequest(repo, {
      head: "change",
      author: "alice",
      body: "x",
    });
    expect(delivery.status).toBe(200);
    expect(stack().github.state.deliveries.find((d) => d.id === delivery.deliveryId)?.status).toBe(
      "OK",
    );
    expect(check(stack(), repo, number).run?.status).not.toBe("completed"); // still evaluating
    await stack().idle();
    expect(check(stack(), repo, number).run).toMatchObject({ status: "completed" });
  });

  it("answers a /changegate command before checking the commenter's permission", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo);
    stack().github.injectFault({
      path: new RegExp(`^/repos/${repo}/collaborators/rita/permission$`),
      delayMs: 400,
    });
    const refusal = () =>
      stack()
        .github.comments(repo, number)
        .filter((comment) => comment.body.includes("write access only"));
    const { delivery } = await stack().github.comment(repo, number, "/changegate recheck", "rita");
    expect(delivery.status).toBe(200);
    expect(refusal()).toHaveLength(0); // the reply comes from the queued work
    await stack().idle();
    expect(refusal()).toHaveLength(1);
  });
});

describe("recovering evaluations killed mid-way", () => {
  it("re-evaluates an open PR whose check stayed in progress past the threshold, and only that one", async () => {
    // GitHub's clock: the sweep looks only at PRs updated within a day of it.
    const now = githubNow();
    const killed = seedRepo(stack());
    const fresh = seedRepo(stack());
    const closed = seedRepo(stack());
    const numbers = {
      killed: await openPull(stack(), killed),
      fresh: await openPull(stack(), fresh),
      closed: await openPull(stack(), closed),
    };
    await stack().github.closePullRequest(closed, numbers.closed, "alice");
    await stack().idle();
    // What a process killed after "in progress" leaves behind.
    const leave = (repo: string, number: number, startedAt: number) =>
      Object.assign(check(stack(), repo, number).run!, {
        status: "in_progress",
        conclusion: null,
        completedAt: null,
        startedAt: iso(startedAt),
        output: {
          title: "Evaluating infrastructure changes…",
          summary: "",
          text: null,
          annotations: [],
        },
      });
    leave(killed, numbers.killed, now - HOUR);
    leave(fresh, numbers.fresh, now - 60_000); // running for a minute: not stale (threshold 10 min)
    leave(closed, numbers.closed, now - HOUR); // closed: nothing to gate

    const recovery = stack().app.startRecovery({ ...manual, now: () => now })!;
    const report = await recovery.sweep();
    await stack().idle();

    expect(report.errors).toEqual([]);
    expect(report.reevaluated).toEqual([
      { owner: "acme", repo: killed.split("/")[1], number: numbers.killed },
    ]);
    expect(check(stack(), killed, numbers.killed)).toMatchObject({
      count: 1,
      run: {
        status: "completed",
        conclusion: "failure",
        output: { title: expect.stringMatching(/^High risk/) },
      },
    });
    expect(check(stack(), fresh, numbers.fresh).run!.status).toBe("in_progress");
    expect(check(stack(), closed, numbers.closed).run!.status).toBe("in_progress");
    expect(sticky(stack(), killed, numbers.killed)).toHaveLength(1);
  });

  it("restarts a completed run with a fresh started_at, so a running evaluation never looks stale", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo);
    const run = check(stack(), repo, number).run!;
    run.startedAt = iso(Date.now() - 24 * HOUR); // evaluated yesterday
    const mark = stack().github.requests.length;
    await stack().github.comment(repo, number, "/changegate recheck", "bob");
    await stack().idle();
    const restart = stack()
      .github.requests.slice(mark)
      .find(
        (request) => (request.body as { status?: string } | undefined)?.status === "in_progress",
      );
    const startedAt = Date.parse((restart!.body as { started_at: string }).started_at);
    expect(startedAt).toBeGreaterThan(Date.now() - HOUR);
    expect(Date.parse(run.startedAt!)).toBe(startedAt);
  });
});

describe("redelivering failed deliveries", () => {
  /**
   * The deliveries a sweep redelivered from `first` (this test's first delivery) on: the emulator
   * keeps the failed deliveries of the file's other tests, and a sweep may redeliver those too.
   */
  const redeliveredSince = (report: { redelivered: number[] }, first: number): number[] =>
    report.redelivered.filter((id) => id >= first);

  it("redelivers a delivery the App answered with 500, and the PR gets evaluated", async () => {
    const repo = seedRepo(stack());
    const proxy = await flakyProxy(stack().appUrl, 1);
    try {
      stack().github.setWebhookTarget(proxy.url);
      const { number, delivery } = await stack().github.openPullRequest(repo, {
        head: "change",
        author: "alice",
        body: "x",
      });
      expect(delivery.status).toBe(500);
      await stack().idle();
      expect(check(stack(), repo, number).count).toBe(0);

      const recovery = stack().app.startRecovery({ ...manual, now: githubNow })!;
      const first = await recovery.sweep();
      expect(redeliveredSince(first, delivery.deliveryId)).toEqual([delivery.deliveryId]);
      await stack().idle();
      await stack().idle(); // the redelivery, then the evaluation it queued
      expect(check(stack(), repo, number).run).toMatchObject({ status: "completed" });
      expect(sticky(stack(), repo, number)).toHaveLength(1);

      // The redelivery succeeded (same GUID, status OK): the next sweep leaves it alone.
      const second = await recovery.sweep();
      expect(redeliveredSince(second, delivery.deliveryId)).toEqual([]);
    } finally {
      proxy.server.close();
    }
  });

  it("redelivers a delivery that found the App down (no connection)", async () => {
    const repo = seedRepo(stack());
    const down = await flakyProxy(stack().appUrl, 0);
    const downUrl = down.url;
    await new Promise<void>((resolve) => down.server.close(() => resolve()));
    stack().github.setWebhookTarget(downUrl);
    const { number, delivery } = await stack().github.openPullRequest(repo, {
      head: "change",
      author: "alice",
      body: "x",
    });
    expect(delivery.status).toBe(0);
    stack().github.setWebhookTarget(stack().appUrl); // back up

    const recovery = stack().app.startRecovery({ ...manual, now: githubNow })!;
    expect(redeliveredSince(await recovery.sweep(), delivery.deliveryId)).toEqual([
      delivery.deliveryId,
    ]);
    await stack().idle();
    await stack().idle();
    expect(check(stack(), repo, number).run).toMatchObject({ status: "completed" });
  });

  it("redelivers once per sweep window; after a restart it may redeliver again (harmless)", async () => {
    const repo = seedRepo(stack());
    const proxy = await flakyProxy(stack().appUrl, 2);
    try {
      stack().github.setWebhookTarget(proxy.url);
      const { number, delivery } = await stack().github.openPullRequest(repo, {
        head: "change",
        author: "alice",
        body: "x",
      });
      const recovery = stack().app.startRecovery({ ...manual, now: githubNow })!;
      const ours = async (sweeping: typeof recovery) =>
        redeliveredSince(await sweeping.sweep(), delivery.deliveryId);
      expect(await ours(recovery)).toEqual([delivery.deliveryId]);
      await stack().idle(); // the redelivery fails too (500)
      expect(check(stack(), repo, number).count).toBe(0);
      expect(await ours(recovery)).toEqual([]); // remembered: not again

      // A restarted App remembers nothing: it redelivers the latest failed attempt once more.
      const restarted = stack().app.startRecovery({ ...manual, now: githubNow })!;
      const again = await ours(restarted);
      expect(again).toHaveLength(1);
      expect(again[0]).toBeGreaterThan(delivery.deliveryId);
      await stack().idle();
      await stack().idle();
      expect(check(stack(), repo, number).run).toMatchObject({ status: "completed" });
      expect(sticky(stack(), repo, number)).toHaveLength(1);
    } finally {
      proxy.server.close();
    }
  });

  it("looks back only as far as its window", async () => {
    const repo = seedRepo(stack());
    stack().github.setWebhookTarget(undefined); // recorded as failed ("No webhook target set")
    await stack().github.openPullRequest(repo, { head: "change", author: "alice", body: "x" });
    stack().github.setWebhookTarget(stack().appUrl);
    const later = () => githubNow() + 2 * 24 * HOUR; // two days on; the first sweep looks back one
    const recovery = stack().app.startRecovery({ ...manual, now: later })!;
    expect((await recovery.sweep()).redelivered).toEqual([]);
    expect(check(stack(), repo, 1).count).toBe(0);
  });
});

describe("what a sweep costs (issue 10, item 27)", () => {
  /** The requests of a sweep that count against the rate limit: every answer but a 304. */
  const since = (mark: number) => stack().github.since(mark);
  const lookups = (requests: ReturnType<typeof since>) =>
    requests.filter((request) => request.operationId === "checks/list-for-ref");
  const charged = (requests: ReturnType<typeof since>) =>
    requests.filter((request) => request.status !== 304);

  it("asks again only with ETags: a quiet second sweep costs no request per open PR", async () => {
    const repos = [seedRepo(stack()), seedRepo(stack()), seedRepo(stack())];
    for (const repo of repos) await openPull(stack(), repo);
    const recovery = stack().app.startRecovery({ ...manual, now: githubNow })!;
    await recovery.sweep(); // learns the ETags
    const mark = stack().github.mark();
    const quiet = await recovery.sweep();
    const requests = since(mark);
    expect(quiet.reevaluated).toEqual([]);
    expect(quiet.lookedUp).toBeGreaterThanOrEqual(3);
    // Every open PR's check was asked about, and GitHub answered 304 each time (free).
    expect(lookups(requests).length).toBe(quiet.lookedUp);
    expect(charged(lookups(requests))).toEqual([]);
    expect(charged(requests.filter((request) => request.operationId === "pulls/list"))).toEqual([]);

    // A PR that changes is asked about at full price again, and only it.
    await stack().github.push(repos[0]!, "change", { "README.md": "# web, again\n" }, "alice");
    await stack().idle();
    const afterPush = stack().github.mark();
    await recovery.sweep();
    expect(charged(lookups(since(afterPush)))).toHaveLength(1);
  });

  it("looks only at PRs updated within activeWithinMs: older ones cost no lookup", async () => {
    const repo = seedRepo(stack());
    await openPull(stack(), repo);
    const recovery = stack().app.startRecovery({
      ...manual,
      activeWithinMs: HOUR,
      now: () => githubNow() + 2 * HOUR,
    })!;
    const mark = stack().github.mark();
    const report = await recovery.sweep();
    expect(report.errors).toEqual([]);
    // The sweep did list the repository's pull requests, and asked about none of their checks.
    expect(
      since(mark).some(
        (request) => request.operationId === "pulls/list" && request.path.includes(repo),
      ),
    ).toBe(true);
    expect(report.lookedUp).toBe(0);
    expect(lookups(since(mark))).toEqual([]);
    // The same pull request within the window is looked up.
    const recent = stack().app.startRecovery({ ...manual, activeWithinMs: HOUR, now: githubNow })!;
    const after = stack().github.mark();
    expect((await recent.sweep()).lookedUp).toBeGreaterThanOrEqual(1);
    expect(lookups(since(after)).some((request) => request.path.includes(repo))).toBe(true);
  });

  it("sweeps on one replica per interval: a replica without the lease sends nothing", async () => {
    let clients = 0;
    const holder = new Set<string>();
    const replica = () =>
      new Recovery(
        {
          appClient: async () => {
            clients++;
            throw new Error("no App client in this test");
          },
          installationClient: async () => {
            throw new Error("unused");
          },
          log: { info: () => undefined, error: () => undefined },
          evaluate: () => undefined,
          // The coordinator's lease as Redis keeps it: the first to ask holds it.
          lease: async (name) => (holder.has(name) ? false : Boolean(holder.add(name))),
        },
        manual,
      );
    const [first, second] = [replica(), replica()];
    expect((await first.sweep()).skipped).toBeUndefined();
    expect(await second.sweep()).toMatchObject({ skipped: true, errors: [] });
    expect(clients).toBe(1);
  });

  it.skipIf(!REDIS_URL)("takes the lease in Redis once per period across replicas", async () => {
    const prefix = uniquePrefix();
    const replicas = [0, 1].map(
      () => new RedisCoordinator<unknown>(REDIS_URL, async () => undefined, { prefix }),
    );
    try {
      const taken = await Promise.all(replicas.map((replica) => replica.lease("recovery", 60_000)));
      expect(taken.filter(Boolean)).toHaveLength(1);
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
  });
});

describe("the recovery timers", () => {
  it("sweeps on start and every interval until stopped", async () => {
    const sweeps = () =>
      stack().github.requests.filter((request) => request.path === "/app/hook/deliveries").length;
    const before = sweeps();
    const recovery = stack().app.startRecovery({
      initialDelayMs: 0,
      intervalMs: 30,
      now: githubNow,
    })!;
    while (sweeps() < before + 2) await new Promise((resolve) => setTimeout(resolve, 10));
    recovery.stop();
    await recovery.sweep(); // joins a sweep still running, if any
    const after = sweeps();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sweeps()).toBe(after);
  });

  it("reads its interval from CHANGEGATE_RECOVERY_INTERVAL_MS (0 turns it off)", () => {
    expect(recoveryFromEnv({})).toEqual({});
    expect(recoveryFromEnv({ CHANGEGATE_RECOVERY_INTERVAL_MS: "60000" })).toEqual({
      intervalMs: 60_000,
    });
    expect(recoveryFromEnv({ CHANGEGATE_RECOVERY_INTERVAL_MS: "0" })).toBe(false);
    expect(recoveryFromEnv({ CHANGEGATE_RECOVERY_INTERVAL_MS: "off" })).toBe(false);
    expect(() => recoveryFromEnv({ CHANGEGATE_RECOVERY_INTERVAL_MS: "5m" })).toThrow(
      /CHANGEGATE_RECOVERY_INTERVAL_MS/,
    );
  });
});
