/**
 * Scenario activity: what people do on GitHub (push, open a pull request,
 * review, comment, label, merge ...). Each call changes the state and
 * delivers the webhook GitHub would send, waiting for the App's answer.
 */
import { mergeBase, mergeTrees, writeCommit, type FileChanges } from "../state/git.js";
import { missingChecks } from "../state/queries.js";
import { ensureUser, nextId, now, pullByNumber, repoByName, WEB_FLOW } from "../state/store.js";
import type {
  EmulatorState,
  Issue,
  IssueComment,
  IssueEvent,
  PullRequest,
  Repository,
  Review,
} from "../state/types.js";
import { applyLabel, dropLabel, recordEdit } from "../rest/issues.js";
import type { Shapes } from "../rest/shapes/index.js";
import type { DeliveryResult, WebhookSender } from "../webhooks/deliver.js";
import { EventDelivery } from "../webhooks/events.js";
import { ScenarioSetup } from "./setup.js";
import type {
  CommitAuthor,
  Identity,
  OpenPullRequestOptions,
  RepoRef,
  ReviewOptions,
} from "./types.js";

type Json = Record<string, unknown>;

export class Scenario extends ScenarioSetup {
  protected readonly events: EventDelivery;

  constructor(state: EmulatorState, shapes: Shapes, sender: WebhookSender) {
    super(state, shapes, sender);
    this.events = new EventDelivery(state, shapes, sender);
  }

  /** Commits and delivers `pull_request.synchronize` to every open pull request whose head is the branch. */
  async push(
    repo: RepoRef,
    branch: string,
    changes: FileChanges,
    who: CommitAuthor,
    /** Who pushes (the deliveries' sender) when the commit's people are not an account. */
    options: { pusher?: string } = {},
  ): Promise<{ sha: string; deliveries: DeliveryResult[] }> {
    const r = repoByName(this.state, repo);
    const before = r.branches.get(branch) ?? (r.branches.get(r.defaultBranch) as string);
    const sha = this.commit(r, branch, changes, who);
    const pushed = r.activities?.at(-1);
    if (options.pusher && pushed) pushed.actor = options.pusher;
    const pusher =
      options.pusher ?? this.loginOf(typeof who === "string" ? who : (who.committer ?? who.author));
    return { sha, deliveries: await this.synchronize(r, branch, before, sha, pusher) };
  }

  async openPullRequest(
    repo: RepoRef,
    options: OpenPullRequestOptions,
  ): Promise<{ number: number; delivery: DeliveryResult }> {
    const r = repoByName(this.state, repo);
    const base = options.base ?? r.defaultBranch;
    const headSha = r.branches.get(options.head);
    const baseSha = r.branches.get(base);
    if (!headSha) throw new Error(`emulator: no branch ${options.head} in ${r.fullName}`);
    if (!baseSha) throw new Error(`emulator: no branch ${base} in ${r.fullName}`);
    ensureUser(this.state, options.author);
    const at = now(this.state);
    const pr: PullRequest = {
      kind: "pull",
      id: nextId(this.state, "issue"),
      number: r.nextNumber++,
      title: options.title ?? `Update ${options.head}`,
      body: options.body ?? null,
      state: "open",
      user: options.author,
      labels: [],
      assignees: [],
      createdAt: at,
      updatedAt: at,
      closedAt: null,
      draft: options.draft ?? false,
      merged: false,
      mergedAt: null,
      mergedBy: null,
      mergeCommitSha: null,
      head: { ref: options.head, sha: headSha },
      base: { ref: base, sha: baseSha },
    };
    r.issues.set(pr.number, pr);
    for (const label of options.labels ?? []) applyLabel(this.state, r, pr, label, options.author);
    const delivery = await this.events.pullEvent(r, pr, "opened", options.author);
    return { number: pr.number, delivery };
  }

