/**
 * What a GitHub event asks of the gate, for the App (webhook deliveries) and the Action (the
 * runner's event payload) alike: which pull request to evaluate and what the event adds to it.
 * Pure: the payload in, work out. The shapes are GitHub's webhook payloads
 * (https://docs.github.com/en/webhooks/webhook-events-and-payloads); an Action's event file holds
 * the same payload (https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows).
 */
import { isStickyComment } from "../render/comment-state.js";
import { CHECK_NAME } from "../shared/names.js";
import { pullOfExternalId } from "./check-run.js";
import type { PullLocator } from "./client.js";
import { parseCommand, type CommandRequest, type GateRequest } from "./triggers.js";

export type Repository = Pick<PullLocator, "owner" | "repo">;

/** One piece of work an event asks for. */
export type Work =
  /** Evaluate this pull request. */
  | { readonly kind: "evaluate"; readonly locator: PullLocator; readonly request: GateRequest }
  /** A `/changegate` command: accepted from writers only (checked in queued work, with I/O). */
  | { readonly kind: "command"; readonly locator: PullLocator; readonly command: CommandRequest }
  /** Evaluate every open pull request whose head is `headSha` (the event names none). */
  | {
      readonly kind: "evaluate-head";
      readonly repository: Repository;
      readonly headSha: string;
      readonly request: GateRequest;
    };

/** The `pull_request` actions that change what the gate decides. */
export const PULL_REQUEST_ACTIONS = [
  "opened",
  "synchronize",
  "reopened",
  "edited",
  "ready_for_review",
  "converted_to_draft",
  "labeled",
  "unlabeled",
  "closed",
] as const;

export const REVIEW_ACTIONS = ["submitted", "edited", "dismissed"] as const;

/** The `repository_dispatch` event type that asks for an evaluation (docs/action.md). */
const DISPATCH_TYPE = "changegate";

interface Account {
  readonly login?: string;
  readonly type?: string;
}

interface Payload {
  readonly action?: string;
  readonly sender?: Account | null;
  readonly repository?: { readonly name: string; readonly owner: { readonly login: string } };
  readonly [key: string]: unknown;
}

interface PullPayload {
  readonly number: number;
  readonly merged?: boolean | null;
  readonly head: { readonly sha: string };
}

/**
 * The work an event asks for. `isOwn` tells the gate's own account (its writes come back as
 * events; they never ask for work). An event that asks for nothing gives an empty list.
 */
export function workOf(
  event: string,
  payload: Payload,
  isOwn: (sender: Account | null | undefined) => boolean,
): Work[] {
  const repository = payload.repository;
  if (!repository) return [];
  const where = { owner: repository.owner.login, repo: repository.name };
  const action = payload.action ?? "";
  switch (event) {
    case "pull_request":
      return pullRequestWork(where, action, payload);
    case "pull_request_review": {
      // The App's own review (its suggested fixes, src/github/suggestions.ts) asks for nothing.
      if (!(REVIEW_ACTIONS as readonly string[]).includes(action) || isOwn(payload.sender))
        return [];
      const pull = payload.pull_request as PullPayload;
      return [
        evaluate(where, pull.number, {
          reason: `pull_request_review.${action}`,
          headSha: pull.head.sha,
        }),
      ];
    }
    case "issue_comment":
      return isOwn(payload.sender) ? [] : commentWork(where, action, payload);
    case "check_run":
      return action === "rerequested" ? checkRunWork(where, payload) : [];
    case "check_suite":
      return action === "rerequested" ? checkSuiteWork(where, payload) : [];
    case "workflow_run":
      return action === "completed" ? workflowRunWork(where, payload) : [];
    case "repository_dispatch":
      return action === DISPATCH_TYPE ? dispatchWork(where, payload) : [];
    default:
      return [];
  }
}

const evaluate = (where: Repository, number: number, request: GateRequest): Work => ({
  kind: "evaluate",
  locator: { ...where, number },
  request,
});

function pullRequestWork(where: Repository, action: string, payload: Payload): Work[] {
  if (!(PULL_REQUEST_ACTIONS as readonly string[]).includes(action)) return [];
  const pull = payload.pull_request as PullPayload;
  if (action === "closed" && !pull.merged) return [];
  return [
    evaluate(where, pull.number, {
      reason: `pull_request.${action}`,
      headSha: pull.head.sha,
      ...deliveryFacts(action, payload, pull),
    }),
  ];
}

/**
 * What GitHub says only in the event: who pushed (the sender of `opened` / `synchronize`:
 * https://docs.github.com/en/webhooks/webhook-events-and-payloads#pull_request) and on which
 * head a label was applied.
 */
function deliveryFacts(
  action: string,
  payload: Payload,
  pull: PullPayload,
): Pick<GateRequest, "pushers" | "labeled"> {
  const sender = payload.sender?.login;
  const before = typeof payload.before === "string" ? payload.before : undefined;
  if ((action === "opened" || action === "synchronize") && sender)
    return {
      pushers: [
        {
          login: sender,
          headSha: pull.head.sha,
          ...(action === "synchronize" && before ? { before } : {}),
        },
      ],
    };
  const label = (payload.label as { name?: string } | null | undefined)?.name;
  if (action === "labeled" && label) return { labeled: { label, headSha: pull.head.sha } };
  return {};
}

