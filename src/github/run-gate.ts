import { bindingToRecord } from "../gates/emergency.js";
import { evaluate, withRecorded } from "../gates/evaluate.js";
import type { Pusher } from "../gates/snapshot.js";
import type { Evaluation } from "../gates/verdict.js";
import {
  checkRunOutput,
  errorOutput,
  sharedHeadOutput,
  type CheckRunOutput,
} from "../render/check-run.js";
import { bypassIssue, commentBody, followUpIssue, followUpMarker } from "../render/comment.js";
import {
  decodeState,
  stateBlock,
  withPushers,
  type CommentState,
  type StateSeal,
} from "../render/comment-state.js";
import { explainBody } from "../render/explain.js";
import {
  checkAtMergeNote,
  isBypass,
  mergeRecordOf,
  readCheckAtMergeNote,
  readMergeRecord,
  type CheckAtMerge,
  type MergeRecord,
} from "../render/merge-record.js";
import { applyTickEdit } from "../render/ticks.js";
import { describeError, type GitHubClient, type PullLocator } from "./client.js";
import {
  CheckRunWriter,
  DEFAULT_IN_PROGRESS_AFTER_MS,
  failCheck,
  findCheck,
  type ExistingRun,
} from "./check-run.js";
import { PermissionCache } from "./permissions.js";
import { openIssueOnce, reply, upsertComment } from "./publish.js";
import { currentPull, openPulls, type PullState } from "./pull-state.js";
import { publishSuggestions } from "./suggestions.js";
import { IncompleteSnapshot, loadSnapshot, stateSeal, type LoadedPull } from "./snapshot/index.js";
import { COMMANDS, isWriter, type CommandRequest, type GateRequest } from "./triggers.js";

export interface GateDeps {
  /** The App's bot (`<slug>[bot]`, from GET /app): without it the evaluation fails closed. */
  readonly botLogin?: string | undefined;
  /** The App's id: the head's check run is only ever this App's. */
  readonly appId?: number | undefined;
  /** Why the App's identity is unknown (GET /app failed). */
  readonly identityError?: unknown;
  /** The request that tells the identity, for the message (default `GET /app`). */
  readonly identitySource?: string;
  /** Signs and verifies the sticky comment's state block (app.ts derives it from the webhook secret). */
  readonly stateKey: string;
  /** An evaluation still running after this long shows `in_progress` (default 1 s; 0: at once). */
  readonly inProgressAfterMs?: number;
  /** `false`: no sticky comment (the Action's `comment: off`); the check run is written alone. */
  readonly comment?: boolean;
  /** The policy file at the base commit (the Action's `config`); default `.github/changegate.yml`. */
  readonly policyPath?: string | undefined;
  /** The clock change windows and freezes are judged by (default `Date.now`; tests inject one). */
  readonly now?: () => number;
  readonly log: {
    info: (obj: object, msg?: string) => void;
    error: (obj: object, msg?: string) => void;
  };
}

/** What one evaluation wrote, for an edge that reports it (the Action's outputs and exit code). */
export type RunOutcome =
  /** The check run was completed with `output` (a failure that says why when evaluation failed). */
  | {
      readonly kind: "published";
      readonly output: CheckRunOutput;
      /** Absent when the evaluation failed closed. */
      readonly evaluation?: Evaluation;
    }
  /** Nothing was written: the pull request was closed unmerged, or its head moved meanwhile. */
  | {
      readonly kind: "skipped";
      readonly reason: string;
      /** Closed without merging (not a head that moved): nothing about it is pending any more. */
      readonly closed?: true;
    };

/**
 * One evaluation: load the snapshot (I/O) → evaluate (pure) → render (pure) → publish (I/O).
 * Any failure completes the check as a failure that says what went wrong: never green.
 */
