import type { PullLocator } from "./client.js";
import { intervalFromEnv } from "./recovery.js";
import type { TimedEntry, TimedStore } from "./coordination/index.js";
import type { GateRequest } from "./triggers.js";

// A pull request the `schedule` gate holds until an instant (its verdict's `reopensAt`).
export { timedEntry, type TimedEntry } from "./coordination/index.js";

/** Why the sweep evaluates a pull request (the evaluation's log and request reason). */
export const WINDOW_OPENED = "schedule.window-opened";

export interface TimedSweepOptions {
  /** How often the due entries are taken (default 60 s). */
  readonly intervalMs: number;
  /** The clock entries are due by (the App's, so tests move it). */
  readonly now: () => number;
}

export const DEFAULT_TIMED_SWEEP_MS = 60_000;

export interface TimedSweepDeps {
  readonly store: TimedStore<TimedEntry>;
  /** Queues an evaluation through the App's per-PR coordinator. */
  readonly evaluate: (installationId: number, locator: PullLocator, request: GateRequest) => void;
  readonly log: { error: (obj: object, msg?: string) => void };
}

/**
 * `CHANGEGATE_TIMED_SWEEP_MS`: the sweep's interval in ms (default 60 000); `0` or `off` turns it
 * off. A value that is no number of at least 1000 stops the start with a line that says so.
 */
export function timedSweepFromEnv(
  env: Record<string, string | undefined>,
): Partial<TimedSweepOptions> | false {
  return intervalFromEnv(
    env.CHANGEGATE_TIMED_SWEEP_MS,
    "CHANGEGATE_TIMED_SWEEP_MS",
    "the timed sweep",
  );
}

/**
 * Re-evaluates the pull requests time held, once their window opens or their freeze ends: each
 * sweep takes the entries now due from the store (one replica gets each) and queues an evaluation
 * of each, through the same per-PR queue as a webhook. It touches no other pull request and asks
 * GitHub nothing itself: a sweep with nothing due costs no request.
 */
export class TimedSweep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly deps: TimedSweepDeps,
    private readonly options: TimedSweepOptions,
  ) {}

  start(): void {
    this.stop();
    this.timer = setInterval(() => void this.sweep(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One sweep (a sweep already running is joined): how many pull requests it queued. */
  sweep(): Promise<number> {
    this.running ??= this.takeDue().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async takeDue(): Promise<number> {
    try {
      const due = await this.deps.store.take(this.options.now());
      for (const entry of due)
        this.deps.evaluate(
          entry.installationId,
          { owner: entry.owner, repo: entry.repo, number: entry.number },
          { reason: WINDOW_OPENED },
        );
      return due.length;
    } catch (error) {
      this.deps.log.error(
        { reason: error instanceof Error ? error.message : String(error) },
        "timed sweep could not read the pull requests due",
      );
      return 0;
    }
  }
}