interface CommentPayload {
  readonly id: number;
  readonly body: string;
  readonly user: Account | null;
}

function commentWork(where: Repository, action: string, payload: Payload): Work[] {
  const issue = payload.issue as { number: number; pull_request?: unknown };
  const comment = payload.comment as CommentPayload;
  if (!issue?.pull_request || !comment) return [];
  const locator = { ...where, number: issue.number };
  if (action === "created") {
    const name = parseCommand(comment.body);
    if (!name || !comment.user?.login) return [];
    return [{ kind: "command", locator, command: { name, sender: comment.user.login } }];
  }
  // Only the gate's own sticky comment carries the checklist: the evaluation checks the id.
  if (comment.user?.type !== "Bot") return [];
  if (action === "edited") {
    const changes = payload.changes as { body?: { from?: string } } | undefined;
    const previousBody = changes?.body?.from ?? "";
    // Also an edit that took the marker out: what the comment recorded before still counts.
    if (!isStickyComment(comment.body) && !isStickyComment(previousBody)) return [];
    return [
      {
        kind: "evaluate",
        locator,
        request: {
          reason: "checklist edited",
          tickEdits: [
            {
              commentId: comment.id,
              previousBody,
              newBody: comment.body,
              sender: payload.sender?.login ?? "",
            },
          ],
          stickyBefore: [previousBody],
        },
      },
    ];
  }
  // Writers can delete any comment, the gate's too: the state it recorded is taken from the
  // deleted body (https://docs.github.com/en/webhooks/webhook-events-and-payloads#issue_comment)
  // where the gate signed it, and the comment is written again.
  if (action === "deleted" && isStickyComment(comment.body))
    return [
      {
        kind: "evaluate",
        locator,
        request: { reason: "sticky comment deleted", stickyBefore: [comment.body] },
      },
    ];
  return [];
}

/**
 * "Re-run" on the check. A fork PR's run lists no `pull_requests` ("When the check suite's
 * head_branch is in a forked repository ... the pull_requests array will be empty",
 * https://docs.github.com/en/webhooks/webhook-events-and-payloads#check_run), so the PR number
 * comes from the run's `external_id` (check-run.ts).
 */
function checkRunWork(where: Repository, payload: Payload): Work[] {
  const run = payload.check_run as {
    name: string;
    head_sha: string;
    external_id?: string | null;
    pull_requests: { number: number }[];
  };
  if (run.name !== CHECK_NAME) return [];
  const numbers = new Set(run.pull_requests.map((pull) => pull.number));
  const fromExternalId = pullOfExternalId(run.external_id);
  if (fromExternalId !== undefined) numbers.add(fromExternalId);
  return [...numbers].map((number) =>
    evaluate(where, number, { reason: "check_run.rerequested", headSha: run.head_sha }),
  );
}

/**
 * "Re-run all checks" re-requests the whole suite
 * (https://docs.github.com/en/webhooks/webhook-events-and-payloads#check_suite); a fork PR's
 * suite lists no pull requests, so the head's open pull requests are looked up.
 */
function checkSuiteWork(where: Repository, payload: Payload): Work[] {
  const suite = payload.check_suite as {
    head_sha: string;
    pull_requests?: { number: number }[] | null;
  };
  return byHead(where, suite.head_sha, suite.pull_requests, {
    reason: "check_suite.rerequested",
    headSha: suite.head_sha,
  });
}

/**
 * A workflow finished (the Action's review relay, docs/action.md): its pull requests are
 * evaluated by the workflow this event runs, which is the default branch's. A fork's run lists
 * no pull requests (https://docs.github.com/en/webhooks/webhook-events-and-payloads#workflow_run),
 * so the open pull requests at its head are.
 */
function workflowRunWork(where: Repository, payload: Payload): Work[] {
  const run = payload.workflow_run as {
    head_sha: string;
    name?: string | null;
    event?: string;
    pull_requests?: { number: number }[] | null;
  };
  return byHead(where, run.head_sha, run.pull_requests, {
    reason: `workflow_run (${run.name ?? "a workflow"} on ${run.event ?? "an event"})`,
    headSha: run.head_sha,
  });
}

/** `repository_dispatch` of type `changegate`: `client_payload.pull_number(s)`. */
function dispatchWork(where: Repository, payload: Payload): Work[] {
  const client = (payload.client_payload ?? {}) as {
    pull_number?: unknown;
    pull_numbers?: unknown;
  };
  const numbers = [
    client.pull_number,
    ...(Array.isArray(client.pull_numbers) ? client.pull_numbers : []),
  ].filter((value): value is number => Number.isSafeInteger(value) && (value as number) > 0);
  return [...new Set(numbers)].map((number) =>
    evaluate(where, number, { reason: "repository_dispatch" }),
  );
}

function byHead(
  where: Repository,
  headSha: string,
  pulls: readonly { number: number }[] | null | undefined,
  request: GateRequest,
): Work[] {
  const listed = (pulls ?? []).map((pull) => pull.number);
  if (listed.length > 0) return listed.map((number) => evaluate(where, number, request));
  return [{ kind: "evaluate-head", repository: where, headSha, request }];
}
