import { createHmac } from "node:crypto";
import type { Context, Probot } from "probot";
import { isStickyComment } from "../render/comment-state.js";
import { CHECK_NAME } from "../shared/names.js";
import { pullOfExternalId } from "./check-run.js";
import { describeError, type PullLocator } from "./client.js";
import { createCoordinator, type CoordinatorFactory } from "./coordination/index.js";
import { registerAccessEvents } from "./access-events.js";
import { Recovery, type RecoveryOptions } from "./recovery.js";
import {
  DEFAULT_REQUEST_DEADLINE_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  limitRequests,
  type RequestLimits,
} from "./request-timeout.js";
import { openPullsWithHead } from "./pull-state.js";
import { acceptCommand, runGate } from "./run-gate.js";
import { mergeRequests, parseCommand, type CommandRequest, type GateRequest } from "./triggers.js";

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
  /** Stops the recovery timers (queued evaluations go on). */
  stop(): void;
  /** Stops the recovery timers, waits for queued evaluations, releases the coordinator. */
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

  const run = async (_key: string, work: QueuedWork): Promise<void> => {
    // Never rejects: nobody who awaits the queue could handle it.
    try {
      const client = limitRequests(await app.auth(work.installationId), limits);
      let request = work.request;
      for (const command of work.commands) {
        const accepted = await acceptCommand(client, work.locator, command, log);
        if (accepted) request = request ? mergeRequests(request, accepted) : accepted;
      }
      if (!request) return;
      // A look-up that failed while this work waited is asked once more, fresh.
      const known = await ownIdentity()
        .catch(() => ownIdentity())
        .then(
          (found) => ({ ...found, identityError: undefined }),
          (error: unknown) => ({ botLogin: undefined, appId: undefined, identityError: error }),
        );
      await runGate(client, work.locator, request, {
        ...known,
        stateKey: await ownStateKey(),
        log,
        ...(options.inProgressAfterMs !== undefined
          ? { inProgressAfterMs: options.inProgressAfterMs }
          : {}),
      });
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

  const submit = (work: QueuedWork): void => {
    const { locator } = work;
    const key = `${work.installationId}:${locator.owner}/${locator.repo}#${locator.number}`;
    void coordinator.enqueue(key, work, (previous, next) => {
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
  };
  // Look-ups a handler starts after answering (never awaited by the delivery); idle() waits for them.
  const lookups = new Set<Promise<void>>();
  const background = (work: () => Promise<void>): void => {
    const running = work().finally(() => lookups.delete(running));
    lookups.add(running);
  };
  const installationOf = (context: Context): number =>
    (context.payload as { installation?: { id?: number } }).installation?.id ?? 0;
  const enqueue = (context: Context, locator: PullLocator, request: GateRequest): void =>
    submit({ installationId: installationOf(context), locator, request, commands: [] });
  const ours = (context: Context): boolean => {
    const sender = (context.payload as { sender?: { login?: string; type?: string } }).sender;
    return sender?.type === "Bot" && sender.login === identity?.botLogin;
  };

  app.on(
    [
      "pull_request.opened",
      "pull_request.synchronize",
      "pull_request.reopened",
      "pull_request.edited",
      "pull_request.ready_for_review",
      "pull_request.converted_to_draft",
      "pull_request.labeled",
      "pull_request.unlabeled",
      "pull_request.closed",
    ],
    async (context) => {
      const { pull_request: pull, repository } = context.payload;
      if (context.payload.action === "closed" && !pull.merged) return;
      const locator = { owner: repository.owner.login, repo: repository.name, number: pull.number };
      enqueue(context, locator, {
        reason: `pull_request.${context.payload.action}`,
        headSha: pull.head.sha,
        ...deliveryFacts(context.payload),
      });
    },
  );

  /**
   * What GitHub says only in the delivery: who pushed (the sender of `opened` / `synchronize`:
   * https://docs.github.com/en/webhooks/webhook-events-and-payloads#pull_request) and on which
   * head a label was applied.
   */
  const deliveryFacts = (payload: {
    action: string;
    /** `synchronize`: the head before the push. */
    before?: string;
    sender?: { login?: string } | null;
    label?: { name?: string } | null;
    pull_request: { head: { sha: string } };
  }): Pick<GateRequest, "pushers" | "labeled"> => {
    const sender = payload.sender?.login;
    if ((payload.action === "opened" || payload.action === "synchronize") && sender)
      return {
        pushers: [
          {
            login: sender,
            headSha: payload.pull_request.head.sha,
            ...(payload.action === "synchronize" && payload.before
              ? { before: payload.before }
              : {}),
          },
        ],
      };
    if (payload.action === "labeled" && payload.label?.name)
      return { labeled: { label: payload.label.name, headSha: payload.pull_request.head.sha } };
    return {};
  };

  app.on(
    [
      "pull_request_review.submitted",
      "pull_request_review.edited",
      "pull_request_review.dismissed",
    ],
    async (context) => {
      const { pull_request: pull, repository } = context.payload;
      enqueue(
        context,
        { owner: repository.owner.login, repo: repository.name, number: pull.number },
        { reason: `pull_request_review.${context.payload.action}`, headSha: pull.head.sha },
      );
    },
  );

  app.on("issue_comment.created", async (context) => {
    const { issue, comment, repository } = context.payload;
    if (!issue.pull_request || ours(context) || !comment.user) return;
    const command = parseCommand(comment.body);
    if (!command) return;
    // The commenter's permission is checked in the queued work, not here (no I/O in handlers).
    submit({
      installationId: installationOf(context),
      locator: { owner: repository.owner.login, repo: repository.name, number: issue.number },
      commands: [{ name: command, sender: comment.user.login }],
    });
  });

  app.on("issue_comment.edited", async (context) => {
    const { issue, comment, repository, changes } = context.payload;
    const previousBody = changes.body?.from ?? "";
    // Also an edit that took the marker out: what the comment recorded before still counts.
    const sticky = isStickyComment(comment.body) || isStickyComment(previousBody);
    if (!issue.pull_request || ours(context) || !sticky) return;
    // Only the App's own sticky comment carries the checklist: the queued work checks the id.
    if (comment.user?.type !== "Bot") return;
    enqueue(
      context,
      { owner: repository.owner.login, repo: repository.name, number: issue.number },
      {
        reason: "checklist edited",
        tickEdits: [
          {
            commentId: comment.id,
            previousBody,
            newBody: comment.body,
            sender: context.payload.sender.login,
          },
        ],
        stickyBefore: [previousBody],
      },
    );
  });

  // Writers can delete any comment, the App's too: the state it recorded is taken from the
  // deleted body (https://docs.github.com/en/webhooks/webhook-events-and-payloads#issue_comment)
  // where the App signed it, and the comment is written again.
  app.on("issue_comment.deleted", async (context) => {
    const { issue, comment, repository } = context.payload;
    if (!issue.pull_request || ours(context) || !isStickyComment(comment.body)) return;
    if (comment.user?.type !== "Bot") return;
    enqueue(
      context,
      { owner: repository.owner.login, repo: repository.name, number: issue.number },
      { reason: "sticky comment deleted", stickyBefore: [comment.body] },
    );
  });

  // "Re-run" on the check. A fork PR's run lists no `pull_requests` ("When the check suite's
  // head_branch is in a forked repository ... the pull_requests array will be empty",
  // https://docs.github.com/en/webhooks/webhook-events-and-payloads#check_run), so the PR number
  // comes from the run's `external_id` (check-run.ts).
  app.on("check_run.rerequested", async (context) => {
    const { check_run: run, repository } = context.payload;
    if (run.name !== CHECK_NAME) return;
    const numbers = new Set(run.pull_requests.map((pull) => pull.number));
    const fromExternalId = pullOfExternalId(run.external_id);
    if (fromExternalId !== undefined) numbers.add(fromExternalId);
    for (const number of numbers) {
      enqueue(
        context,
        { owner: repository.owner.login, repo: repository.name, number },
        { reason: "check_run.rerequested", headSha: run.head_sha },
      );
    }
  });

  // "Re-run all checks" re-requests the whole suite
  // (https://docs.github.com/en/webhooks/webhook-events-and-payloads#check_suite); a fork PR's
  // suite lists no pull requests, so the head's open pull requests are looked up in queued work.
  app.on("check_suite.rerequested", async (context) => {
    const { check_suite: suite, repository } = context.payload;
    const owner = repository.owner.login;
    const repo = repository.name;
    const listed = (suite.pull_requests ?? []).map((pull) => pull.number);
    const request: GateRequest = { reason: "check_suite.rerequested", headSha: suite.head_sha };
    if (listed.length > 0) {
      for (const number of listed) enqueue(context, { owner, repo, number }, request);
      return;
    }
    const installationId = installationOf(context);
    background(async () => {
      try {
        const client = limitRequests(await app.auth(installationId), limits);
        for (const number of await openPullsWithHead(client, { owner, repo }, suite.head_sha))
          submit({ installationId, locator: { owner, repo, number }, request, commands: [] });
      } catch (error) {
        log.error(
          { repository: `${owner}/${repo}`, headSha: suite.head_sha, reason: describeError(error) },
          "could not find the pull requests of a re-requested check suite",
        );
      }
    });
  });

  const access = registerAccessEvents(app, {
    installationClient: async (id) => limitRequests(await app.auth(id), limits),
    evaluate: (installationId, locator, request) =>
      submit({ installationId, locator, request, commands: [] }),
    log,
  });

  void ownIdentity().catch(() => undefined);

  let recovery: Recovery | undefined;
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
    stop: () => recovery?.stop(),
    close: async () => {
      recovery?.stop();
      await coordinator.close();
    },
  };
}
