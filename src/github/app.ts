import { createHmac } from "node:crypto";
import type { Context, Probot } from "probot";
import { describeError, type PullLocator } from "./client.js";
import {
  createCoordinator,
  MemoryTimedStore,
  type CoordinatorFactory,
} from "./coordination/index.js";
import { registerAccessEvents } from "./access-events.js";
import { DEFAULT_RECOVERY, Recovery, type RecoveryOptions } from "./recovery.js";
import {
  DEFAULT_REQUEST_DEADLINE_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  limitRequests,
  type RequestLimits,
} from "./request-timeout.js";
import { openPullsWithHead } from "./pull-state.js";
import { PULL_REQUEST_ACTIONS, REVIEW_ACTIONS, workOf, type Work } from "./events.js";
import { acceptCommand, runGate, type RunOutcome } from "./run-gate.js";
import {
  DEFAULT_TIMED_SWEEP_MS,
  TimedSweep,
  timedEntry,
  WINDOW_OPENED,
  type TimedEntry,
  type TimedSweepOptions,
} from "./timed-sweep.js";
import { mergeRequests, type CommandRequest, type GateRequest } from "./triggers.js";

/**
 * Work for one PR: an evaluation, and `/changegate` commands whose author is not checked yet.
 * Plain JSON (the Redis coordinator stores it): the client is made from the installation id.
 */
export interface QueuedWork {
  readonly installationId: number;
  readonly locator: PullLocator;
  readonly request?: GateRequest;
  readonly commands: readonly CommandRequest[];
}

export interface ChangegateOptions {
  /** `redis://…`: per-PR locks shared by replicas (default: `REDIS_URL`); unset: in-process queue. */
  readonly redisUrl?: string;
  /** Replaces the per-PR coordinator (tests instrument it). */
  readonly coordinator?: CoordinatorFactory<QueuedWork>;
  /** Per attempt and per call (retries included) limits of every GitHub request. */
  readonly requests?: Partial<RequestLimits>;
  /** An evaluation still running after this long shows `in_progress` (default 1 s; 0: at once). */
  readonly inProgressAfterMs?: number;
  /** Quiet time before the trailing evaluation of a burst (default 1 s; see coordination/settle.ts). */
  readonly settleMs?: number;
  /** The clock change windows and freezes are judged by (default `Date.now`; tests inject one). */
  readonly now?: () => number;
}

/** Who the App is, from GET /app: its bot's login and its id. */
export interface AppIdentity {
  readonly botLogin: string;
  readonly appId: number;
}

/** The running App's handle: tests and shutdown wait for queued evaluations. */
export interface ChangegateApp {
  idle(): Promise<void>;
  /**
   * Starts the recovery sweeps (failed deliveries, checks left in progress; see recovery.ts).
   * `false` (recovery turned off) starts nothing.
   */
  startRecovery(options?: Partial<RecoveryOptions> | false): Recovery | undefined;
  /**
   * Starts the timed sweep: pull requests the `schedule` gate holds are evaluated again when their
   * window opens (timed-sweep.ts). `false` (turned off) starts nothing.
   */
  startTimedSweep(options?: Partial<TimedSweepOptions> | false): TimedSweep | undefined;
  /** One timed sweep now (tests): how many pull requests it queued. */
  sweepTimed(): Promise<number>;
  /** Stops the recovery and timed-sweep timers (queued evaluations go on). */
  stop(): void;
  /** Stops the timers, waits for queued evaluations, releases the coordinator. */
  close(): Promise<void>;
}

/**
 * Probot signs and verifies with the secret "development" when none is set
 * (probot/lib/server/server.js `defaultWebhookSecret`): anyone could then send the App deliveries
 * it accepts as GitHub's. Refuse to serve webhooks without a secret of our own. (Probot's setup
 * flow, which runs before the App has credentials, does not load the App.)
 */
export async function refuseDefaultSecret(app: Pick<Probot, "webhooks">): Promise<void> {
  const probe = JSON.stringify({ zen: "Changegate checks its webhook secret." });
  const signature = `sha256=${createHmac("sha256", PROBOT_DEFAULT_SECRET).update(probe).digest("hex")}`;
  if (await app.webhooks.verify(probe, signature))
    throw new Error(
      "WEBHOOK_SECRET is not set: Changegate refuses to serve webhooks signed with Probot's default secret. Set WEBHOOK_SECRET to the App's webhook secret (docs/install.md).",
    );
}

