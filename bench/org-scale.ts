// The org-scale budget (issue "Performance", goal 4), simulated through the local emulator on
// 127.0.0.1 with a compressed clock: one installation of 200 repositories with 50 open pull
// requests each, two App replicas behind a round-robin balancer sharing one Redis
// (CHANGEGATE_TEST_REDIS_URL; in-process queues without it). Every figure comes from the requests
// the emulator recorded; the arithmetic is bench/org-model.ts. Printed, never asserted.
// `npx tsx bench/org-scale.ts` runs it alone; `npm run bench` runs it with the others.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { startEmulator, type Emulator, type RecordedRequest } from "@changegate/github-emulator";
import { startLocalStack, type LocalStack } from "../tools/demo/stack.js";
import { startBalancer } from "../test/scale/balancer.js";
import type { QueuedWork } from "../src/github/app.js";
import { createCoordinator, type CoordinatorFactory } from "../src/github/coordination/index.js";
import { DEFAULT_RECOVERY, type Recovery } from "../src/github/recovery.js";
import { DEFAULT_TIMED_SWEEP_MS } from "../src/github/timed-sweep.js";
import {
  hourlyBudget,
  largestEventRate,
  largestOrganisation,
  requestsPerEvent,
  type EventCost,
  type SweepModel,
} from "./org-model.js";
import { percentile, round } from "./figures.js";

const BEFORE = readFileSync(new URL("../examples/postmortem/before.tf", import.meta.url), "utf8");
const AFTER = readFileSync(new URL("../examples/postmortem/after.tf", import.meta.url), "utf8");

const OWNER = "acme";
// CHANGEGATE_ORG_REPOS and CHANGEGATE_ORG_PULLS shrink the organisation for a quick look.
const REPOS = Number(process.env.CHANGEGATE_ORG_REPOS ?? 200);
const PULLS_PER_REPO = Number(process.env.CHANGEGATE_ORG_PULLS ?? 50);
const OPEN_PULLS = REPOS * PULLS_PER_REPO;
const EVENTS_PER_HOUR = 2_000;
const REPLICAS = 2;
/** Pull requests each event type is measured on (PR #1 of the first repositories). */
const SAMPLE = 10;
/** Pull requests pushed to at once to measure what the replicas sustain. */
const BURST = 40;
/** Sequential pushes timed from delivery to completed check. */
const LATENCY_SAMPLES = 15;
const API_LATENCY_MS = 50;
/**
 * An installation's primary rate limit an hour: the floor, the most it grows to with the
 * organisation's repositories and users (50 an hour for each past 20: 200 repositories reach it),
 * and an Enterprise Cloud organisation's. GitHub, "Rate limits for the REST API":
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
 */
const LIMITS = [5_000, 12_500, 15_000] as const;
const HOUR_MS = 3_600_000;
/** Assumed: a tenth of the open PRs held by a change window that opens and closes once a day. */
const TIMED_HELD_SHARE = 0.1;
/** Assumed: one deploy a day, after which each replica's first recovery sweep knows no ETag. */
const RESTARTS_PER_DAY = 1;

/** A pull-request event the simulation delivers, and its share of the 2,000 an hour. */
type EventKind =
  | "opened"
  | "synchronize"
  | "review submitted"
  | "edited"
  | "labeled"
  | "check_run rerequested"
  | "/changegate recheck"
  | "comment (no command)"
  | "closed (merged)"
  | "closed (unmerged)";

const MIX: Readonly<Record<EventKind, number>> = {
  opened: 0.08,
  synchronize: 0.4,
  "review submitted": 0.15,
  edited: 0.05,
  labeled: 0.07,
  "check_run rerequested": 0.03,
  "/changegate recheck": 0.04,
  "comment (no command)": 0.1,
  "closed (merged)": 0.05,
  "closed (unmerged)": 0.03,
};
const KINDS = Object.keys(MIX) as EventKind[];

