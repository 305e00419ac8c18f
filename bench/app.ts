// The App through the local emulator: latency from delivery to completed check with 0 ms and
// 50 ms of injected API latency, evaluations per second, read round trips, API calls and writes
// per evaluation (changed and unchanged; 1 file, and 100 with context and a policy), a burst of
// 50 pushes, and a 3,000-file PR.
// Figures are printed, never asserted (tests never assert time).
import { readFileSync } from "node:fs";
import type { RecordedRequest } from "@changegate/github-emulator";
import { startLocalStack, type LocalStack } from "../tools/demo/stack.js";
import { PullQueue } from "../src/github/coordination/queue.js";
import { appRequests, describeChain, hundredFileChange, readChainDepth } from "./round-trips.js";
import { percentile, round } from "./figures.js";

const BEFORE = readFileSync(new URL("../examples/postmortem/before.tf", import.meta.url), "utf8");
const AFTER = readFileSync(new URL("../examples/postmortem/after.tf", import.meta.url), "utf8");

export interface AppFigures {
  readonly readRoundTrips: number;
  /** The same for a pull request of 100 infrastructure files with context files and a policy. */
  readonly readRoundTrips100: number;
  readonly apiCallsPerEvaluation: number;
  readonly writesPerEvaluation: number;
  readonly writesWhenUnchanged: number;
  readonly burstEvaluations: number;
  readonly p50LatencyMs0: number;
  readonly p95LatencyMs0: number;
  readonly p50LatencyMs50: number;
  readonly p95LatencyMs50: number;
  readonly evaluationsPerSecond0: number;
  readonly evaluationsPerSecond50: number;
  readonly largePrSeconds: number;
  readonly largePrPeakRssMb: number;
}

let repoCounter = 0;

function seed(
  stack: LocalStack,
  files: Record<string, string> = { "infra/lb.tf": AFTER },
  base: Record<string, string> = { "infra/lb.tf": BEFORE },
): string {
  const repo = `bench/web-${++repoCounter}`;
  stack.github.createRepo(repo, {
    ownerType: "Organization",
    files: { ...base, "README.md": "# bench\n" },
  });
  for (const login of ["alice", "bob", "carol"]) stack.github.addCollaborator(repo, login, "write");
  stack.github.setRequiredChecks(repo, "main", ["Changegate"]);
  stack.github.commit(repo, "change", files, { author: "alice", message: "change" });
  return repo;
}

const isWrite = (request: RecordedRequest): boolean =>
  request.method !== "GET" && request.operationId !== "graphql";

/** Sequential read round trips of one evaluation's requests. */
const readRoundTripsOf = (requests: readonly RecordedRequest[]): number =>
  readChainDepth(requests.filter((request) => !isWrite(request)));

/** One evaluation of a new pull request, as the requests the App sent for it. */
async function newPullEvaluation(
  stack: LocalStack,
  files?: Record<string, string>,
  base?: Record<string, string>,
): Promise<{ repo: string; requests: RecordedRequest[] }> {
  const repo = seed(stack, files, base);
  const mark = stack.github.mark();
  await stack.github.openPullRequest(repo, {
    head: "change",
    author: "alice",
    title: "change",
    body: "x",
  });
  await stack.idle();
  return { repo, requests: appRequests(stack.github.since(mark)) };
}

/**
 * Read round trips of one evaluation of a new pull request (1 infrastructure file; and 100 in 20
 * directories, each with a Service as context, with a policy), counted request by request on a
 * stack with API latency injected (50 ms apart makes the chain plain). Returns the 1-file repo.
 */
export async function readRoundTripFigures(stack: LocalStack): Promise<{
  repo: string;
  readRoundTrips: number;
  readRoundTrips100: number;
  apiCallsPerEvaluation: number;
  writesPerEvaluation: number;
}> {
  const one = await newPullEvaluation(stack);
  const evaluation = one.requests;
  const readRoundTrips = readRoundTripsOf(evaluation);
  const writes = evaluation.filter(isWrite).length;
  console.log(
    `one evaluation (new PR, 1 infra file): ${evaluation.length} API calls, ${readRoundTrips} sequential read round trips, ${writes} writes: ${evaluation.map((r) => r.operationId).join(", ")}`,
  );
  console.log(`  read chain: ${describeChain(evaluation.filter((r) => !isWrite(r))).join(" → ")}`);
  const { base, head } = hundredFileChange();
  const { requests: hundred } = await newPullEvaluation(stack, head, base);
  const readRoundTrips100 = readRoundTripsOf(hundred);
  console.log(
    `one evaluation (new PR, 100 infra files with context and a policy): ${hundred.length} API calls, ${readRoundTrips100} sequential read round trips, ${hundred.filter(isWrite).length} writes`,
  );
  console.log(`  read chain: ${describeChain(hundred.filter((r) => !isWrite(r))).join(" → ")}`);
  return {
    repo: one.repo,
    readRoundTrips,
    readRoundTrips100,
    apiCallsPerEvaluation: evaluation.length,
    writesPerEvaluation: writes,
  };
}

async function latencies(stack: LocalStack, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const repo = seed(stack);
    const started = performance.now();
    await stack.github.openPullRequest(repo, {
      head: "change",
      author: "alice",
      title: "lb",
      body: "x",
    });
    await stack.idle();
    out.push(performance.now() - started);
  }
  return out;
}

async function throughput(stack: LocalStack, count: number): Promise<number> {
  const repos = Array.from({ length: count }, () => seed(stack));
  const started = performance.now();
  await Promise.all(
    repos.map((repo) =>
      stack.github.openPullRequest(repo, {
        head: "change",
        author: "alice",
        title: "lb",
        body: "x",
      }),
    ),
  );
  await stack.idle();
  return count / ((performance.now() - started) / 1000);
}

