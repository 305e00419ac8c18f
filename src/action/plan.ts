/**
 * Which events the Action may gate on. Only a workflow the pull request cannot edit may produce
 * the gating result: `pull_request_target`, `issue_comment`, `workflow_run` and
 * `repository_dispatch` run the default branch's workflow; `pull_request` and
 * `pull_request_review` run the pull request's own copy, which a writer can edit
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/events-that-trigger-workflows).
 * docs/action.md explains the workflows; docs/security.md the threat.
 */
import { workOf, type Work } from "../github/events.js";

export type Plan =
  | { readonly kind: "work"; readonly work: readonly Work[] }
  /** A review: this run only asks for a re-evaluation, which the default branch's workflow_run performs. */
  | { readonly kind: "relay"; readonly message: string }
  /** An event that cannot gate: the job fails with this message. */
  | { readonly kind: "refuse"; readonly message: string };

const GATING_EVENTS = ["pull_request_target", "issue_comment", "workflow_run", "repository_dispatch"];

export function planFor(
  eventName: string,
  payload: Parameters<typeof workOf>[1],
  isOwn: Parameters<typeof workOf>[2],
): Plan {
  if (eventName === "pull_request_review")
    return {
      kind: "relay",
      message:
        "a review changed: this run only asks for a re-evaluation, which the default branch's workflow (workflow_run) performs (docs/action.md)",
    };
  if (!GATING_EVENTS.includes(eventName))
    return {
      kind: "refuse",
      message:
        eventName === "pull_request"
          ? "Changegate does not gate on pull_request: that event runs the pull request's own copy of the workflow, which the change can edit; trigger it with pull_request_target (docs/action.md)"
          : `Changegate does not gate on ${eventName || "an unnamed event"}: it runs on pull_request_target, issue_comment, workflow_run and repository_dispatch, whose workflow the pull request cannot edit (docs/action.md)`,
    };
  // A pull_request_target event carries the pull_request webhook's payload.
  const name = eventName === "pull_request_target" ? "pull_request" : eventName;
  return { kind: "work", work: workOf(name, payload, isOwn) };
}