  /** Merges the base branch into the head branch ("Update branch"); delivers `synchronize`. */
  async mergeBaseIntoHead(
    repo: RepoRef,
    number: number,
    who: string,
  ): Promise<{ sha: string; delivery: DeliveryResult | undefined }> {
    const r = repoByName(this.state, repo);
    const pr = this.openPull(r, number);
    const baseTip = r.branches.get(pr.base.ref) as string;
    const headTip = r.branches.get(pr.head.ref) as string;
    const sha = this.mergeCommit(
      r,
      headTip,
      baseTip,
      who,
      `Merge branch '${pr.base.ref}' into ${pr.head.ref}`,
    );
    this.moveBranch(r, pr.head.ref, sha, who);
    const [delivery] = await this.synchronize(r, pr.head.ref, headTip, sha, who);
    return { sha, delivery };
  }

  /**
   * A push of commits made elsewhere: moves the branch to `sha`, a commit the repository already
   * has (a merge GitHub made on another branch, say), as one push by `pusher`; delivers
   * `synchronize` to the branch's open pull requests.
   */
  async pushExisting(
    repo: RepoRef,
    branch: string,
    sha: string,
    pusher: string,
  ): Promise<DeliveryResult[]> {
    const r = repoByName(this.state, repo);
    if (!r.commits.has(sha)) throw new Error(`emulator: no commit ${sha} in ${r.fullName}`);
    const before = r.branches.get(branch) ?? "0".repeat(40);
    this.moveBranch(r, branch, sha, pusher);
    return this.synchronize(r, branch, before, sha, pusher);
  }

  async submitReview(
    repo: RepoRef,
    number: number,
    options: ReviewOptions,
  ): Promise<{ id: number; delivery: DeliveryResult }> {
    const r = repoByName(this.state, repo);
    const pr = this.openPull(r, number);
    ensureUser(this.state, options.user);
    const review: Review = {
      id: nextId(this.state, "review"),
      pullNumber: pr.number,
      user: options.user,
      state: options.state,
      commitId: options.commitId ?? pr.head.sha,
      submittedAt: now(this.state),
      body: options.body ?? "",
    };
    r.reviews.set(review.id, review);
    const delivery = await this.events.reviewEvent(r, pr, review, "submitted", options.user);
    return { id: review.id, delivery };
  }

  /**
   * "Commit suggestions" on a batch of review comments (GitHub's "Add suggestion to batch"): each
   * comment's ```suggestion block replaces the lines it is on, all in one commit on the head branch
   * authored by `who` and committed via the web; then `synchronize`. An outdated comment (its file
   * changed since) or one without a suggestion is refused, as GitHub does.
   */
  async applySuggestions(
    repo: RepoRef,
    number: number,
    commentIds: number[],
    who: string,
  ): Promise<{ sha: string; deliveries: DeliveryResult[] }> {
    const r = repoByName(this.state, repo);
    const pr = this.openPull(r, number);
    const tree = r.commits.get(pr.head.sha)!.tree;
    // GitHub's "Commit suggestions" commits a batch of one or more; an empty one would be a no-op commit.
    if (commentIds.length === 0)
      throw new Error(
        `emulator: applySuggestions on ${r.fullName}#${number} needs a review comment`,
      );
    const edits = commentIds.map((id) => {
      const comment = r.reviewComments?.get(id);
      if (!comment || comment.pullNumber !== number)
        throw new Error(`emulator: no review comment ${id} on ${r.fullName}#${number}`);
      const lines = suggestedLines(comment.body);
      if (!lines) throw new Error(`emulator: review comment ${id} holds no suggestion`);
      const then = r.commits.get(comment.commitId)?.tree.get(comment.path);
      if (comment.side !== "RIGHT" || then === undefined || then !== tree.get(comment.path))
        throw new Error(
          `emulator: review comment ${id} is outdated: its suggestion cannot be applied`,
        );
      return { comment, lines, start: comment.startLine ?? comment.line };
    });
    const files = new Map<string, string[]>();
    // Bottom-up within a file, so that each edit's line numbers still hold.
    for (const { comment, lines, start } of edits.sort((a, b) => b.start - a.start)) {
      const text = files.get(comment.path) ?? tree.get(comment.path)!.split("\n");
      text.splice(start - 1, comment.line - start + 1, ...lines);
      files.set(comment.path, text);
    }
    const before = pr.head.sha;
    const sha = this.commit(
      r,
      pr.head.ref,
      Object.fromEntries([...files].map(([path, text]) => [path, text.join("\n")])),
      {
        author: who,
        committer: { login: WEB_FLOW, name: "GitHub", email: "noreply@github.com" },
        message: "Apply suggestions from code review",
      },
    );
    const pushed = r.activities?.at(-1);
    if (pushed) pushed.actor = who;
    return { sha, deliveries: await this.synchronize(r, pr.head.ref, before, sha, who) };
  }

