/**
 * Recovery sweeps: what a webhook-driven App loses when a delivery fails or a process dies.
 *
 * 1. Failed deliveries. GitHub records a delivery as failed when the App is down or takes longer
 *    than 10 s to answer, and does not redeliver it by itself; its advice is a scheduled job that
 *    lists the deliveries attempted since the last run and redelivers those whose status is not
 *    `OK` (docs.github.com/en/webhooks/using-webhooks/handling-failed-webhook-deliveries).
 * 2. Evaluations killed mid-way (a deploy, a crash) leave the head's `Changegate` check
 *    `in_progress` (or none): it blocks the merge forever. With Redis, the App records each
 *    evaluation asked for and settles it when an evaluation that started after it ends
 *    (coordination/timed.ts, `UnfinishedStore`); the sweep evaluates again each one still there
 *    `staleAfterMs` later, reading nothing on GitHub. In one process, whose death takes that record
 *    with it, the sweep looks on GitHub for a head whose run is in progress for too long.
 *
 * Redeliveries are remembered in the process only: a sweep after a restart may redeliver one
 * again, which is harmless because an evaluation is idempotent (check run per head, sticky comment
 * by marker).
 *
 * What a sweep on GitHub costs (issue 10, item 27; `npm run bench` prints the figures): one
 * request per open PR every 5 minutes on every replica would be about 4,800 an hour for 400 open
 * PRs, near the installation's 5,000. So:
 * - one replica sweeps per interval: the coordinator's lease (Redis `SET NX PX`) is taken first;
 * - only PRs updated within `activeWithinMs` (default 24 h) are looked at: the open PRs are listed
 *   by last update and the listing stops at the first older one. A check stuck longer than that on
 *   a PR nobody touched stays in progress, which blocks the merge (never green); any event on the
 *   PR, or `/changegate recheck`, evaluates it again;
 * - reads are conditional: each listing and each head's check lookup is sent with the ETag of its
 *   last answer, and GitHub answers an unchanged one with 304, which "does not count against your
 *   primary rate limit" (https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate).
 *   A quiet sweep therefore costs the listing of the App's installations and deliveries, and
 *   nothing per PR.
 */
import { findCheck } from "./check-run.js";
import { pullsUpdatedSince } from "./pull-state.js";
import { describeError, statusOf, type GitHubClient, type PullLocator } from "./client.js";
import type { GateDeps } from "./run-gate.js";
import type { TimedEntry, TimedStore } from "./coordination/index.js";
import type { GateRequest } from "./triggers.js";

export interface RecoveryOptions {
  /** Time between sweeps (default 5 min). */
  readonly intervalMs: number;
  /** The first sweep waits this long after start, so the server listens before redeliveries come. */
  readonly initialDelayMs: number;
  /** A `Changegate` check in progress for longer than this is re-evaluated (default 10 min). */
  readonly staleAfterMs: number;
  /** How far back the first sweep looks for failed deliveries (GitHub redelivers up to 3 days back). */
  readonly lookbackMs: number;
  /** Only PRs updated this recently are looked at for a stale check (default 24 h). */
  readonly activeWithinMs: number;
  /** The clock (tests give GitHub's). */
  readonly now: () => number;
}

export const DEFAULT_RECOVERY: RecoveryOptions = {
  intervalMs: 5 * 60_000,
  initialDelayMs: 30_000,
  staleAfterMs: 10 * 60_000,
  lookbackMs: 24 * 60 * 60_000,
  activeWithinMs: 24 * 60 * 60_000,
  now: () => Date.now(),
};

/** A delivery still in flight at the last sweep, or a small clock difference, is looked at again. */
const DELIVERY_OVERLAP_MS = 2 * 60_000;

/** What recovery needs from the App: clients, a logger and the per-PR queue. */
export interface RecoveryDeps {
  /** JWT-authenticated: the App's own endpoints (`/app/...`). */
  appClient(): Promise<GitHubClient>;
  installationClient(installationId: number): Promise<GitHubClient>;
  readonly log: GateDeps["log"];
  /** Enqueues an evaluation through the same per-PR queue as the webhook handlers. */
  evaluate(installationId: number, locator: PullLocator, request: GateRequest): void;
  /**
   * The coordinator's lease (coordination/coordinator.ts): a sweep runs only on the replica that
   * took it for the interval. Absent: this process is the only one, and always sweeps.
   */
  lease?(name: string, ttlMs: number): Promise<boolean>;
  /**
   * Evaluations asked for and not known to have finished, shared by the replicas (Redis): the
   * sweep evaluates again those due, and reads no pull request on GitHub. Absent: it looks for
   * checks left in progress on GitHub.
   */
  readonly unfinished?: Pick<TimedStore<TimedEntry>, "take">;
}