export interface OrgScaleFigures {
  /** Requests an hour charged to the installation at 2,000 PR events an hour over 10,000 open PRs. */
  readonly requestsPerHourAtOrgScale: number;
  readonly requestsPerEvent: number;
  readonly recoveryRequestsPerHour: number;
  readonly timedRequestsPerHour: number;
  /** Evaluations a second one replica sustained in a burst (both replicas share this process). */
  readonly evaluationsPerSecondPerReplica: number;
  readonly orgP95LatencyMs50: number;
  readonly orgPeakRssMb: number;
  /** PR events an hour one installation serves under 5,000, 12,500 and 15,000 requests an hour. */
  readonly largestEventsPerHour5000: number;
  readonly largestEventsPerHour12500: number;
  readonly largestEventsPerHour15000: number;
  /** Open PRs one installation serves at 0.2 events an hour per open PR, sweeps included. */
  readonly largestOpenPulls5000: number;
  readonly largestOpenPulls12500: number;
  readonly largestOpenPulls15000: number;
  /** The same hour without the GraphQL queries (GraphQL has a budget of its own). */
  readonly restRequestsPerHourAtOrgScale: number;
  readonly redis: boolean;
}

interface Tally {
  readonly requests: number;
  readonly reads: number;
  readonly writes: number;
  readonly graphql: number;
  readonly notModified: number;
  readonly suggestionReads: number;
  /** Requests with the App's JWT (its own limit, not the installation's). */
  readonly app: number;
}

const isAppJwt = (request: RecordedRequest): boolean => request.path.startsWith("/app");

/** Installation requests charged against its limit (a 304 is free), split by kind. */
function tally(requests: readonly RecordedRequest[]): Tally {
  const installation = requests.filter((request) => !isAppJwt(request));
  const charged = installation.filter((request) => request.status !== 304);
  return {
    requests: charged.length,
    reads: charged.filter((r) => r.method === "GET").length,
    writes: charged.filter((r) => r.method !== "GET" && r.operationId !== "graphql").length,
    graphql: charged.filter((r) => r.operationId === "graphql").length,
    notModified: installation.length - charged.length,
    suggestionReads: charged.filter((r) => r.operationId === "pulls/list-review-comments").length,
    app: requests.filter(isAppJwt).length,
  };
}

const repoName = (r: number): string => `${OWNER}/svc-${r}`;

/** A deterministic sequence (a linear congruential generator): the same run every time. */
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** The organisation: 200 repositories, 50 open PRs each, opened with no App listening. */
async function seedOrganisation(github: Emulator): Promise<void> {
  github.setWebhookTarget(undefined);
  const opened: Promise<unknown>[] = [];
  for (let r = 0; r < REPOS; r++) {
    const repo = repoName(r);
    github.createRepo(repo, {
      ownerType: "Organization",
      files: { "infra/lb.tf": BEFORE, "README.md": "# service\n" },
    });
    for (const login of ["alice", "bob", "carol"]) github.addCollaborator(repo, login, "write");
    github.setRequiredChecks(repo, "main", ["Changegate"]);
    for (let p = 0; p < PULLS_PER_REPO; p++) {
      github.commit(repo, `change-${p}`, { "infra/lb.tf": AFTER }, "alice");
      // PR #1 of the sample repositories is opened later, with the App listening.
      if (p === 0 && r < SAMPLE) continue;
      opened.push(github.openPullRequest(repo, { head: `change-${p}`, author: "alice" }));
    }
  }
  await Promise.all(opened);
  markAnswered(github);
}

/** As if the App had answered every delivery so far: the sweep has nothing to redeliver. */
function markAnswered(github: Emulator): void {
  for (const delivery of github.state.deliveries)
    if (delivery.status !== "OK") Object.assign(delivery, { status: "OK", statusCode: 202 });
}

/** The branch of PR `number` (PR #n was opened from `change-(n-1)`, except the sample's). */
function branchOf(r: number, number: number): string {
  if (r >= SAMPLE) return `change-${number - 1}`;
  return number === PULLS_PER_REPO ? "change-0" : `change-${number}`;
}