  async dismissReview(
    repo: RepoRef,
    number: number,
    reviewId: number,
    who: string,
    message = "Dismissed",
  ): Promise<DeliveryResult> {
    const r = repoByName(this.state, repo);
    const pr = pullByNumber(r, number);
    const review = r.reviews.get(reviewId);
    if (!review || review.pullNumber !== number)
      throw new Error(`emulator: no review ${reviewId} on #${number}`);
    review.state = "DISMISSED";
    this.recordIssueEvent(r, number, "review_dismissed", who, now(this.state));
    return this.events.reviewEvent(r, pr, review, "dismissed", who, { dismissal_message: message });
  }

  async editPullRequest(
    repo: RepoRef,
    number: number,
    edit: { title?: string; body?: string; base?: string },
    who: string,
  ): Promise<DeliveryResult> {
    const r = repoByName(this.state, repo);
    const pr = pullByNumber(r, number);
    const changes: Json = {};
    if (edit.title !== undefined && edit.title !== pr.title) {
      changes.title = { from: pr.title };
      pr.title = edit.title;
    }
    if (edit.body !== undefined && edit.body !== pr.body) {
      changes.body = { from: pr.body ?? "" };
      pr.body = edit.body;
    }
    if (edit.base !== undefined && edit.base !== pr.base.ref) {
      const sha = r.branches.get(edit.base);
      if (!sha) throw new Error(`emulator: no branch ${edit.base}`);
      changes.base = { ref: { from: pr.base.ref }, sha: { from: pr.base.sha } };
      pr.base = { ref: edit.base, sha };
    }
    pr.updatedAt = now(this.state);
    return this.events.pullEvent(r, pr, "edited", who, { changes });
  }

  async addLabel(
    repo: RepoRef,
    number: number,
    label: string,
    who: string,
  ): Promise<DeliveryResult> {
    const r = repoByName(this.state, repo);
    const issue = this.issueOf(r, number);
    applyLabel(this.state, r, issue, label, who);
    return this.events.labelEvent(r, issue, "labeled", label, who);
  }

  async removeLabel(
    repo: RepoRef,
    number: number,
    label: string,
    who: string,
  ): Promise<DeliveryResult> {
    const r = repoByName(this.state, repo);
    const issue = this.issueOf(r, number);
    if (!dropLabel(this.state, r, issue, label, who))
      throw new Error(`emulator: #${number} has no label ${label}`);
    return this.events.labelEvent(r, issue, "unlabeled", label, who);
  }

  async comment(
    repo: RepoRef,
    number: number,
    body: string,
    who: string,
  ): Promise<{ id: number; delivery: DeliveryResult }> {
    const r = repoByName(this.state, repo);
    const issue = this.issueOf(r, number);
    ensureUser(this.state, who);
    const at = now(this.state);
    const comment: IssueComment = {
      id: nextId(this.state, "comment"),
      issueNumber: issue.number,
      user: who,
      body,
      createdAt: at,
      updatedAt: at,
      reactions: [],
    };
    r.comments.set(comment.id, comment);
    const delivery = await this.events.commentEvent(r, issue, comment, "created", who);
    return { id: comment.id, delivery };
  }

  /** Edits any comment (e.g. ticks a checkbox in the App's sticky comment); the sender is `who`. */
  async editComment(
    repo: RepoRef,
    commentId: number,
    body: string,
    who: string,
  ): Promise<DeliveryResult> {
    const r = repoByName(this.state, repo);
    const comment = r.comments.get(commentId);
    if (!comment) throw new Error(`emulator: no comment ${commentId} in ${r.fullName}`);
    const from = comment.body;
    comment.body = body;
    comment.updatedAt = now(this.state);
    if (body !== from) recordEdit(comment, who);
    return this.events.commentEvent(
      r,
      this.issueOf(r, comment.issueNumber),
      comment,
      "edited",
      who,
      {
        changes: { body: { from } },
      },
    );
  }