export interface SweepReport {
  /** Delivery ids redelivered in this sweep. */
  readonly redelivered: number[];
  /** Pull requests whose stale in-progress check was queued for re-evaluation. */
  readonly reevaluated: PullLocator[];
  /** One line per step that failed (the sweep goes on with the next). */
  readonly errors: string[];
  /** Another replica holds this interval's lease: this one did not sweep. */
  readonly skipped?: boolean;
  /** Open PRs whose head's check was looked up (recently active ones only). */
  readonly lookedUp?: number;
}

type DeliveryItem = {
  id: number;
  guid: string;
  delivered_at: string;
  status: string;
  status_code: number;
  event: string;
  action?: string | null;
};

/**
 * `CHANGEGATE_RECOVERY_INTERVAL_MS`: unset → every 5 min; `0` or `off` → no recovery sweeps
 * (e.g. one replica sweeps, the others do not; or a serverless deployment).
 */
export function recoveryFromEnv(
  env: Record<string, string | undefined>,
): Partial<RecoveryOptions> | false {
  return intervalFromEnv(
    env.CHANGEGATE_RECOVERY_INTERVAL_MS,
    "CHANGEGATE_RECOVERY_INTERVAL_MS",
    "recovery",
  );
}

/**
 * A sweep's interval from the value `raw` of the environment variable `name` (read by the caller,
 * by name, so test/docs/env.test.ts sees which variables the App reads): unset or empty → the
 * default (`{}`);
 * `0`, `off`, `false` or `no` → turned off; a number of milliseconds ≥ 1000 → that interval.
 * Anything else stops the start with a line that names the variable and says what `off` stops.
 */
export function intervalFromEnv(
  value: string | undefined,
  name: string,
  what: string,
): { intervalMs?: number } | false {
  const raw = value?.trim();
  if (raw === undefined || raw === "") return {};
  if (/^(0|off|false|no)$/i.test(raw)) return false;
  const intervalMs = Number(raw);
  if (!Number.isFinite(intervalMs) || intervalMs < 1000)
    throw new Error(
      `${name} must be a number of milliseconds ≥ 1000, or 0 to turn ${what} off (got "${raw}")`,
    );
  return { intervalMs };
}

export class Recovery {
  private readonly options: RecoveryOptions;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private running: Promise<SweepReport> | undefined;
  /** Start of the last sweep whose delivery listing succeeded: the next one looks from there. */
  private lastSweep: number | undefined;
  /** GUIDs redelivered in the current window, with their delivery time (pruned as the window moves). */
  private readonly redelivered = new Map<string, number>();
  /** The last answer and ETag of each read, for conditional requests (see the top of this file). */
  private readonly answers = new ConditionalAnswers();
  /** The App's id never changes: asked once. */
  private appId: number | undefined;

  constructor(
    private readonly deps: RecoveryDeps,
    options: Partial<RecoveryOptions> = {},
  ) {
    this.options = { ...DEFAULT_RECOVERY, ...options };
  }

  /** Sweeps after `initialDelayMs`, then every `intervalMs`; the timers never keep the process alive. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(this.options.initialDelayMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One sweep (a sweep already running is joined, not doubled). Never rejects. */
  sweep(): Promise<SweepReport> {
    this.running ??= this.sweepOnce()
      .catch((error: unknown): SweepReport => {
        const reason = `recovery sweep: ${describeError(error)}`;
        this.deps.log.error({ reason }, "recovery sweep failed");
        return { redelivered: [], reevaluated: [], errors: [reason] };
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.sweep().finally(() => this.schedule(this.options.intervalMs));
    }, delayMs);
    this.timer.unref();
  }