/** Delivers one event of `kind` on PR `number` of repository `r`. */
async function deliver(
  github: Emulator,
  kind: EventKind,
  r: number,
  number: number,
  i: number,
): Promise<void> {
  const repo = repoName(r);
  switch (kind) {
    case "opened":
      await github.openPullRequest(repo, { head: "change-0", author: "alice", body: "x" });
      return;
    case "synchronize":
      await github.push(
        repo,
        branchOf(r, number),
        { "infra/lb.tf": AFTER.replace("cookie_duration = 60", `cookie_duration = ${61 + i}`) },
        "alice",
      );
      return;
    case "review submitted":
      await github.submitReview(repo, number, { user: "bob", state: "APPROVED" });
      return;
    case "edited":
      await github.editPullRequest(repo, number, { body: `Routine change ${i}.` }, "alice");
      return;
    case "labeled":
      await github.addLabel(repo, number, `team-${i % 5}`, "alice");
      return;
    case "check_run rerequested": {
      const head = github.pull(repo, number).head.sha;
      const run = github.checkRuns(repo, head).find((candidate) => candidate.name === "Changegate");
      // A head the App never checked has no run to re-run: GitHub would show none either.
      if (run) await github.rerequestCheckRun(repo, run.id, "bob");
      return;
    }
    case "/changegate recheck":
      await github.comment(repo, number, "/changegate recheck", "bob");
      return;
    case "comment (no command)":
      await github.comment(repo, number, "Looks fine to me.", "carol");
      return;
    case "closed (merged)":
      await github.mergePullRequest(repo, number, "alice", { force: true });
      return;
    case "closed (unmerged)":
      await github.closePullRequest(repo, number, "alice");
      return;
  }
}

interface Cluster {
  readonly github: Emulator;
  readonly replicas: LocalStack[];
  /** Evaluations each replica ran. */
  readonly evaluations: number[];
  readonly redis: Redis | undefined;
  readonly prefix: string;
  settle(): Promise<void>;
  close(): Promise<void>;
}

async function startCluster(github: Emulator, redisUrl: string | undefined): Promise<Cluster> {
  const prefix = `changegate-bench-${randomUUID()}`;
  const evaluations = Array.from({ length: REPLICAS }, () => 0);
  const counted =
    (index: number): CoordinatorFactory<QueuedWork> =>
    (run) =>
      createCoordinator<QueuedWork>(
        async (key, work) => {
          evaluations[index]!++;
          await run(key, work);
        },
        { redisUrl: redisUrl ?? "", prefix, log: { warn: () => {}, error: () => {} } },
      );
  const replicas: LocalStack[] = [];
  for (let index = 0; index < REPLICAS; index++)
    replicas.push(
      await startLocalStack({
        github,
        webhookTarget: false,
        logLevel: "fatal",
        ...(redisUrl ? { redisUrl } : {}),
        coordinator: counted(index),
      }),
    );
  const balancer = await startBalancer(replicas.map((replica) => replica.appUrl));
  github.setWebhookTarget(balancer.url);
  const redis = redisUrl ? new Redis(redisUrl) : undefined;
  /** No lock or pending request of this run left in Redis. */
  const drained = async (): Promise<boolean> =>
    !redis || (await keysUnder(redis, `${prefix}:{*`)).length === 0;
  return {
    github,
    replicas,
    evaluations,
    redis,
    prefix,
    settle: async () => {
      for (let attempt = 0; attempt < 3_000; attempt++) {
        await github.settle();
        for (const replica of replicas) await replica.idle();
        if (await drained()) return;
        await sleep(20);
      }
      throw new Error("the replicas did not settle within a minute");
    },
    close: async () => {
      for (const replica of replicas) await replica.close();
      await balancer.close();
      if (redis) {
        const keys = await keysUnder(redis, `${prefix}:*`);
        if (keys.length > 0) await redis.del(...keys);
        await redis.quit();
      }
    },
  };
}

/** The keys matching `pattern` (SCAN, at most 1,000 rounds). */
async function keysUnder(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = "0";
  for (let round = 0; round < 1_000; round++) {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1_000);
    found.push(...keys);
    cursor = next;
    if (cursor === "0") break;
  }
  return found;
}

