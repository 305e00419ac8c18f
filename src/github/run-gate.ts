import { evaluate } from "../gates/evaluate.js";
import type { PullSnapshot } from "../gates/snapshot.js";
import type { Evaluation } from "../gates/verdict.js";
import { checkRunOutput, errorOutput } from "../render/check-run.js";
import { commentBody, followUpIssue } from "../render/comment.js";
import type { CommentState } from "../render/comment-state.js";
import { explainBody } from "../render/explain.js";
import { applyTickEdit } from "../render/ticks.js";
import type { GitHubClient, PullLocator } from "./client.js";
import {
  completeCheck,
  currentHead,
  openIssue,
  reply,
  startCheck,
  upsertComment,
} from "./publish.js";
import { loadSnapshot, PermissionCache, type LoadedPull } from "./snapshot-loader.js";

/** Why an evaluation runs, and what the event adds to it. */
export interface GateRequest {
  readonly reason: string;
  /** Known from the payload for pull_request events: lets the check go in_progress at once. */
  readonly headSha?: string;
  /** A person edited the sticky comment's checklist. */
  readonly tickEdit?: {
    readonly previousBody: string;
    readonly newBody: string;
    readonly sender: string;
  };
  /** `/changegate explain`: also post the detailed breakdown and the snapshot. */
  readonly explain?: boolean;
}

export interface GateDeps {
  readonly botLogin?: string;
  readonly log: {
    info: (obj: object, msg?: string) => void;
    error: (obj: object, msg?: string) => void;
  };
}

export interface GateOutcome {
  readonly evaluation?: Evaluation;
  readonly dropped?: boolean;
  readonly error?: string;
}

/**
 * One evaluation: load the snapshot (I/O) → evaluate (pure) → render (pure) → publish (I/O).
 * Any failure completes the check as a failure that says what went wrong: never green.
 */
export async function runGate(
  client: GitHubClient,
  locator: PullLocator,
  request: GateRequest,
  deps: GateDeps,
): Promise<GateOutcome> {
  let checkRunId: number | undefined;
  let headSha = request.headSha;
  try {
    // 1. In progress as soon as the head is known.
    if (headSha) checkRunId = await startCheck(client, locator, headSha);

    // 2. Load everything, once.
    const loaded = await loadSnapshot(client, locator, deps.botLogin);
    const { snapshot } = loaded;
    if (snapshot.pull.state === "closed" && !snapshot.pull.merged) return {};
    if (headSha !== snapshot.pull.headSha) {
      headSha = snapshot.pull.headSha;
      checkRunId = await startCheck(client, locator, headSha);
    }

    // 3. Evaluate (pure), recording checklist ticks from a comment edit first.
    const { evaluation, state } = await evaluateWithTicks(client, locator, loaded, request);

    // 4. Drop a result computed for a head that is no longer the PR's head.
    if (
      snapshot.pull.state === "open" &&
      (await currentHead(client, locator)) !== snapshot.pull.headSha
    ) {
      deps.log.info({ pull: locator, headSha }, "head moved during evaluation: result dropped");
      return { evaluation, dropped: true };
    }

    // 5. Publish: check run, sticky comment, follow-up issue on an overridden merge.
    await completeCheck(client, locator, checkRunId!, checkRunOutput(evaluation));
    await publishComment(client, locator, loaded, evaluation, state);
    if (request.explain) await reply(client, locator, explainBody(evaluation, snapshot));
    return { evaluation };
  } catch (error) {
    const reason = describe(error);
    deps.log.error({ pull: locator, reason }, "evaluation failed; check fails closed");
    try {
      headSha ??= await currentHead(client, locator);
      checkRunId ??= await startCheck(client, locator, headSha);
      await completeCheck(client, locator, checkRunId, errorOutput(reason));
    } catch (publishError) {
      deps.log.error(
        { pull: locator, reason: describe(publishError) },
        "could not report the failure on the check run",
      );
    }
    return { error: reason };
  }
}

async function evaluateWithTicks(
  client: GitHubClient,
  locator: PullLocator,
  loaded: LoadedPull,
  request: GateRequest,
): Promise<{ evaluation: Evaluation; state: CommentState }> {
  let state: CommentState = { ...loaded.state, rejectedTicks: [] };
  let evaluation = evaluate(loaded.snapshot);
  if (request.tickEdit) {
    const permission = await new PermissionCache(client, locator.owner, locator.repo).of(
      request.tickEdit.sender,
    );
    state = applyTickEdit(state, evaluation.verdict.checklist, {
      ...request.tickEdit,
      permission,
      headSha: loaded.snapshot.pull.headSha,
    });
    const snapshot: PullSnapshot = { ...loaded.snapshot, checklist: state.ticks };
    evaluation = evaluate(snapshot);
  }
  return { evaluation, state };
}

async function publishComment(
  client: GitHubClient,
  locator: PullLocator,
  loaded: LoadedPull,
  evaluation: Evaluation,
  state: CommentState,
): Promise<void> {
  const { snapshot, sticky } = loaded;
  const hasInfra = evaluation.analysis.files.some(
    (file) => file.changes.length > 0 || file.findings.length > 0,
  );
  // No infrastructure change and no comment yet: stay silent (the check is green).
  if (!hasInfra && !sticky && !evaluation.verdict.error) return;
  const merged =
    snapshot.pull.merged && snapshot.pull.mergeCommitSha
      ? { mergeCommitSha: snapshot.pull.mergeCommitSha, mergedBy: snapshot.pull.mergedBy ?? null }
      : null;
  let finalState = state;
  if (merged && evaluation.verdict.emergency?.accepted && !state.followUpIssue) {
    const issue = followUpIssue(locator.number, evaluation, merged);
    const number = await openIssue(client, locator, {
      ...issue,
      assignee: evaluation.verdict.emergency.by,
    });
    finalState = { ...state, followUpIssue: number };
  }
  await upsertComment(
    client,
    locator,
    sticky,
    commentBody({ evaluation, state: finalState, merge: merged }),
  );
}

/** A one-line reason without secrets: HTTP status and message, never headers or tokens. */
function describe(error: unknown): string {
  const status = (error as { status?: unknown })?.status;
  const message = error instanceof Error ? error.message : String(error);
  const clean = message.replace(
    /(gh[pousr]_[A-Za-z0-9]{20,}|v1\.[0-9a-f]{40}|-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----)/g,
    "[redacted]",
  );
  return `${typeof status === "number" ? `GitHub API answered ${status}: ` : ""}${clean.split("\n")[0]!.slice(0, 300)}`;
}