  private async sweepOnce(): Promise<SweepReport> {
    const report: SweepReport = { redelivered: [], reevaluated: [], errors: [] };
    // A little less than the interval, so the next period's lease is free when its sweep is due.
    if (this.deps.lease && !(await this.deps.lease("recovery", this.options.intervalMs * 0.9)))
      return { ...report, skipped: true };
    const fail = (step: string, error: unknown): void => {
      const reason = `${step}: ${describeError(error)}`;
      report.errors.push(reason);
      this.deps.log.error({ reason }, "recovery sweep step failed");
    };
    let appClient: GitHubClient;
    try {
      appClient = await this.deps.appClient();
    } catch (error) {
      fail("authenticating as the App", error);
      return report;
    }
    await this.redeliverFailed(appClient, report, fail);
    if (this.deps.unfinished) await this.reevaluateUnfinished(this.deps.unfinished, report, fail);
    else await this.reevaluateStale(appClient, report, fail);
    if (report.redelivered.length || report.reevaluated.length)
      this.deps.log.info(
        { redelivered: report.redelivered, reevaluated: report.reevaluated },
        "recovery sweep",
      );
    return report;
  }

  /** Redelivers, once per window, each delivery whose every attempt failed since the last sweep. */
  private async redeliverFailed(
    client: GitHubClient,
    report: SweepReport,
    fail: (step: string, error: unknown) => void,
  ): Promise<void> {
    const started = this.options.now();
    const since =
      this.lastSweep === undefined
        ? started - this.options.lookbackMs
        : this.lastSweep - DELIVERY_OVERLAP_MS;
    // Attempts of one delivery share its GUID (a redelivery keeps it): newest first.
    const byGuid = new Map<string, DeliveryItem[]>();
    try {
      pages: for await (const page of client.paginate.iterator("GET /app/hook/deliveries", {
        per_page: 100,
      })) {
        for (const delivery of page.data as DeliveryItem[]) {
          if (Date.parse(delivery.delivered_at) < since) break pages;
          const attempts = byGuid.get(delivery.guid) ?? [];
          attempts.push(delivery);
          byGuid.set(delivery.guid, attempts);
        }
      }
    } catch (error) {
      fail("listing the App's webhook deliveries", error);
      return; // the window does not move: the next sweep looks at the same deliveries
    }
    for (const [guid, at] of this.redelivered) if (at < since) this.redelivered.delete(guid);
    let complete = true;
    for (const [guid, attempts] of byGuid) {
      if (attempts.some((attempt) => attempt.status === "OK") || this.redelivered.has(guid))
        continue;
      const latest = attempts[0]!;
      try {
        await client.request("POST /app/hook/deliveries/{delivery_id}/attempts", {
          delivery_id: latest.id,
        });
        this.redelivered.set(guid, Date.parse(latest.delivered_at));
        report.redelivered.push(latest.id);
      } catch (error) {
        complete = false;
        fail(`redelivering ${latest.event} delivery ${latest.id}`, error);
      }
    }
    if (complete) this.lastSweep = started;
  }

  /**
   * Queues an evaluation for each pull request whose entry is due: its evaluation was asked for
   * long enough ago (the App records it due 10 minutes on) and has not finished, so the replica
   * running it died. Taking an entry removes it, and queueing the evaluation records it again, so
   * one that dies too is found at a later sweep.
   */
  private async reevaluateUnfinished(
    unfinished: Pick<TimedStore<TimedEntry>, "take">,
    report: SweepReport,
    fail: (step: string, error: unknown) => void,
  ): Promise<void> {
    let entries: TimedEntry[];
    try {
      entries = await unfinished.take(this.options.now());
    } catch (error) {
      fail("reading the evaluations that did not finish", error);
      return;
    }
    for (const { installationId, owner, repo, number } of entries) {
      const locator = { owner, repo, number };
      this.deps.evaluate(installationId, locator, {
        reason: "recovery: an evaluation asked for did not finish (its replica stopped)",
      });
      report.reevaluated.push(locator);
    }
    Object.assign(report, { lookedUp: 0 });
  }