export async function runGate(
  client: GitHubClient,
  locator: PullLocator,
  request: GateRequest,
  deps: GateDeps,
): Promise<RunOutcome> {
  let writer: CheckRunWriter | undefined;
  let headSha: string | undefined;
  /** A merged pull request's check at merge, once read: a failure below keeps it in the run. */
  let atMerge: AtMerge | undefined;
  const inProgressAfterMs = deps.inProgressAfterMs ?? DEFAULT_IN_PROGRESS_AFTER_MS;
  try {
    // 0. Who we are: the sticky comment, its state and the check run are trusted only as ours.
    const botLogin = deps.botLogin;
    if (!botLogin) throw unknownIdentity(deps.identityError, deps.identitySource ?? "GET /app");
    // 1. Load everything, once; the event's head run is looked up meanwhile (an event may be old:
    //    a redelivery, so its head is only a guess until the snapshot says which head is current).
    //    What the evaluation reads of the head itself (its check run, the open pull requests) goes
    //    out with the snapshot's second round trip, once its first has told the head.
    const guess = request.headSha
      ? { headSha: request.headSha, run: findCheck(client, locator, request.headSha, deps.appId) }
      : undefined;
    guess?.run.catch(() => undefined);
    const early: { reads?: HeadReads | undefined } = {};
    const read = await loadSnapshot(client, locator, botLogin, {
      stateKey: deps.stateKey,
      ...(deps.policyPath !== undefined ? { policyPath: deps.policyPath } : {}),
      onPushRecordUnreadable: (reason) =>
        deps.log.error(
          { pull: locator, reason },
          "GitHub's push record of the head branch cannot be read: only pushes told by webhook count as pushers",
        ),
      onHead: (head) => (early.reads = readHead(client, locator, head, deps.appId, guess)),
      onFallback: (error) => {
        // Sent before every read of the REST loader: too early to tell the head after them.
        early.reads = undefined;
        deps.log.error(
          { pull: locator, reason: describeError(error) },
          "GraphQL snapshot failed; loaded over REST",
        );
      },
    });
    const evaluatedAt = new Date((deps.now ?? Date.now)()).toISOString();
    const loaded = { ...read, snapshot: { ...read.snapshot, evaluatedAt } };
    const { snapshot } = loaded;
    if (snapshot.pull.state === "closed" && !snapshot.pull.merged)
      return {
        kind: "skipped",
        reason: "the pull request is closed without merging",
        closed: true,
      };
    headSha = snapshot.pull.headSha;
    const reads =
      early.reads?.headSha === headSha
        ? early.reads
        : readHead(client, locator, headSha, deps.appId, guess);
    const existing = reads.run;
    // 2. The head's check: in progress if the evaluation outlasts a moment, else one write of the result.
    writer = new CheckRunWriter(client, locator, headSha, existing, inProgressAfterMs);

    // 3. Evaluate (pure), recording checklist ticks from a comment edit first.
    const seal = stateSeal(locator, deps.stateKey)!;
    const { evaluation, state, readMeanwhile } = await evaluateWithTicks(
      client,
      locator,
      loaded,
      request,
      seal,
      deps.log,
    );

    // 4. Drop a result for a head that is no longer the PR's head, or for a PR closed meanwhile:
    // the event that moved or closed it is queued behind this evaluation.
    const after = await pullAfterReads(client, locator, snapshot.pull, reads.open, readMeanwhile);
    if (after.headSha !== snapshot.pull.headSha || (!after.open && !after.merged)) {
      writer.stop();
      deps.log.info(
        { pull: locator, headSha, currentHead: after.headSha, open: after.open },
        "pull request moved or closed during evaluation: result dropped",
      );
      return {
        kind: "skipped",
        reason: `the pull request moved to ${after.headSha.slice(0, 7)} or closed during the evaluation: the result for ${headSha.slice(0, 7)} was dropped`,
      };
    }

    // 5. Every open pull request with this head shares its check: the strictest verdict.
    const others = await sharingHead(
      client,
      locator,
      headSha,
      botLogin,
      deps.stateKey,
      atHead(await reads.open, headSha),
      evaluatedAt,
    );

    // 6. A merged pull request: the follow-up issue of an override or a bypass (also without a
    // sticky comment), then its merge record, which the comment and the check run both carry.
    let record: MergeRecord | null = null;
    if (snapshot.pull.merged) {
      atMerge = await readAtMerge(existing, locator.number);
      record = await mergeEvidence(client, locator, loaded, evaluation, state, atMerge, botLogin);
    }

    // 7. Publish: sticky comment first, then the check run once, so a failed comment write
    // never turns a green check red: one final verdict per evaluation.
    if (deps.comment !== false)
      await publishComment(
        client,
        locator,
        loaded,
        evaluation,
        state,
        botLogin,
        others,
        seal,
        record,
      );
    const output =
      others.length === 0
        ? checkRunOutput(evaluation, record)
        : sharedHeadOutput(
            [{ number: locator.number, baseRef: snapshot.pull.baseRef, evaluation }, ...others],
            record,
          );
    await writer.complete(output);
    // After the verdict: suggested fixes as one review per head (docs/output.md).
    await publishSuggestions(client, locator, loaded, evaluation, { botLogin, log: deps.log });
    // After the verdict, so its failure cannot turn the verdict into another: logged, not thrown.
    if (request.explain)
      await reply(client, locator, explainBody(evaluation, snapshot)).catch((error: unknown) =>
        deps.log.error(
          { pull: locator, reason: describeError(error) },
          "could not post the explain reply",
        ),
      );
    return { kind: "published", output, evaluation };
  } catch (error) {
    writer?.stop();
    const reason = describeError(error);
    deps.log.error({ pull: locator, reason }, "evaluation failed; check fails closed");
    const output = errorOutput(
      reason,
      error instanceof IncompleteSnapshot ? error.title : undefined,
      atMerge ? checkAtMergeNote(locator.number, atMerge.checkAtMerge) : "",
    );
    await failClosed(
      client,
      locator,
      { headSha, writer, eventHeadSha: request.headSha, appId: deps.appId },
      output,
      deps.log,
    );
    return { kind: "published", output };
  }
}

