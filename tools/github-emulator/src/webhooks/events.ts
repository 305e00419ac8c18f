/**
 * Builds the webhook payload for each kind of activity from the state and
 * delivers it: pull requests, reviews, labels, comments, check runs.
 */
import { pullShape } from "../rest/pulls.js";
import type { Shapes } from "../rest/shapes/index.js";
import { ensureUser, findUser, installationFor } from "../state/store.js";
import type {
  CheckRun,
  EmulatorState,
  Issue,
  IssueComment,
  PullRequest,
  Repository,
  Review,
} from "../state/types.js";
import type { DeliveryResult, WebhookSender } from "./deliver.js";
import { buildPayload } from "./payloads.js";

type Json = Record<string, unknown>;

export class EventDelivery {
  constructor(
    private readonly state: EmulatorState,
    private readonly shapes: Shapes,
    private readonly sender: WebhookSender,
  ) {}

  pullEvent(
    repo: Repository,
    pr: PullRequest,
    action: string,
    who: string,
    extra: Json = {},
  ): Promise<DeliveryResult> {
    return this.send("pull_request", action, repo, who, {
      number: pr.number,
      pull_request: pullShape(this.shapes, repo, pr),
      ...extra,
    });
  }

  reviewEvent(
    repo: Repository,
    pr: PullRequest,
    review: Review,
    action: string,
    who: string,
    reviewExtra: Json = {},
  ): Promise<DeliveryResult> {
    const shape = this.shapes.review(repo, review);
    return this.send("pull_request_review", action, repo, who, {
      review: { ...shape, state: review.state.toLowerCase(), ...reviewExtra },
      pull_request: pullShape(this.shapes, repo, pr),
    });
  }

  labelEvent(
    repo: Repository,
    issue: Issue | PullRequest,
    action: string,
    label: string,
    who: string,
  ): Promise<DeliveryResult> {
    const labelShape = this.shapes.label(repo, label);
    if (issue.kind === "pull")
      return this.send("pull_request", action, repo, who, {
        number: issue.number,
        pull_request: pullShape(this.shapes, repo, issue),
        label: labelShape,
      });
    return this.send("issues", action, repo, who, {
      issue: this.shapes.issue(repo, issue),
      label: labelShape,
    });
  }

  commentEvent(
    repo: Repository,
    issue: Issue | PullRequest,
    comment: IssueComment,
    action: string,
    who: string,
    extra: Json = {},
  ): Promise<DeliveryResult> {
    return this.send("issue_comment", action, repo, who, {
      issue: this.shapes.issue(repo, issue),
      comment: this.shapes.issueComment(repo, comment),
      ...extra,
    });
  }

  checkRunPayload(repo: Repository, run: CheckRun): Json {
    const shape = this.shapes.checkRun(repo, run);
    const branch = [...repo.branches].find(([, sha]) => sha === run.headSha)?.[0] ?? null;
    return {
      ...shape,
      check_suite: {
        id: (shape.check_suite as { id: number }).id,
        node_id: Buffer.from(`CheckSuite${run.headSha}`).toString("base64"),
        head_branch: branch,
        head_sha: run.headSha,
        status: run.status,
        conclusion: run.conclusion,
        url: `${this.shapes.links.api}/repos/${repo.fullName}/check-suites/${(shape.check_suite as { id: number }).id}`,
        before: null,
        after: run.headSha,
        pull_requests: shape.pull_requests,
        app: shape.app,
        created_at: run.startedAt,
        updated_at: run.completedAt ?? run.startedAt,
      },
    };
  }

  send(
    event: string,
    action: string,
    repo: Repository,
    who: string,
    fields: Json,
  ): Promise<DeliveryResult> {
    const payload = this.payload(event, action, repo, who, fields);
    return this.sender.send({ event, body: JSON.stringify(payload) });
  }

  /** The payload `send` delivers: the example for the event and action, with the state's fields. */
  payload(event: string, action: string, repo: Repository, who: string, fields: Json): Json {
    ensureUser(this.state, who);
    const owner = findUser(this.state, repo.owner);
    return buildPayload(event, action, fields, {
      repository: this.shapes.repository(repo),
      sender: this.shapes.user(who),
      installationId: installationFor(this.state, repo.owner),
      ...(owner?.type === "Organization"
        ? { organization: this.shapes.organization(repo.owner) }
        : {}),
    });
  }
}