  /** Queues an evaluation for each open PR whose head's `Changegate` check is in progress for too long. */
  private async reevaluateStale(
    appClient: GitHubClient,
    report: SweepReport,
    fail: (step: string, error: unknown) => void,
  ): Promise<void> {
    const now = this.options.now();
    const threshold = now - this.options.staleAfterMs;
    const activeSince = now - this.options.activeWithinMs;
    let installations: { id: number; suspended_at?: string | null }[];
    try {
      this.appId ??= (await appClient.request("GET /app")).data?.id;
      installations = await appClient.paginate("GET /app/installations", { per_page: 100 });
    } catch (error) {
      fail("listing the App's installations", error);
      return;
    }
    let lookedUp = 0;
    for (const installation of installations) {
      if (installation.suspended_at) continue;
      let client: GitHubClient;
      let repositories: InstalledRepository[];
      try {
        client = conditionalClient(
          await this.deps.installationClient(installation.id),
          this.answers,
        );
        repositories = await installedRepositories(client);
      } catch (error) {
        fail(`listing the repositories of installation ${installation.id}`, error);
        continue;
      }
      for (const repository of repositories) {
        if (repository.archived) continue;
        const owner = repository.owner.login;
        const repo = repository.name;
        try {
          for (const pull of await pullsUpdatedSince<OpenPull>(
            client,
            { owner, repo },
            "open",
            activeSince,
          )) {
            lookedUp++;
            const run = await findCheck(client, { owner, repo }, pull.head.sha, this.appId);
            // A head with no run at all (an evaluation died before writing) counts from the PR's last update.
            const since = run ? run.startedAt : pull.updated_at;
            if ((run && run.status === "completed") || !since) continue;
            if (Date.parse(since) > threshold) continue;
            const locator = { owner, repo, number: pull.number };
            this.deps.evaluate(installation.id, locator, {
              reason: run
                ? `recovery: check in progress since ${since}`
                : `recovery: no check on the head since ${since}`,
              headSha: pull.head.sha,
            });
            report.reevaluated.push(locator);
          }
        } catch (error) {
          fail(`looking for stale checks in ${owner}/${repo}`, error);
        }
      }
    }
    Object.assign(report, { lookedUp });
  }
}

type InstalledRepository = { name: string; owner: { login: string }; archived?: boolean };

/** The installation's repositories, page by page through `request` (so each page is conditional). */
async function installedRepositories(client: GitHubClient): Promise<InstalledRepository[]> {
  const all: InstalledRepository[] = [];
  for (let page = 1; ; page++) {
    const { data } = await client.request("GET /installation/repositories", {
      per_page: 100,
      page,
    });
    const repositories = data.repositories as InstalledRepository[];
    all.push(...repositories);
    if (repositories.length < 100) return all;
  }
}

type OpenPull = { number: number; updated_at: string; head: { sha: string } };

/** At most this many answers are kept (the oldest go first): about one per open PR and listing page. */
const MAX_ANSWERS = 20_000;

/** The last answer of each GET, with its ETag. */
class ConditionalAnswers {
  private readonly byKey = new Map<string, { etag: string; response: unknown }>();

  get(key: string): { etag: string; response: unknown } | undefined {
    const hit = this.byKey.get(key);
    if (hit) {
      this.byKey.delete(key); // most recently used last
      this.byKey.set(key, hit);
    }
    return hit;
  }

  set(key: string, etag: string, response: unknown): void {
    this.byKey.delete(key);
    this.byKey.set(key, { etag, response });
    while (this.byKey.size > MAX_ANSWERS) this.byKey.delete(this.byKey.keys().next().value!);
  }
}

/**
 * The client with conditional GETs: each `request` GET carries the ETag of its last answer, and a
 * 304 (which Octokit throws) returns that answer again. Pagination and writes go through unchanged.
 */
function conditionalClient(client: GitHubClient, answers: ConditionalAnswers): GitHubClient {
  const request = async (route: unknown, params?: Record<string, unknown>): Promise<unknown> => {
    const call = (extra: Record<string, unknown>) =>
      (client.request as (r: unknown, p?: unknown) => Promise<unknown>)(route, {
        ...params,
        ...extra,
      });
    if (typeof route !== "string" || !route.startsWith("GET ")) return call({});
    const key = `${route} ${JSON.stringify(params ?? {})}`;
    const known = answers.get(key);
    const headers = (params?.headers as Record<string, string> | undefined) ?? {};
    try {
      const response = (await call(
        known ? { headers: { ...headers, "if-none-match": known.etag } } : {},
      )) as { headers?: Record<string, string | undefined> };
      const etag = response.headers?.etag;
      if (etag) answers.set(key, etag, response);
      return response;
    } catch (error) {
      if (known && statusOf(error) === 304) return known.response;
      throw error;
    }
  };
  const wrapped = Object.assign(request, client.request) as unknown as GitHubClient["request"];
  return { request: wrapped, paginate: client.paginate, graphql: client.graphql };
}