/** What an evaluation reads of the head it evaluates, besides the snapshot. */
interface HeadReads {
  readonly headSha: string;
  /** The head's `Changegate` run before this evaluation wrote. */
  readonly run: Promise<ExistingRun | undefined>;
  /**
   * Every open pull request with its head: those sharing this head, and this one's head read
   * again (https://docs.github.com/en/rest/pulls/pulls#list-pull-requests, `head.sha`).
   */
  readonly open: Promise<readonly OpenPull[]>;
}

type OpenPull = Awaited<ReturnType<typeof openPulls>>[number];

/** Sends the head's reads (the event's run when the event named this head); failures wait for use. */
function readHead(
  client: GitHubClient,
  locator: PullLocator,
  headSha: string,
  appId: number | undefined,
  guess: { headSha: string; run: Promise<ExistingRun | undefined> } | undefined,
): HeadReads {
  const run = guess?.headSha === headSha ? guess.run : findCheck(client, locator, headSha, appId);
  const open = openPulls(client, locator);
  run.catch(() => undefined);
  open.catch(() => undefined);
  return { headSha, run, open };
}

/** The open pull requests at `headSha`, by number. */
function atHead(open: readonly OpenPull[], headSha: string): number[] {
  return open
    .filter((pull) => pull.head.sha === headSha)
    .map((pull) => pull.number)
    .sort((a, b) => a - b);
}

/**
 * The pull request as it stood after the last reads the verdict rests on, to drop a result for a
 * head that moved or a pull request closed meanwhile. GitHub takes no precondition on a write
 * (conditional requests are GETs only:
 * https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate),
 * so the head is read again in the last round trip of reads, never in one of its own: the open
 * pull requests, listed with the snapshot's second round trip, carry this one at its head. It is
 * read by itself only when the listing cannot tell: after the evaluation read more (a checklist
 * tick's permission), or when the listing does not show it open (closed or merged since, or a
 * listing of many pages that shifted while it was read). A push GitHub records after that read is
 * not seen here: its `synchronize` event is queued behind this evaluation and evaluates the new head.
 */