async function withLatency(
  latencyMs: number,
  body: (stack: LocalStack) => Promise<void>,
): Promise<void> {
  const stack = await startLocalStack({ logLevel: "fatal" });
  if (latencyMs > 0)
    stack.github.injectFault({ path: /.*/, delayMs: latencyMs, times: Number.MAX_SAFE_INTEGER });
  try {
    await body(stack);
  } finally {
    await stack.close();
  }
}

export async function runAppBench(): Promise<AppFigures> {
  const figures: Partial<Record<keyof AppFigures, number>> = {};

  for (const latency of [0, 50]) {
    await withLatency(latency, async (stack) => {
      await latencies(stack, 3); // warm-up: schema, validators, JIT
      const samples = await latencies(stack, latency === 0 ? 30 : 15);
      const evalsPerSecond = await throughput(stack, latency === 0 ? 30 : 15);
      figures[latency === 0 ? "p50LatencyMs0" : "p50LatencyMs50"] = round(percentile(samples, 50));
      figures[latency === 0 ? "p95LatencyMs0" : "p95LatencyMs50"] = round(percentile(samples, 95));
      figures[latency === 0 ? "evaluationsPerSecond0" : "evaluationsPerSecond50"] =
        round(evalsPerSecond);
      console.log(
        `latency ${latency} ms: p50 ${round(percentile(samples, 50))} ms, p95 ${round(percentile(samples, 95))} ms over ${samples.length} PRs; ${round(evalsPerSecond)} evaluations/s with ${latency === 0 ? 30 : 15} PRs at once`,
      );

      if (latency !== 50) return;
      const { repo, ...trips } = await readRoundTripFigures(stack);
      Object.assign(figures, trips);
      // The same PR again with nothing changed.
      const head = stack.github.pull(repo, 1).head.sha;
      const run = stack.github
        .checkRuns(repo, head)
        .find((candidate) => candidate.name === "Changegate")!;
      const again = stack.github.mark();
      await stack.github.rerequestCheckRun(repo, run.id, "bob");
      await stack.idle();
      const unchanged = stack.github
        .since(again)
        .filter((request) => request.actor === "changegate[bot]");
      figures.writesWhenUnchanged = unchanged.filter(isWrite).length;
      const reads = unchanged.filter((request) => !isWrite(request));
      const reviewComments = reads.filter(
        (request) => request.operationId === "pulls/list-review-comments",
      ).length;
      // The head has the App's review of suggested fixes: its comments are read once, after the check.
      console.log(
        `re-evaluation with nothing changed (the head already reviewed): ${unchanged.length} API calls, ${reads.length} reads (${reviewComments} of the review comments) in ${readRoundTripsOf(reads)} sequential round trips, ${figures.writesWhenUnchanged} writes`,
      );
    });
  }

  // A burst: 50 synchronize deliveries for one PR in a few seconds.
  {
    let evaluations = 0;
    const stack = await startLocalStack({
      logLevel: "fatal",
      coordinator: (run) =>
        new PullQueue(async (key, work) => {
          evaluations++;
          await run(key, work);
        }),
    });
    try {
      const repo = seed(stack);
      await stack.github.openPullRequest(repo, {
        head: "change",
        author: "alice",
        title: "lb",
        body: "x",
      });
      await stack.idle();
      evaluations = 0;
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          stack.github.push(
            repo,
            "change",
            { "infra/lb.tf": AFTER.replace("cookie_duration = 60", `cookie_duration = ${61 + i}`) },
            "alice",
          ),
        ),
      );
      await stack.idle();
      figures.burstEvaluations = evaluations;
      const head = stack.github.pull(repo, 1).head.sha;
      const run = stack.github
        .checkRuns(repo, head)
        .find((candidate) => candidate.name === "Changegate");
      console.log(
        `burst: 50 synchronize deliveries for one PR → ${evaluations} evaluations; final check on the last head: ${run?.conclusion ?? "missing"}`,
      );
    } finally {
      await stack.close();
    }
  }

  // Size: a 3,000-file PR with 300 infrastructure files.
  {
    const stack = await startLocalStack({ logLevel: "fatal" });
    try {
      const files: Record<string, string> = {};
      const base: Record<string, string> = {};
      for (let i = 0; i < 3000; i++) {
        if (i % 10 === 0) {
          const name = `infra/tg-${i}.tf`;
          base[name] = BEFORE.replace('"webapp"', `"webapp${i}"`);
          files[name] = AFTER.replace('"webapp"', `"webapp${i}"`);
        } else {
          files[`docs/page-${i}.md`] = `# Page ${i}\n`;
        }
      }
      const repo = seed(stack, files, base);
      const rssBefore = process.memoryUsage().rss;
      let peak = rssBefore;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      const started = performance.now();
      await stack.github.openPullRequest(repo, {
        head: "change",
        author: "alice",
        title: "big",
        body: "x",
      });
      await stack.idle();
      clearInterval(sampler);
      figures.largePrSeconds = round((performance.now() - started) / 1000);
      figures.largePrPeakRssMb = round((peak - rssBefore) / 1024 / 1024);
      const head = stack.github.pull(repo, 1).head.sha;
      const run = stack.github
        .checkRuns(repo, head)
        .find((candidate) => candidate.name === "Changegate");
      console.log(
        `large PR: 3,000 files, 300 infrastructure files → ${figures.largePrSeconds} s, peak RSS +${figures.largePrPeakRssMb} MB (emulator included); ${run?.output.annotations.length ?? 0} annotations, check ${run?.conclusion}`,
      );
    } finally {
      await stack.close();
    }
  }
  return figures as AppFigures;
}
