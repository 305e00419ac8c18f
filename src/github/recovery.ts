/**
 * Recovery sweeps: what a webhook-driven App loses when a delivery fails or a process dies.
 *
 * 1. Failed deliveries. GitHub records a delivery as failed when the App is down or takes longer
 *    than 10 s to answer, and does not redeliver it by itself; its advice is a scheduled job that
 *    lists the deliveries attempted since the last run and redelivers those whose status is not
 *    `OK` (docs.github.com/en/webhooks/using-webhooks/handling-failed-webhook-deliveries).
 * 2. Evaluations killed mid-way (a deploy, a crash) leave the head's `Changegate` check
 *    `in_progress`: it blocks the merge forever. A run in progress for too long is re-evaluated.
 *
 * Stateless across restarts: a sweep after a restart may redeliver a delivery again, which is
 * harmless because an evaluation is idempotent (check run per head, sticky comment by marker).
 */
import { findCheck } from "./check-run.js";
import { describeError, type GitHubClient, type PullLocator } from "./client.js";
import type { GateDeps } from "./run-gate.js";
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
  /** The clock (tests give GitHub's). */
  readonly now: () => number;
}

export const DEFAULT_RECOVERY: RecoveryOptions = {
  intervalMs: 5 * 60_000,
  initialDelayMs: 30_000,
  staleAfterMs: 10 * 60_000,
  lookbackMs: 24 * 60 * 60_000,
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
}

export interface SweepReport {
  /** Delivery ids redelivered in this sweep. */
  readonly redelivered: number[];
  /** Pull requests whose stale in-progress check was queued for re-evaluation. */
  readonly reevaluated: PullLocator[];
  /** One line per step that failed (the sweep goes on with the next). */
  readonly errors: string[];
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
  const raw = env.CHANGEGATE_RECOVERY_INTERVAL_MS?.trim();
  if (raw === undefined || raw === "") return {};
  if (/^(0|off|false|no)$/i.test(raw)) return false;
  const intervalMs = Number(raw);
  if (!Number.isFinite(intervalMs) || intervalMs < 1000)
    throw new Error(
      `CHANGEGATE_RECOVERY_INTERVAL_MS must be a number of milliseconds ≥ 1000, or 0 to turn recovery off (got "${raw}")`,
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
    await this.reevaluateStale(appClient, report, fail);
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

  /** Queues an evaluation for each open PR whose head's `Changegate` check is in progress for too long. */
  private async reevaluateStale(
    appClient: GitHubClient,
    report: SweepReport,
    fail: (step: string, error: unknown) => void,
  ): Promise<void> {
    const threshold = this.options.now() - this.options.staleAfterMs;
    let appId: number | undefined;
    let installations: { id: number; suspended_at?: string | null }[];
    try {
      appId = (await appClient.request("GET /app")).data?.id;
      installations = await appClient.paginate("GET /app/installations", { per_page: 100 });
    } catch (error) {
      fail("listing the App's installations", error);
      return;
    }
    for (const installation of installations) {
      if (installation.suspended_at) continue;
      let client: GitHubClient;
      let repositories: { name: string; owner: { login: string }; archived?: boolean }[];
      try {
        client = await this.deps.installationClient(installation.id);
        repositories = await client.paginate("GET /installation/repositories", { per_page: 100 });
      } catch (error) {
        fail(`listing the repositories of installation ${installation.id}`, error);
        continue;
      }
      for (const repository of repositories) {
        if (repository.archived) continue;
        const owner = repository.owner.login;
        const repo = repository.name;
        try {
          const pulls = await client.paginate("GET /repos/{owner}/{repo}/pulls", {
            owner,
            repo,
            state: "open",
            per_page: 100,
          });
          for (const pull of pulls) {
            const run = await findCheck(client, { owner, repo }, pull.head.sha, appId);
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
  }
}