/** The deliveries the App acts on (events.ts says what each asks for; app.yml subscribes to them). */
const APP_EVENTS = [
  ...PULL_REQUEST_ACTIONS.map((action) => `pull_request.${action}` as const),
  ...REVIEW_ACTIONS.map((action) => `pull_request_review.${action}` as const),
  "issue_comment.created",
  "issue_comment.edited",
  "issue_comment.deleted",
  "check_run.rerequested",
  "check_suite.rerequested",
] as const;

/** A timed evaluation that failed closed is tried again after this long (as often as recovery sweeps). */
const TIMED_RETRY_MS = 5 * 60_000;

/** What the state key signs: not JSON, so no delivery GitHub signs can carry it. */
const STATE_KEY_LABEL = "changegate: sticky comment state key v1";

/** Probot's fallback webhook secret (probot/lib/server/server.js). */
const PROBOT_DEFAULT_SECRET = "development";

/**
 * Registers Changegate's handlers: each event maps to a trigger, then to `runGate(locator)`.
 * Handlers only enqueue, with no I/O, so every delivery is answered at once: GitHub records a
 * delivery as failed after 10 s and does not redeliver it by itself.
 */
export function registerChangegate(app: Probot, options: ChangegateOptions = {}): ChangegateApp {
  const limits: RequestLimits = {
    timeoutMs: options.requests?.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    deadlineMs: options.requests?.deadlineMs ?? DEFAULT_REQUEST_DEADLINE_MS,
  };
  const log = app.log.child({ name: "changegate" });
  let identity: AppIdentity | undefined;
  let learning: Promise<AppIdentity> | undefined;
  // Who the App is (GET /app): its own events are ignored, its own comment is the sticky one, its
  // own check run is the one updated. Asked again after a failure; never guessed.
  const ownIdentity = (): Promise<AppIdentity> =>
    (learning ??= (async () => {
      try {
        const octokit = limitRequests(await app.auth(), limits);
        const { data } = await octokit.request("GET /app");
        if (!data?.slug) throw new Error("GET /app answered without the App's slug");
        identity = { botLogin: `${data.slug}[bot]`, appId: Number(data.id) };
        return identity;
      } catch (error) {
        learning = undefined;
        throw error;
      }
    })());

  // The sticky comment's state blocks are signed with a key only the App has (render/comment-state.ts):
  // an HMAC of a label of our own under the webhook secret, so no webhook payload signs the same.
  let stateKey: Promise<string> | undefined;
  const ownStateKey = (): Promise<string> =>
    (stateKey ??= app.webhooks
      .sign(STATE_KEY_LABEL)
      .then((signature) => signature.replace(/^sha256=/, "")));

  const now = options.now ?? Date.now;
  const run = async (_key: string, work: QueuedWork): Promise<void> => {
    // Never rejects: nobody who awaits the queue could handle it.
    const started = now();
    try {
      const client = limitRequests(await app.auth(work.installationId), limits);
      let request = work.request;
      for (const command of work.commands) {
        const accepted = await acceptCommand(client, work.locator, command, log);
        if (accepted) request = request ? mergeRequests(request, accepted) : accepted;
      }
      if (!request) {
        await settleUnfinished(work, started);
        return;
      }
      // A look-up that failed while this work waited is asked once more, fresh.
      const known = await ownIdentity()
        .catch(() => ownIdentity())
        .then(
          (found) => ({ ...found, identityError: undefined }),
          (error: unknown) => ({ botLogin: undefined, appId: undefined, identityError: error }),
        );
      const outcome = await runGate(client, work.locator, request, {
        ...known,
        stateKey: await ownStateKey(),
        log,
        ...(options.inProgressAfterMs !== undefined
          ? { inProgressAfterMs: options.inProgressAfterMs }
          : {}),
        ...(options.now ? { now: options.now } : {}),
      });
      await recordTimed(work, outcome);
      // Finished: a check that says so is on the head, or nothing was due (head moved, closed).
      // A run that threw leaves its entry, and the recovery sweep evaluates the PR again.
      await settleUnfinished(work, started);
    } catch (error) {
      log.error({ pull: work.locator, reason: describeError(error) }, "queued work failed");
    }
  };
  const coordinator = options.coordinator
    ? options.coordinator(run)
    : createCoordinator<QueuedWork>(run, {
        redisUrl: options.redisUrl ?? process.env.REDIS_URL ?? "",
        log,
        ...(options.settleMs !== undefined ? { settleMs: options.settleMs } : {}),
      });

  // Pull requests the schedule gate holds, due when their window opens (timed-sweep.ts).
  const timed = coordinator.timedStore?.<TimedEntry>() ?? new MemoryTimedStore<TimedEntry>();
  // Evaluations asked for and not known to have finished, where they outlive a replica (Redis):
  // the recovery sweep evaluates again those still there when due (recovery.ts).
  const unfinished = coordinator.unfinishedStore?.<TimedEntry>();
  /** Queued work not finished after this long was lost with a replica (recovery's threshold). */
  const unfinishedAfterMs = DEFAULT_RECOVERY.staleAfterMs;
  /** An evaluation that started at `started` has ended: what was asked before it is done. */
  const settleUnfinished = async (work: QueuedWork, started: number): Promise<void> => {
    if (!unfinished) return;
    await unfinished
      .settle(timedEntry(work.installationId, work.locator), started + unfinishedAfterMs)
      .catch((error: unknown) =>
        log.error(
          { pull: work.locator, reason: describeError(error) },
          "could not record that an evaluation finished; recovery will evaluate the PR again",
        ),
      );
  };
  /**
   * After an evaluation: a verdict the schedule gate fails with an opening makes the PR due then,
   * a green one whose window closes makes it due at the closing; any other verdict, or a PR
   * closed unmerged, clears it. A run that failed closed leaves it, and one the sweep asked for is
   * due again after `TIMED_RETRY_MS`.
   */
  const recordTimed = async (work: QueuedWork, outcome: RunOutcome): Promise<void> => {
    const entry = timedEntry(work.installationId, work.locator);
    try {
      if (outcome.kind === "skipped") {
        if (outcome.closed) await timed.clear(entry);
        return;
      }
      const verdict = outcome.evaluation?.verdict;
      if (!verdict) {
        // Failed closed (the check says why). The sweep took the entry to evaluate it: due again
        // shortly, so a passing fault does not leave the PR failed until its next event.
        if (work.request?.reason === WINDOW_OPENED) await timed.due(entry, now() + TIMED_RETRY_MS);
        return;
      }
      const heldByTime =
        verdict.conclusion === "failure" &&
        verdict.gates.some((gate) => gate.gate === "schedule" && gate.status === "fail");
      // Held: due when the window opens. Green: due when it closes, so the green check does not
      // outlive the window (a merge after that is a bypass, render/merge-record.ts).
      const next = heldByTime
        ? verdict.reopensAt
        : verdict.conclusion === "success"
          ? verdict.closesAt
          : null;
      const at = next ? Date.parse(next) : NaN;
      if (Number.isNaN(at)) await timed.clear(entry);
      else await timed.due(entry, at);
    } catch (error) {
      log.error(
        { pull: work.locator, reason: describeError(error) },
        "could not record when the change window opens; the PR waits for its next event",
      );
    }
  };

  const submit = (work: QueuedWork): void => {
    const { locator } = work;
    const key = `${work.installationId}:${locator.owner}/${locator.repo}#${locator.number}`;
    const enqueue = (): Promise<void> =>
      coordinator.enqueue(key, work, (previous, next) => {
        const request =
          previous.request && next.request
            ? mergeRequests(previous.request, next.request)
            : (next.request ?? previous.request);
        return {
          ...next,
          ...(request ? { request } : {}),
          commands: [...previous.commands, ...next.commands],
        };
      });
    if (!unfinished) {
      void enqueue();
      return;
    }
    // Recorded before it is queued, so an evaluation that starts after the request settles it.
    background(async () => {
      await unfinished
        .due(timedEntry(work.installationId, locator), now() + unfinishedAfterMs)
        .catch((error: unknown) =>
          log.error(
            { pull: locator, reason: describeError(error) },
            "could not record the evaluation asked for; a replica that dies running it leaves it to the next event",
          ),
        );
      await enqueue();
    });
  };
  // Look-ups a handler starts after answering (never awaited by the delivery); idle() waits for them.
  const lookups = new Set<Promise<void>>();
  const background = (work: () => Promise<void>): void => {
    const running = work().finally(() => lookups.delete(running));
    lookups.add(running);
  };
  const installationOf = (context: Context): number =>
    (context.payload as { installation?: { id?: number } }).installation?.id ?? 0;
  const isOwn = (sender: { login?: string; type?: string } | null | undefined): boolean =>
    sender?.type === "Bot" && sender.login === identity?.botLogin;

  app.on([...APP_EVENTS], async (context) => {
    const installationId = installationOf(context);
    for (const work of workOf(context.name, context.payload as never, isOwn)) {
      if (work.kind === "evaluate")
        submit({ installationId, locator: work.locator, request: work.request, commands: [] });
      else if (work.kind === "command")
        // The commenter's permission is checked in the queued work, not here (no I/O in handlers).
        submit({ installationId, locator: work.locator, commands: [work.command] });
      else background(() => evaluateHead(installationId, work));
    }
    forgetClosed(installationId, context);
  });

  /** A pull request closed without merging is no longer due when its window opens. */
  const forgetClosed = (installationId: number, context: Context): void => {
    const payload = context.payload as {
      action?: string;
      pull_request?: { number?: number; merged?: boolean };
      repository?: { name?: string; owner?: { login?: string } };
    };
    const { pull_request: pull, repository } = payload;
    if (context.name !== "pull_request" || payload.action !== "closed" || pull?.merged) return;
    if (!pull?.number || !repository?.name || !repository.owner?.login) return;
    const locator = { owner: repository.owner.login, repo: repository.name, number: pull.number };
    background(() =>
      timed
        .clear(timedEntry(installationId, locator))
        .catch((error: unknown) =>
          log.error(
            { pull: locator, reason: describeError(error) },
            "could not forget a closed PR's change window",
          ),
        ),
    );
  };

  /** The open pull requests at a head the event names no pull request for (a fork's suite). */
  const evaluateHead = async (
    installationId: number,
    work: Extract<Work, { kind: "evaluate-head" }>,
  ): Promise<void> => {
    const { repository, headSha, request } = work;
    try {
      const client = limitRequests(await app.auth(installationId), limits);
      for (const number of await openPullsWithHead(client, repository, headSha))
        submit({ installationId, locator: { ...repository, number }, request, commands: [] });
    } catch (error) {
      log.error(
        {
          repository: `${repository.owner}/${repository.repo}`,
          headSha,
          reason: describeError(error),
        },
        "could not find the pull requests of a re-requested check suite",
      );
    }
  };

  const access = registerAccessEvents(app, {
    installationClient: async (id) => limitRequests(await app.auth(id), limits),
    evaluate: (installationId, locator, request) =>
      submit({ installationId, locator, request, commands: [] }),
    log,
  });

  void ownIdentity().catch(() => undefined);

  let recovery: Recovery | undefined;
  const timedSweep = (sweepOptions: Partial<TimedSweepOptions> = {}): TimedSweep =>
    new TimedSweep(
      {
        store: timed,
        evaluate: (installationId, locator, request) =>
          submit({ installationId, locator, request, commands: [] }),
        log,
      },
      { intervalMs: DEFAULT_TIMED_SWEEP_MS, now, ...sweepOptions },
    );
  let sweeper: TimedSweep | undefined;
  let manual: TimedSweep | undefined;
  return {
    idle: async () => {
      await access.idle();
      while (lookups.size > 0) await Promise.all([...lookups]);
      await coordinator.idle();
    },
    startRecovery: (recoveryOptions = {}) => {
      recovery?.stop();
      recovery = undefined;
      if (recoveryOptions === false) return undefined;
      recovery = new Recovery(
        {
          appClient: async () => limitRequests(await app.auth(), limits),
          installationClient: async (id) => limitRequests(await app.auth(id), limits),
          log,
          evaluate: (installationId, locator, request) =>
            submit({ installationId, locator, request, commands: [] }),
          ...(unfinished ? { unfinished } : {}),
          // One replica sweeps per interval (Redis); in one process the lease is always ours.
          ...(coordinator.lease
            ? { lease: (name: string, ttlMs: number) => coordinator.lease!(name, ttlMs) }
            : {}),
        },
        recoveryOptions,
      );
      recovery.start();
      return recovery;
    },
    startTimedSweep: (sweepOptions = {}) => {
      sweeper?.stop();
      sweeper = undefined;
      if (sweepOptions === false) return undefined;
      sweeper = timedSweep(sweepOptions);
      sweeper.start();
      return sweeper;
    },
    sweepTimed: () => (sweeper ?? (manual ??= timedSweep())).sweep(),
    stop: () => {
      recovery?.stop();
      sweeper?.stop();
    },
    close: async () => {
      recovery?.stop();
      sweeper?.stop();
      await coordinator.close();
    },
  };
}