async function pullAfterReads(
  client: GitHubClient,
  locator: PullLocator,
  pull: { readonly headSha: string; readonly merged?: boolean | undefined },
  open: Promise<readonly OpenPull[]>,
  readMeanwhile: boolean,
): Promise<PullState> {
  if (!readMeanwhile) {
    const listed = (await open).find((candidate) => candidate.number === locator.number);
    if (listed) return { headSha: listed.head.sha, open: true, merged: false };
    // A merge is final: a merged pull request keeps its head.
    if (pull.merged === true) return { headSha: pull.headSha, open: false, merged: true };
  }
  return currentPull(client, locator);
}

/**
 * Leaves a failing check that says why, and survives faults itself: complete the head's run,
 * else create a failing run. If nothing can be written, the PR keeps no green check, and a
 * required check that is missing or in progress still blocks the merge.
 */
async function failClosed(
  client: GitHubClient,
  locator: PullLocator,
  known: {
    headSha?: string | undefined;
    writer?: CheckRunWriter | undefined;
    eventHeadSha?: string | undefined;
    appId?: number | undefined;
  },
  output: CheckRunOutput,
  log: GateDeps["log"],
): Promise<void> {
  let headSha = known.headSha;
  try {
    // The event's head is the fallback when the PR cannot be read (a failure on it is never green).
    headSha ??= await currentPull(client, locator).then(
      (pull) => pull.headSha,
      (error: unknown) => {
        if (known.eventHeadSha) return known.eventHeadSha;
        throw error;
      },
    );
    const writer =
      known.writer && known.writer.headSha === headSha
        ? known.writer
        : new CheckRunWriter(
            client,
            locator,
            headSha,
            findCheck(client, locator, headSha, known.appId),
            Infinity,
          );
    await writer.complete(output);
    return;
  } catch (error) {
    log.error(
      { pull: locator, reason: describeError(error) },
      "could not complete the check run as failed; creating a failing one",
    );
  }
  try {
    if (headSha) await failCheck(client, locator, headSha, output);
  } catch (error) {
    log.error(
      { pull: locator, reason: describeError(error) },
      "could not report the failure on a check run; the pull request has no green check",
    );
  }
}

/**
 * Checks the commenter's permission (queued work, not the webhook handler: GitHub records a
 * delivery as failed when the App takes longer than 10 s to answer). Returns the evaluation the
 * command asks for, or undefined after replying why it was refused. Never throws.
 */
export async function acceptCommand(
  client: GitHubClient,
  locator: PullLocator,
  command: CommandRequest,
  log: GateDeps["log"],
): Promise<GateRequest | undefined> {
  try {
    const permission = await new PermissionCache(client, locator.owner, locator.repo).of(
      command.sender,
    );
    const known = (COMMANDS as readonly string[]).includes(command.name);
    if (isWriter(permission) && known)
      return { reason: `/changegate ${command.name}`, explain: command.name === "explain" };
    const why = isWriter(permission)
      ? `unknown command \`${command.name}\` (known: ${COMMANDS.join(", ")})`
      : "commands are accepted from people with write access only";
    await reply(client, locator, `Changegate ignored this command: ${why}.`);
  } catch (error) {
    const reason = describeError(error);
    log.error({ pull: locator, command: command.name, reason }, "could not handle a command");
    await reply(
      client,
      locator,
      `Changegate could not handle this command (${reason}); please try again.`,
    ).catch(() => undefined);
  }
  return undefined;
}