  /** Deletes a comment as `who` (writers can delete anyone's) and delivers `issue_comment.deleted`. */
  async deleteComment(repo: RepoRef, commentId: number, who: string): Promise<DeliveryResult> {
    const r = repoByName(this.state, repo);
    const comment = r.comments.get(commentId);
    if (!comment) throw new Error(`emulator: no comment ${commentId} in ${r.fullName}`);
    r.comments.delete(commentId);
    return this.events.commentEvent(
      r,
      this.issueOf(r, comment.issueNumber),
      comment,
      "deleted",
      who,
    );
  }

  /**
   * Merges the pull request with a merge commit and delivers `pull_request.closed`
   * (merged). Like GitHub, refuses while required checks are not passing or the
   * pull request is a draft, unless `force`.
   */
  async mergePullRequest(
    repo: RepoRef,
    number: number,
    who: string,
    options: { force?: boolean; message?: string } = {},
  ): Promise<{ sha: string; delivery: DeliveryResult }> {
    const r = repoByName(this.state, repo);
    const pr = this.openPull(r, number);
    if (!options.force) {
      if (pr.draft)
        throw new Error(`emulator: cannot merge ${r.fullName}#${number}: it is a draft`);
      const missing = missingChecks(r, pr);
      if (missing.length)
        throw new Error(
          `emulator: cannot merge ${r.fullName}#${number}: required checks not passing: ${missing.join(", ")}`,
        );
    }
    const baseTip = r.branches.get(pr.base.ref) as string;
    const sha = this.mergeCommit(
      r,
      pr.head.sha,
      baseTip,
      who,
      options.message ?? `Merge pull request #${number} from ${r.owner}/${pr.head.ref}`,
      true,
    );
    const at = now(this.state);
    Object.assign(pr, {
      state: "closed",
      merged: true,
      mergedAt: at,
      mergedBy: who,
      mergeCommitSha: sha,
      closedAt: at,
      updatedAt: at,
    });
    this.moveBranch(r, pr.base.ref, sha, who, "pr_merge");
    this.recordIssueEvent(r, number, "merged", who, at, sha);
    const delivery = await this.events.pullEvent(r, pr, "closed", who);
    return { sha, delivery };
  }

  async closePullRequest(repo: RepoRef, number: number, who: string): Promise<DeliveryResult> {
    const r = repoByName(this.state, repo);
    const pr = this.openPull(r, number);
    const at = now(this.state);
    Object.assign(pr, { state: "closed", closedAt: at, updatedAt: at });
    this.recordIssueEvent(r, number, "closed", who, at);
    return this.events.pullEvent(r, pr, "closed", who);
  }

  async reopenPullRequest(repo: RepoRef, number: number, who: string): Promise<DeliveryResult> {
    const r = repoByName(this.state, repo);
    const pr = pullByNumber(r, number);
    if (pr.merged || pr.state === "open")
      throw new Error(`emulator: cannot reopen ${r.fullName}#${number}`);
    Object.assign(pr, { state: "open", closedAt: null, updatedAt: now(this.state) });
    this.recordIssueEvent(r, number, "reopened", who, pr.updatedAt);
    return this.events.pullEvent(r, pr, "reopened", who);
  }

  async readyForReview(repo: RepoRef, number: number, who: string): Promise<DeliveryResult> {
    const r = repoByName(this.state, repo);
    const pr = this.openPull(r, number);
    pr.draft = false;
    pr.updatedAt = now(this.state);
    this.recordIssueEvent(r, number, "ready_for_review", who, pr.updatedAt);
    return this.events.pullEvent(r, pr, "ready_for_review", who);
  }

  async convertToDraft(repo: RepoRef, number: number, who: string): Promise<DeliveryResult> {
    const r = repoByName(this.state, repo);
    const pr = this.openPull(r, number);
    pr.draft = true;
    pr.updatedAt = now(this.state);
    return this.events.pullEvent(r, pr, "converted_to_draft", who);
  }

