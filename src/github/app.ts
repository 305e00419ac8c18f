import type { Context, Probot } from "probot";
import { isStickyComment } from "../render/comment-state.js";
import { CHECK_NAME } from "../render/check-run.js";
import type { PullLocator } from "./client.js";
import { PullQueue } from "./queue.js";
import { runGate, type GateRequest } from "./run-gate.js";
import { PermissionCache } from "./snapshot-loader.js";
import { COMMANDS, isWriter, mergeRequests, parseCommand } from "./triggers.js";
import { reply } from "./publish.js";

type Queued = {
  readonly context: Context;
  readonly locator: PullLocator;
  readonly request: GateRequest;
};

/** The running App's handle: tests and shutdown wait for queued evaluations. */
export interface ChangegateApp {
  idle(): Promise<void>;
}

/** Registers Changegate's handlers: each event maps to a trigger, then to `runGate(locator)`. */
export function registerChangegate(app: Probot): ChangegateApp {
  let botLogin: string | undefined;
  const queue = new PullQueue<Queued>(async (_key, { context, locator, request }) => {
    await runGate(context.octokit, locator, request, { botLogin, log: context.log });
  });
  const enqueue = (context: Context, locator: PullLocator, request: GateRequest): void => {
    const installation =
      (context.payload as { installation?: { id?: number } }).installation?.id ?? 0;
    const key = `${installation}:${locator.owner}/${locator.repo}#${locator.number}`;
    void queue.enqueue(key, { context, locator, request }, (previous, next) => ({
      ...next,
      request: mergeRequests(previous.request, next.request),
    }));
  };
  const ours = (context: Context): boolean => {
    const sender = (context.payload as { sender?: { login?: string; type?: string } }).sender;
    if (sender?.login && botLogin && sender.login === botLogin) return true;
    return sender?.type === "Bot" && Boolean(sender.login?.startsWith("changegate"));
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
      });
    },
  );

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
    if (!issue.pull_request || ours(context)) return;
    const command = parseCommand(comment.body);
    if (!command) return;
    const locator = { owner: repository.owner.login, repo: repository.name, number: issue.number };
    if (!comment.user) return;
    const permission = await new PermissionCache(context.octokit, locator.owner, locator.repo).of(
      comment.user.login,
    );
    if (!isWriter(permission) || !(COMMANDS as readonly string[]).includes(command)) {
      const why = isWriter(permission)
        ? `unknown command \`${command}\` (known: ${COMMANDS.join(", ")})`
        : "commands are accepted from people with write access only";
      await reply(context.octokit, locator, `Changegate ignored this command: ${why}.`);
      return;
    }
    enqueue(context, locator, { reason: `/changegate ${command}`, explain: command === "explain" });
  });

  app.on("issue_comment.edited", async (context) => {
    const { issue, comment, repository, changes } = context.payload;
    if (!issue.pull_request || ours(context) || !isStickyComment(comment.body)) return;
    if (comment.user?.type !== "Bot") return; // only our own sticky comment carries the checklist
    const previousBody = changes.body?.from ?? "";
    enqueue(
      context,
      { owner: repository.owner.login, repo: repository.name, number: issue.number },
      {
        reason: "checklist edited",
        tickEdit: { previousBody, newBody: comment.body, sender: context.payload.sender.login },
      },
    );
  });

  app.on("check_run.rerequested", async (context) => {
    const { check_run: run, repository } = context.payload;
    if (run.name !== CHECK_NAME) return;
    for (const pull of run.pull_requests) {
      enqueue(
        context,
        { owner: repository.owner.login, repo: repository.name, number: pull.number },
        { reason: "check_run.rerequested", headSha: run.head_sha },
      );
    }
  });

  // Learn our own login once, to ignore our own events and find our own comment.
  void (async () => {
    try {
      const octokit = await app.auth();
      const { data } = await octokit.request("GET /app");
      botLogin = data ? `${data.slug}[bot]` : undefined;
    } catch {
      botLogin = undefined; // comments are still found by their hidden marker
    }
  })();

  return { idle: () => queue.idle() };
}