async function evaluateWithTicks(
  client: GitHubClient,
  locator: PullLocator,
  loaded: LoadedPull,
  request: GateRequest,
  seal: StateSeal,
  log: GateDeps["log"],
): Promise<{ evaluation: Evaluation; state: CommentState; readMeanwhile: boolean }> {
  // Who pushed, and an emergency label tied to the change it was applied to (docs/security.md).
  const { author, headSha } = loaded.snapshot.pull;
  const pushes = [...(request.pushers ?? []), ...pushersRecordedBefore(request, seal)];
  let state = withPushers({ ...loaded.state, rejectedTicks: [] }, pushes, author);
  if (loaded.state.unverified)
    log.info(
      { pull: locator },
      "the sticky comment's state block does not verify: its ticks and override binding are not used",
    );
  for (const edit of request.tickEdits ?? [])
    if (stateBlock(edit.previousBody) !== stateBlock(edit.newBody))
      log.info(
        { pull: locator, by: edit.sender },
        "the sticky comment's state block was edited by hand; the App keeps only what it signed",
      );
  let evaluation = evaluate(withRecorded(loaded.snapshot, state));
  const binding = bindingToRecord(evaluation.verdict, headSha, request.labeled);
  if (binding) {
    state = { ...state, override: binding };
    evaluation = evaluate(withRecorded(loaded.snapshot, state));
  }
  // Only edits of the App's own sticky comment: another comment with the marker is not the checklist.
  const edits = (request.tickEdits ?? []).filter((e) => e.commentId === loaded.sticky?.id);
  if (request.tickEdits?.length) {
    const permissions = new PermissionCache(client, locator.owner, locator.repo);
    const rejected: NonNullable<CommentState["rejectedTicks"]>[number][] = [];
    for (const edit of edits) {
      state = applyTickEdit(state, evaluation.verdict.checklist, {
        ...edit,
        permission: await permissions.of(edit.sender),
        headSha: loaded.snapshot.pull.headSha,
        changeSet: evaluation.verdict.changeSet,
      });
      rejected.push(...(state.rejectedTicks ?? []));
    }
    state = { ...state, rejectedTicks: rejected };
    evaluation = evaluate(withRecorded(loaded.snapshot, state));
  }
  // Each edit's sender's permission was read after the snapshot.
  return { evaluation, state, readMeanwhile: edits.length > 0 };
}

/**
 * Pushers are only ever added, so a writer who edits or deletes the App's comment cannot drop
 * one: the pushers of the state the edit replaced (GitHub's `changes.body.from`) or the deletion
 * removed still count, when the App signed that state for this pull request.
 */
function pushersRecordedBefore(request: GateRequest, seal: StateSeal): Pusher[] {
  return (request.stickyBefore ?? []).flatMap((body) => {
    const before = decodeState(body, seal);
    return before.unverified ? [] : (before.pushers ?? []);
  });
}

async function publishComment(
  client: GitHubClient,
  locator: PullLocator,
  loaded: LoadedPull,
  evaluation: Evaluation,
  state: CommentState,
  botLogin: string,
  others: readonly { number: number; baseRef: string; evaluation: Evaluation }[],
  seal: StateSeal,
  record: MergeRecord | null,
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
  const finalState = record?.followUpIssue
    ? { ...state, followUpIssue: record.followUpIssue }
    : state;
  await upsertComment(
    client,
    locator,
    sticky,
    commentBody({
      evaluation,
      state: finalState,
      seal,
      merge: merged,
      record,
      sharedHead: others.map((other) => ({
        number: other.number,
        baseRef: other.baseRef,
        conclusion: other.evaluation.verdict.conclusion,
      })),
    }),
  );
}

/**
 * A merged pull request's merge record (render/merge-record.ts), after opening its follow-up
 * issue when it needs one (an accepted emergency override, or a bypass). How the check stood at
 * the merge is read from the head's run as it was before this evaluation wrote. A record already
 * there (a redelivery, a re-run, a later evaluation) is kept whole: it says what held at the
 * merge, and a description edited, a label added or a review given after the merge must not
 * rewrite it (docs/security.md). Null when GitHub has not told the merge commit yet.
 */