/** Delivers `count` events of `kind` to the sample PRs at once; what they cost. */
async function measureKind(
  cluster: Cluster,
  kind: EventKind,
  number: (r: number) => number,
): Promise<Tally & { events: number; evaluations: number }> {
  const { github } = cluster;
  const mark = github.mark();
  const before = cluster.evaluations.reduce((a, b) => a + b, 0);
  await Promise.all(
    Array.from({ length: SAMPLE }, (_, r) => deliver(github, kind, r, number(r), r)),
  );
  await cluster.settle();
  return {
    ...tally(github.since(mark)),
    events: SAMPLE,
    evaluations: cluster.evaluations.reduce((a, b) => a + b, 0) - before,
  };
}

/** Delivery → completed check on the new head, for sequential pushes (API latency injected). */
async function latencies(cluster: Cluster): Promise<number[]> {
  const { github } = cluster;
  const out: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES + 2; i++) {
    const r = i % SAMPLE;
    const started = performance.now();
    const { sha } = await github.push(
      repoName(r),
      branchOf(r, PULLS_PER_REPO),
      { "infra/lb.tf": AFTER.replace("cookie_duration = 60", `cookie_duration = ${200 + i}`) },
      "alice",
    );
    for (let poll = 0; poll < 6_000; poll++) {
      const run = github.checkRuns(repoName(r), sha).find((c) => c.name === "Changegate");
      if (run?.status === "completed") break;
      await sleep(5);
    }
    if (i >= 2) out.push(performance.now() - started); // the first two warm the path
    await cluster.settle();
  }
  return out;
}

/** One recovery sweep of one replica (its lease taken in Redis first); what it cost. */
async function sweepOnce(
  github: Emulator,
  recovery: Recovery,
  recorded: RecordedRequest[] = [],
): Promise<Tally> {
  await sleep(LEASE_MS * 1.2); // the previous sweep's lease has expired
  const mark = github.mark();
  const report = await recovery.sweep();
  if (report.skipped) throw new Error("the recovery sweep found its lease taken");
  if (report.errors.length > 0) throw new Error(`recovery sweep: ${report.errors.join("; ")}`);
  recorded.push(...github.since(mark));
  return tally(recorded);
}

/** The bench's recovery interval: its lease (90% of it) expires between the sweeps it times. */
const LEASE_MS = 200;