  /** "Re-run" on a check run: delivers `check_run.rerequested`. */
  async rerequestCheckRun(repo: RepoRef, checkRunId: number, who: string): Promise<DeliveryResult> {
    const r = repoByName(this.state, repo);
    const run = r.checkRuns.get(checkRunId);
    if (!run) throw new Error(`emulator: no check run ${checkRunId} in ${r.fullName}`);
    return this.events.send("check_run", "rerequested", r, who, {
      check_run: this.events.checkRunPayload(r, run),
    });
  }

  // ---- raw deliveries ----

  /** Delivers any payload, signed. `installation` is added when the payload names a known repository. */
  async deliver(event: string, payload: Json): Promise<DeliveryResult> {
    return this.sender.send({ event, body: JSON.stringify(payload) });
  }

  /** Delivers a body as is; `headers` override the defaults (`null` removes one), e.g. a bad signature. */
  async deliverRaw(
    body: string,
    headers: Record<string, string | null> = {},
    event = "ping",
  ): Promise<DeliveryResult> {
    return this.sender.send({ event, body, headers });
  }

  async redeliver(deliveryId: number): Promise<DeliveryResult> {
    return this.sender.redeliver(deliveryId);
  }

  /** Adds an event to the issue's timeline (GET /repos/{owner}/{repo}/issues/{number}/events). */
  private recordIssueEvent(
    repo: Repository,
    issueNumber: number,
    event: IssueEvent["event"],
    actor: string,
    createdAt: string,
    commitId: string | null = null,
  ): void {
    repo.issueEvents.push({
      id: nextId(this.state, "event"),
      issueNumber,
      event,
      actor,
      commitId,
      createdAt,
    });
  }

  private loginOf(who: string | Identity): string | undefined {
    return typeof who === "string" ? who : who.login;
  }

  private mergeCommit(
    repo: Repository,
    headSha: string,
    otherSha: string,
    who: string,
    message: string,
    intoOther = false,
  ): string {
    const head = repo.commits.get(headSha);
    const other = repo.commits.get(otherSha);
    if (!head || !other) throw new Error("emulator: unknown commit to merge");
    const baseSha = mergeBase(repo, headSha, otherSha);
    const base = baseSha
      ? (repo.commits.get(baseSha)?.tree ?? new Map<string, string>())
      : new Map<string, string>();
    const at = now(this.state);
    const commit = writeCommit(repo, {
      parents: intoOther ? [otherSha, headSha] : [headSha, otherSha],
      tree: mergeTrees(base, head.tree, other.tree),
      author: this.person(who, at),
      // "Update branch" is committed by GitHub (web-flow) on the clicker's behalf; a merge is by its author.
      committer: intoOther
        ? this.person(who, at)
        : this.person({ login: WEB_FLOW, name: "GitHub", email: "noreply@github.com" }, at),
      message,
    });
    return commit.sha;
  }

  private openPull(repo: Repository, number: number): PullRequest {
    const pr = pullByNumber(repo, number);
    if (pr.state !== "open") throw new Error(`emulator: ${repo.fullName}#${number} is not open`);
    return pr;
  }

  private issueOf(repo: Repository, number: number): Issue | PullRequest {
    const issue = repo.issues.get(number);
    if (!issue)
      throw new Error(`emulator: no issue or pull request #${number} in ${repo.fullName}`);
    return issue;
  }

  private async synchronize(
    repo: Repository,
    branch: string,
    before: string,
    after: string,
    pusher: string | undefined,
  ): Promise<DeliveryResult[]> {
    const results: DeliveryResult[] = [];
    for (const issue of [...repo.issues.values()]) {
      if (issue.kind !== "pull" || issue.state !== "open" || issue.head.ref !== branch) continue;
      issue.updatedAt = now(this.state);
      results.push(
        await this.events.pullEvent(repo, issue, "synchronize", pusher ?? issue.user, {
          before,
          after,
        }),
      );
    }
    return results;
  }
}

/** The lines of a comment's first ```suggestion block (none: it deletes the lines), or undefined. */
function suggestedLines(body: string): string[] | undefined {
  const match = /^(`{3,})suggestion[^\n]*\n([\s\S]*?)^\1[ \t]*$/m.exec(body);
  if (!match) return undefined;
  const block = match[2]!.replace(/\n$/, "");
  return match[2] === "" ? [] : block.split("\n");
}
