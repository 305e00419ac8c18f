// What the recovery sweep costs against GitHub's rate limit (issue 10, item 27), through the local
// emulator: 400 open pull requests in 20 repositories of one installation. A request GitHub answers
// with 304 (a conditional GET whose answer did not change) does not count against the rate limit
// (https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate),
// so "charged" counts every answer but a 304. Figures are printed, never asserted.
import type { RecordedRequest } from "@changegate/github-emulator";
import { startLocalStack, type LocalStack } from "../tools/demo/stack.js";

const REPOS = 20;
const PULLS_PER_REPO = 20;
const OPEN_PULLS = REPOS * PULLS_PER_REPO;
/** The sweep's default interval: 12 sweeps an hour. */
const SWEEPS_PER_HOUR = 12;
const REPLICAS = 3;
/** An installation's floor: 5,000 requests an hour. */
const INSTALLATION_LIMIT = 5_000;

export interface RecoveryFigures {
  /** Requests of a sweep with nothing known yet: what every sweep cost before ETags. */
  readonly sweepChargedCold: number;
  /** Charged requests of a sweep where nothing changed (the rest are free 304s). */
  readonly sweepChargedQuiet: number;
  readonly sweepNotModifiedQuiet: number;
  /** Charged requests of a sweep after a tenth of the PRs got a push. */
  readonly sweepChargedBusy: number;
  /** Charged requests an hour: every replica sweeping without ETags, against one with the lease. */
  readonly hourlyBefore: number;
  readonly hourlyAfterQuiet: number;
  readonly hourlyAfterBusy: number;
  /** PR lookups when no PR was updated within the activity window. */
  readonly lookupsWhenIdle: number;
}

const charged = (requests: readonly RecordedRequest[]): number =>
  requests.filter((request) => request.status !== 304).length;
const notModified = (requests: readonly RecordedRequest[]): number =>
  requests.filter((request) => request.status === 304).length;

function seed(stack: LocalStack): Promise<unknown>[] {
  const opened: Promise<unknown>[] = [];
  for (let r = 0; r < REPOS; r++) {
    const repo = `sweep/svc-${r}`;
    stack.github.createRepo(repo, {
      ownerType: "Organization",
      files: { "infra/lb.tf": 'resource "aws_lb" "web" {}\n' },
    });
    stack.github.addCollaborator(repo, "alice", "write");
    for (let p = 0; p < PULLS_PER_REPO; p++) {
      stack.github.commit(repo, `change-${p}`, { [`docs/${p}.md`]: `# ${p}\n` }, "alice");
      opened.push(
        stack.github.openPullRequest(repo, { head: `change-${p}`, author: "alice", body: "x" }),
      );
    }
  }
  return opened;
}

export async function runRecoveryBench(): Promise<RecoveryFigures> {
  const stack = await startLocalStack({ logLevel: "fatal" });
  try {
    // No evaluations: the sweep's own requests are what is measured.
    stack.github.setWebhookTarget(undefined);
    // As if the App had answered every delivery: the sweep's redeliveries are not measured here.
    const answered = () => {
      for (const delivery of stack.github.state.deliveries)
        Object.assign(delivery, { status: "OK", statusCode: 202 });
    };
    await Promise.all(seed(stack));
    answered();
    const now = () => (stack.github.state.clock.epoch + stack.github.state.clock.seconds) * 1000;
    // Nothing is stale (no evaluation is queued): the sweep's looking is what is measured.
    const recovery = stack.app.startRecovery({
      initialDelayMs: 3_600_000,
      intervalMs: 3_600_000,
      staleAfterMs: 30 * 24 * 3_600_000,
      now,
    })!;
    const sweep = async (): Promise<RecordedRequest[]> => {
      const mark = stack.github.mark();
      await recovery.sweep();
      return stack.github.since(mark);
    };

    const cold = await sweep();

    const quiet = await sweep();
    for (let r = 0; r < REPOS; r++)
      for (let p = 0; p < PULLS_PER_REPO; p += 10)
        await stack.github.push(`sweep/svc-${r}`, `change-${p}`, { "notes.md": "more\n" }, "alice");
    answered();
    const busy = await sweep();

    const idleRecovery = stack.app.startRecovery({
      initialDelayMs: 3_600_000,
      intervalMs: 3_600_000,
      activeWithinMs: 3_600_000,
      now: () => now() + 2 * 24 * 3_600_000,
    })!;
    const idleReport = await idleRecovery.sweep();
    stack.app.startRecovery(false);

    const figures: RecoveryFigures = {
      sweepChargedCold: charged(cold),
      sweepChargedQuiet: charged(quiet),
      sweepNotModifiedQuiet: notModified(quiet),
      sweepChargedBusy: charged(busy),
      hourlyBefore: charged(cold) * SWEEPS_PER_HOUR * REPLICAS,
      hourlyAfterQuiet: charged(quiet) * SWEEPS_PER_HOUR,
      hourlyAfterBusy: charged(busy) * SWEEPS_PER_HOUR,
      lookupsWhenIdle: idleReport.lookedUp ?? 0,
    };
    console.log(
      `recovery sweep, ${OPEN_PULLS} open PRs in ${REPOS} repositories: a sweep with nothing known costs ${figures.sweepChargedCold} requests (every sweep, before ETags); ` +
        `a quiet sweep ${figures.sweepChargedQuiet} charged + ${figures.sweepNotModifiedQuiet} free 304s; after pushes to ${OPEN_PULLS / 10} PRs ${figures.sweepChargedBusy} charged`,
    );
    console.log(
      `recovery per hour (every 5 min): before, ${REPLICAS} replicas each sweeping without ETags: ${figures.hourlyBefore} of the installation's ${INSTALLATION_LIMIT}; ` +
        `now, one replica holding the lease: ${figures.hourlyAfterQuiet} when quiet, ${figures.hourlyAfterBusy} if a tenth of the PRs changed every 5 min; ` +
        `PR lookups when no PR was updated within the activity window: ${figures.lookupsWhenIdle}`,
    );
    return figures;
  } finally {
    await stack.close();
  }
}