export async function runOrgScaleBench(): Promise<OrgScaleFigures> {
  if (REPOS < SAMPLE + BURST || PULLS_PER_REPO < 6)
    throw new Error(`org scale: at least ${SAMPLE + BURST} repositories of 6 pull requests each`);
  const started = performance.now();
  const redisUrl = process.env.CHANGEGATE_TEST_REDIS_URL || undefined;
  const github = await startEmulator({ webhookSecret: "changegate-demo-secret" });
  let cluster: Cluster | undefined;
  try {
    await seedOrganisation(github);
    const seededSeconds = (performance.now() - started) / 1000;
    process.stderr.write(`org scale: seeded in ${round(seededSeconds, 1)} s\n`);
    const phases: string[] = [];
    let phaseStarted = performance.now();
    const phase = (name: string): void => {
      phases.push(`${name} ${round((performance.now() - phaseStarted) / 1000, 1)} s`);
      process.stderr.write(`org scale: ${phases.at(-1)}\n`);
      phaseStarted = performance.now();
    };
    cluster = await startCluster(github, redisUrl);

    // Per event type, on the sample PRs, in the order a PR lives them.
    const costs = new Map<EventKind, Tally & { events: number; evaluations: number }>();
    const sampleNumber = () => PULLS_PER_REPO;
    for (const kind of KINDS) {
      if (kind === "closed (merged)" || kind === "closed (unmerged)") continue;
      costs.set(kind, await measureKind(cluster, kind, sampleNumber));
      process.stderr.write(`org scale: ${kind}\n`);
    }

    phase("event types");
    // p95 delivery → completed check with API latency, through both replicas.
    github.injectFault({ path: /.*/, delayMs: API_LATENCY_MS, times: Number.MAX_SAFE_INTEGER });
    const samples = await latencies(cluster);
    github.clearFaults();
    phase("latency");

    costs.set("closed (merged)", await measureKind(cluster, "closed (merged)", sampleNumber));
    // PR #2 of the sample repositories: opened, never evaluated, closed without merging.
    costs.set("closed (unmerged)", await measureKind(cluster, "closed (unmerged)", () => 2));

    // A burst: pushes to 100 PRs at once, spread over both replicas.
    const burstBefore = [...cluster.evaluations];
    const burstStarted = performance.now();
    await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        deliver(github, "synchronize", SAMPLE + i, 3, 1_000 + i),
      ),
    );
    await cluster.settle();
    const burstSeconds = (performance.now() - burstStarted) / 1000;
    const perReplica = cluster.evaluations.map((count, i) => count - burstBefore[i]!);
    phase("burst");
    const evaluationsPerSecondPerReplica = Math.max(...perReplica) / burstSeconds;

    // Recovery: replica 0 sweeps cold (no ETags), then again after one interval's events.
    markAnswered(github);
    const now = () => (github.state.clock.epoch + github.state.clock.seconds) * 1000;
    const recovery = cluster.replicas[0]!.app.startRecovery({
      initialDelayMs: HOUR_MS,
      intervalMs: LEASE_MS,
      staleAfterMs: 30 * 24 * HOUR_MS, // nothing is re-queued: the sweep's looking is measured
      now,
    })!;
    const sweepStarted = performance.now();
    const cold = await sweepOnce(github, recovery);
    const coldSeconds = (performance.now() - sweepStarted) / 1000;
    phase("cold sweep");
    const sweepsPerHour = HOUR_MS / DEFAULT_RECOVERY.intervalMs;
    const intervalEvents = Math.round(EVENTS_PER_HOUR / sweepsPerHour);
    const random = sequence(15);
    const intervalStarted = performance.now();
    const intervalMark = github.mark();
    const picks = Array.from({ length: intervalEvents }, () => {
      let pick = random();
      const kind = KINDS.find((k) => (pick -= MIX[k]) < 0) ?? "synchronize";
      const r = SAMPLE + Math.floor(random() * (REPOS - SAMPLE));
      // PRs #5–#50 of the other repositories; "opened" opens a new one.
      return { kind, r, number: 5 + Math.floor(random() * (PULLS_PER_REPO - 5)) };
    });
    // Delivered as fast as the replicas take them, ten at a time (PR-closing events last).
    const closing = (kind: EventKind) => kind.startsWith("closed");
    const ordered = [
      ...picks.filter((p) => !closing(p.kind)),
      ...picks.filter((p) => closing(p.kind)),
    ];
    for (let i = 0; i < ordered.length; i += 10)
      await Promise.all(
        ordered
          .slice(i, i + 10)
          .map(({ kind, r, number }, j) =>
            github.pull(repoName(r), number).state === "open"
              ? deliver(github, kind, r, number, 2_000 + i + j)
              : Promise.resolve(),
          ),
      );
    await cluster.settle();
    const intervalTally = tally(github.since(intervalMark));
    const intervalSeconds = (performance.now() - intervalStarted) / 1000;
    markAnswered(github);
    phase("interval");
    const busyRequests: RecordedRequest[] = [];
    const busy = await sweepOnce(github, recovery, busyRequests);
    phase("busy sweep");
    // What a sweep with no event since the last would still be charged: the reads above the
    // repositories (a quiet sweep of its own would cost another pass over every open PR).
    const quiet = tally(busyRequests.filter((request) => !request.path.startsWith("/repos/")));
    cluster.replicas[0]!.app.startRecovery(false);

    // Timed sweep: one pass over the store with nothing due.
    const timedMark = github.mark();
    const queued = await cluster.replicas[0]!.app.sweepTimed();
    await cluster.settle();
    const timedPass = tally(github.since(timedMark));

    const mix: EventCost[] = KINDS.map((kind) => ({
      event: kind,
      share: MIX[kind],
      requests: costs.get(kind)!.requests / costs.get(kind)!.events,
    }));
    const recheck = costs.get("/changegate recheck")!;
    const sweeps: SweepModel = {
      recoverySweepsPerHour: sweepsPerHour,
      recoveryQuietRequests: quiet.requests,
      recoveryRequestsPerEvent:
        (REPLICAS * Math.max(0, busy.requests - quiet.requests)) / intervalEvents,
      recoveryColdRequests: cold.requests,
      recoveryColdSweepsPerHour: (REPLICAS * RESTARTS_PER_DAY) / 24,
      timedPassRequests: timedPass.requests,
      timedPassesPerHour: HOUR_MS / DEFAULT_TIMED_SWEEP_MS,
      timedEvaluationsPerHour: (2 * TIMED_HELD_SHARE * OPEN_PULLS) / 24,
      timedEvaluationRequests: recheck.requests / recheck.events,
    };
    const budget = hourlyBudget(EVENTS_PER_HOUR, mix, sweeps);
    const largest = LIMITS.map((limit) => largestEventRate(limit, mix, sweeps));
    const largestOrg = LIMITS.map((limit) =>
      largestOrganisation(limit, EVENTS_PER_HOUR, OPEN_PULLS, mix, sweeps),
    );
    // GraphQL queries count against GraphQL's own points budget, not the REST one.
    const restMix = mix.map((event) => {
      const c = costs.get(event.event as EventKind)!;
      return { ...event, requests: (c.requests - c.graphql) / c.events };
    });
    const rest = hourlyBudget(EVENTS_PER_HOUR, restMix, {
      ...sweeps,
      timedEvaluationRequests: (recheck.requests - recheck.graphql) / recheck.events,
    });
    const peakRssMb = process.resourceUsage().maxRSS / 1024;

    const cell = (value: number | string) => String(value).padStart(9);
    const perEvent = (n: number, events: number) => cell(round(n / events));
    console.log(
      `org scale: ${REPOS} repositories × ${PULLS_PER_REPO} open PRs = ${OPEN_PULLS} seeded in the emulator (${round(seededSeconds, 1)} s); ` +
        `${REPLICAS} replicas behind a balancer, ${redisUrl ? "sharing Redis" : "each with an in-process queue (CHANGEGATE_TEST_REDIS_URL unset: no Redis)"}; ` +
        `per-event costs measured on ${SAMPLE} PRs per type (the PR's own files: 1 Terraform file of the postmortem example), the sweeps over all ${OPEN_PULLS}`,
    );
    console.log(
      `${"event (per delivery)".padEnd(24)}${cell("share")}${cell("requests")}${cell("reads")}${cell("writes")}${cell("graphql")}${cell("304s")}${cell("sugg.GET")}${cell("evals")}`,
    );
    for (const kind of KINDS) {
      const c = costs.get(kind)!;
      console.log(
        `${kind.padEnd(24)}${cell(MIX[kind])}${perEvent(c.requests, c.events)}${perEvent(c.reads, c.events)}${perEvent(c.writes, c.events)}${perEvent(c.graphql, c.events)}${perEvent(c.notModified, c.events)}${perEvent(c.suggestionReads, c.events)}${perEvent(c.evaluations, c.events)}`,
      );
    }
    console.log(
      `mix average: ${round(requestsPerEvent(mix))} requests per PR event (requests = charged to the installation: reads + writes + GraphQL queries; a 304 is free; App-JWT requests are not the installation's and not counted)`,
    );
    console.log(
      `recovery sweep (every ${DEFAULT_RECOVERY.intervalMs / 60_000} min, one replica): a replica's first (no ETags yet; with Redis it reads no PR) ${cold.requests} requests + ${cold.app} App-JWT in ${round(coldSeconds, 1)} s; ` +
        `with no event since the last (its reads above the repositories) ${quiet.requests}; after one interval's ${intervalEvents} events ${busy.requests} (+${busy.notModified} 304s) → ` +
        `${round(sweeps.recoveryRequestsPerEvent)} per event with ${REPLICAS} replicas sweeping in turn`,
    );
    console.log(
      `timed sweep (every ${DEFAULT_TIMED_SWEEP_MS / 1000} s): a pass with nothing due ${timedPass.requests} requests (${queued} queued); ` +
        `assumed ${round(sweeps.timedEvaluationsPerHour)} window evaluations/h (a tenth of the open PRs held by a daily window) × ${round(sweeps.timedEvaluationRequests)}`,
    );
    console.log(
      `requests/hour per installation at ${EVENTS_PER_HOUR} PR events/h over ${OPEN_PULLS} open PRs: ${Math.round(budget.total)} ` +
        `(events ${Math.round(budget.events)}, recovery ${Math.round(budget.recovery)} incl. ${RESTARTS_PER_DAY} restart/day, timed ${Math.round(budget.timed)}) ` +
        `vs ${LIMITS.map((limit) => `${limit} (${round((100 * budget.total) / limit)}%)`).join(", ")}; ` +
        `REST alone ${Math.round(rest.total)}, GraphQL queries ${Math.round(budget.total - rest.total)} (GraphQL has its own points budget); ` +
        `the simulated interval itself cost ${intervalTally.requests} requests for ${intervalEvents} events (${round(intervalTally.requests / intervalEvents)} each; its PRs were mostly never evaluated before)`,
    );
    console.log(
      `largest organisation one installation serves, with ${OPEN_PULLS} open PRs: ${LIMITS.map((limit, i) => `${largest[i]} PR events/h under ${limit}/h`).join(", ")}; ` +
        `at ${EVENTS_PER_HOUR / OPEN_PULLS} events/h per open PR, with the sweeps growing with it: ` +
        LIMITS.map(
          (limit, i) =>
            `${largestOrg[i]} open PRs (${Math.round(largestOrg[i]! * (EVENTS_PER_HOUR / OPEN_PULLS))} events/h) under ${limit}/h`,
        ).join(", "),
    );
    console.log(
      `burst: ${BURST} pushes to ${BURST} PRs at once → ${perReplica.join(" + ")} evaluations in ${round(burstSeconds, 1)} s: ${round(evaluationsPerSecondPerReplica)} evaluations/s per replica (both replicas and the emulator share this one process); ` +
        `one interval's ${intervalEvents} mixed events delivered in ${round(intervalSeconds, 1)} s (${round((intervalEvents / intervalSeconds) * 3600)} events/h compressed into one); ` +
        `p95 delivery → completed check ${round(percentile(samples, 95))} ms (p50 ${round(percentile(samples, 50))} ms) with ${API_LATENCY_MS} ms API latency over ${samples.length} pushes; ` +
        `peak RSS ${Math.round(peakRssMb)} MB (emulator with ${OPEN_PULLS} PRs and both replicas in one process); bench ${round((performance.now() - started) / 1000, 1)} s (${phases.join(", ")})`,
    );
    return {
      requestsPerHourAtOrgScale: Math.round(budget.total),
      requestsPerEvent: round(requestsPerEvent(mix)),
      recoveryRequestsPerHour: Math.round(budget.recovery),
      timedRequestsPerHour: Math.round(budget.timed),
      evaluationsPerSecondPerReplica: round(evaluationsPerSecondPerReplica),
      orgP95LatencyMs50: round(percentile(samples, 95)),
      orgPeakRssMb: Math.round(peakRssMb),
      largestEventsPerHour5000: largest[0]!,
      largestEventsPerHour12500: largest[1]!,
      largestEventsPerHour15000: largest[2]!,
      largestOpenPulls5000: largestOrg[0]!,
      largestOpenPulls12500: largestOrg[1]!,
      largestOpenPulls15000: largestOrg[2]!,
      restRequestsPerHourAtOrgScale: Math.round(rest.total),
      redis: Boolean(redisUrl),
    };
  } finally {
    await cluster?.close();
    await github.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(JSON.stringify(await runOrgScaleBench()));
  // Probot's throttling keeps its Redis clients (Bottleneck's) with no way to close them.
  process.exit(0);
}