async function mergeEvidence(
  client: GitHubClient,
  locator: PullLocator,
  loaded: LoadedPull,
  evaluation: Evaluation,
  state: CommentState,
  { checkAtMerge, prior }: AtMerge,
  botLogin: string,
): Promise<MergeRecord | null> {
  const { snapshot } = loaded;
  const { mergeCommitSha, mergedBy } = snapshot.pull;
  if (!mergeCommitSha) return null;
  if (prior) return prior;
  const { verdict } = evaluation;
  let followUp = state.followUpIssue ?? null;
  const bypass = isBypass(evaluation, checkAtMerge);
  if (followUp === null && (verdict.emergency?.accepted || bypass)) {
    const merge = { mergeCommitSha, mergedBy: mergedBy ?? null };
    const issue = verdict.emergency?.accepted
      ? { ...followUpIssue(locator.number, evaluation, merge), assignee: verdict.emergency.by }
      : {
          ...bypassIssue(locator.number, evaluation, merge, checkAtMerge),
          // A bot that merged (auto-merge, a merge queue) cannot take the review: left unassigned.
          ...(mergedBy && !/\[bot\]$/i.test(mergedBy) ? { assignee: mergedBy } : {}),
        };
    // One per pull request, whichever kind: found again by its marker when an earlier
    // evaluation opened it but could not record it.
    followUp = await openIssueOnce(client, locator, issue, {
      marker: followUpMarker(locator.number),
      creator: botLogin,
    });
  }
  return mergeRecordOf(snapshot, evaluation, { checkAtMerge, followUpIssue: followUp });
}

/** How the check stood at the merge, and the record an earlier evaluation of the merge wrote. */
interface AtMerge {
  readonly checkAtMerge: CheckAtMerge;
  readonly prior: MergeRecord | undefined;
}

/**
 * Reads the head's run as it was before this evaluation wrote: its record, else the check at
 * merge a failed merge evaluation kept, else its status. Unreadable, the check at merge is
 * unknown: this throws (the evaluation fails closed) rather than guess "missing".
 */
async function readAtMerge(
  existing: Promise<ExistingRun | undefined>,
  pull: number,
): Promise<AtMerge> {
  const run = await existing;
  const prior = priorRecord(run, pull);
  const checkAtMerge =
    prior?.checkAtMerge ?? readCheckAtMergeNote(run?.text, pull) ?? checkAtMergeOf(run);
  return { checkAtMerge, prior };
}

/** The merge record the head's run already carries for this pull request, if any. */
function priorRecord(run: ExistingRun | undefined, pull: number): MergeRecord | undefined {
  const reading = readMergeRecord(run?.text);
  return reading.kind === "record" && reading.record.pull === pull ? reading.record : undefined;
}

/** The head's run before this evaluation wrote (design: docs/security.md, "Bypass follow-up"). */
function checkAtMergeOf(run: ExistingRun | undefined): CheckAtMerge {
  if (!run) return "missing";
  if (run.status !== "completed") return "pending";
  return run.conclusion === "success" ? "success" : "failure";
}

/** The App cannot tell its own comment and check run from forgeries: fail closed, say why. */
function unknownIdentity(cause: unknown, source: string): Error {
  const why = cause === undefined ? "not known yet" : describeError(cause);
  return new Error(
    `Changegate could not confirm its own identity (${source}: ${why}), so it trusts no comment or check run; it retries on the next event`,
  );
}

/**
 * The verdicts of the other open pull requests whose head is this one: GitHub shows one
 * `Changegate` check per commit, so a lax base's green must not satisfy a strict base's gate.
 * Each is evaluated from its own snapshot (its base's policy, its reviews); one that moved on
 * meanwhile no longer shares the head.
 */
async function sharingHead(
  client: GitHubClient,
  locator: PullLocator,
  headSha: string,
  botLogin: string,
  stateKey: string,
  numbers: readonly number[],
  evaluatedAt: string,
): Promise<{ number: number; baseRef: string; evaluation: Evaluation }[]> {
  const out: { number: number; baseRef: string; evaluation: Evaluation }[] = [];
  for (const number of numbers.filter((n) => n !== locator.number)) {
    const { snapshot, state } = await loadSnapshot(client, { ...locator, number }, botLogin, {
      stateKey,
    });
    if (snapshot.pull.headSha !== headSha) continue;
    // With what its own sticky comment recorded (ticks, the override's binding, pushers).
    const evaluation = evaluate(withRecorded({ ...snapshot, evaluatedAt }, state));
    out.push({ number, baseRef: snapshot.pull.baseRef, evaluation });
  }
  return out;
}
