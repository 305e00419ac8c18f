/** Every write of the `Changegate` check run (GitHub's Checks API), and the read of the head's run. */
import { createHash } from "node:crypto";
import { type Annotation, type CheckRunOutput, inProgressOutput } from "../render/check-run.js";
import { CHECK_NAME } from "../shared/names.js";
import type { GitHubClient, PullLocator } from "./client.js";

/** GitHub accepts at most 50 annotations per check-run request (Checks API, "Update a check run"). */
const ANNOTATIONS_PER_REQUEST = 50;

/** An evaluation that has not finished by then shows `in_progress` (a fast one writes only its result). */
export const DEFAULT_IN_PROGRESS_AFTER_MS = 1000;

/**
 * The longest delay a Node timer holds (a 32-bit signed integer); a longer one fires after 1 ms
 * with a TimeoutOverflowWarning (https://nodejs.org/api/timers.html#settimeoutcallback-delay-args).
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The head's latest `Changegate` run, as GitHub lists it. */
export interface ExistingRun {
  readonly id: number;
  readonly status: string;
  readonly startedAt: string | null;
  readonly conclusion: string | null;
  readonly title: string | null;
  readonly summary: string | null;
  readonly text: string | null;
  readonly annotationsCount: number;
  /** What the App wrote into `external_id` (see `externalId`). */
  readonly externalId: string | null;
}

/**
 * The run's `external_id`: the pull request it was written for (a "Re-run" on a fork PR's check
 * carries no `pull_requests`, https://docs.github.com/en/rest/checks/runs#get-a-check-run) and a
 * fingerprint of the annotations it carries (annotations accumulate across updates, so a run
 * receives each annotation once).
 */
export function externalId(pullNumber: number, annotations: readonly Annotation[]): string {
  return `pr=${pullNumber};annotations=${annotationsFingerprint(annotations)}`;
}

/** The pull request number a run's `external_id` names, if any. */
export function pullOfExternalId(value: string | null | undefined): number | undefined {
  const match = /(?:^|;)pr=(\d+)(?:;|$)/.exec(value ?? "");
  return match ? Number(match[1]) : undefined;
}

function annotationsOfExternalId(value: string | null | undefined): string | undefined {
  return /(?:^|;)annotations=([0-9a-f]+)(?:;|$)/.exec(value ?? "")?.[1];
}

function annotationsFingerprint(annotations: readonly Annotation[]): string {
  return createHash("sha256").update(JSON.stringify(annotations)).digest("hex").slice(0, 16);
}

/** `appId`: only this App's run (evaluations and recovery pass it once GET /app has answered). */
export async function findCheck(
  client: GitHubClient,
  locator: Pick<PullLocator, "owner" | "repo">,
  headSha: string,
  appId?: number,
): Promise<ExistingRun | undefined> {
  const listed = await client.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
    owner: locator.owner,
    repo: locator.repo,
    ref: headSha,
    check_name: CHECK_NAME,
    filter: "latest",
    per_page: 1,
    ...(appId !== undefined ? { app_id: appId } : {}),
  });
  const run = listed.data.check_runs[0];
  if (!run) return undefined;
  return {
    id: Number(run.id),
    status: run.status,
    startedAt: run.started_at ?? null,
    conclusion: run.conclusion ?? null,
    title: run.output?.title ?? null,
    summary: run.output?.summary ?? null,
    text: run.output?.text ?? null,
    annotationsCount: run.output?.annotations_count ?? 0,
    externalId: run.external_id ?? null,
  };
}

/**
 * The `Changegate` check run of one head, written as little as possible: `in_progress` only when
 * the evaluation outlasts `inProgressAfterMs` (0: at once; Infinity: never), then the result — in
 * one request when nothing was written before, and not at all when the head's run already shows
 * that result.
 *
 * GitHub appends the annotations of every update to those the run already has ("Each time you
 * update the check run, annotations are appended to the list of annotations that already exist",
 * https://docs.github.com/en/rest/checks/runs#update-a-check-run), so a run receives each
 * annotation once: a run that carries annotations is updated without them when they are the same
 * (their fingerprint is in `external_id`), and replaced by a new run when they differ.
 */
export class CheckRunWriter {
  private runId: number | undefined;
  /** The `external_id` of the run `runId` names (what it already carries). */
  private runExternalId: string | null = null;
  private runAnnotations = 0;
  private runInProgress = false;
  private marking: Promise<void> | undefined;
  private readonly timer: ReturnType<typeof setTimeout> | undefined;
  private settled = false;

  constructor(
    private readonly client: GitHubClient,
    private readonly locator: PullLocator,
    readonly headSha: string,
    private readonly existing: Promise<ExistingRun | undefined>,
    inProgressAfterMs: number,
  ) {
    const mark = (): void => {
      if (this.settled) return;
      this.marking = this.markInProgress();
      this.marking.catch(() => undefined); // complete() reads the outcome, perhaps much later
    };
    if (inProgressAfterMs <= 0) mark();
    else if (inProgressAfterMs <= MAX_TIMER_MS) {
      // Longer (Infinity: never) arms no timer: Node would fire it after 1 ms and warn.
      this.timer = setTimeout(mark, inProgressAfterMs);
      this.timer.unref?.();
    }
  }

  /** Writes the result (unless identical to what the head's run already shows). Returns the run id, if any. */
  async complete(output: CheckRunOutput): Promise<number | undefined> {
    this.stop();
    await this.marking?.catch(() => undefined);
    const existing = await this.existing.catch(() => undefined);
    const external = externalId(this.locator.number, output.annotations);
    if (!this.marking && existing && sameResult(existing, output, external)) return existing.id;
    if (this.runId === undefined && existing) {
      this.runId = existing.id;
      this.runExternalId = existing.externalId;
      this.runAnnotations = existing.annotationsCount;
      this.runInProgress = existing.status !== "completed";
    }
    const fingerprint = annotationsOfExternalId(external);
    const carried =
      this.runAnnotations === 0
        ? "none"
        : annotationsOfExternalId(this.runExternalId) === fingerprint
          ? "same"
          : "other";
    const batches = chunk(carried === "same" ? [] : output.annotations, ANNOTATIONS_PER_REQUEST);
    const base = {
      title: output.title,
      summary: output.summary,
      ...(output.text ? { text: output.text } : {}),
    };
    const { owner, repo } = this.locator;
    const superseded = carried === "other" ? this.runId : undefined;
    const supersededInProgress = superseded !== undefined && this.runInProgress;
    // The verdict goes with the last request only: a batch that fails before it leaves the run
    // without a verdict, never with one that the fail-closed path then turns into another.
    const last = Math.max(batches.length - 1, 0);
    const verdict = () => ({
      external_id: external,
      status: "completed" as const,
      conclusion: output.conclusion,
      completed_at: new Date().toISOString(),
    });
    const partial = `pr=${this.locator.number};annotations=partial`;
    let id: number;
    if (this.runId === undefined || carried === "other") {
      const created = await this.client.request("POST /repos/{owner}/{repo}/check-runs", {
        owner,
        repo,
        name: CHECK_NAME,
        head_sha: this.headSha,
        started_at: new Date().toISOString(),
        ...(last === 0 ? verdict() : { external_id: partial, status: "in_progress" as const }),
        output: { ...base, annotations: (batches[0] ?? []) as Annotation[] },
      });
      id = Number(created.data.id);
      this.runInProgress = last > 0;
      this.runAnnotations = batches[0]?.length ?? 0;
    } else {
      id = this.runId;
      await this.client.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
        owner,
        repo,
        check_run_id: id,
        ...(last === 0 ? verdict() : { external_id: partial }),
        output: { ...base, ...(batches[0] ? { annotations: batches[0] as Annotation[] } : {}) },
      });
      this.runAnnotations += batches[0]?.length ?? 0;
    }
    this.runId = id;
    this.runExternalId = last === 0 ? external : partial;
    for (const [index, batch] of batches.entries()) {
      if (index === 0) continue;
      await this.client.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
        owner,
        repo,
        check_run_id: id,
        ...(index === last ? verdict() : {}),
        output: { ...base, annotations: batch as Annotation[] },
      });
      this.runAnnotations += batch.length;
    }
    this.runExternalId = external;
    if (superseded !== undefined && supersededInProgress) {
      // The replaced run was left in progress by this evaluation: GitHub reports the latest run
      // of a name, and recovery looks for the latest, but nobody should see it running forever.
      // Best effort: the verdict is written, and nothing may turn it into another.
      await this.client
        .request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
          owner,
          repo,
          check_run_id: superseded,
          status: "completed",
          conclusion: "cancelled",
          completed_at: new Date().toISOString(),
          output: {
            title: "Superseded by a newer Changegate run",
            summary: "Changegate's findings changed; the newer run on this commit carries them.",
          },
        })
        .catch(() => undefined);
    }
    this.runInProgress = false;
    return id;
  }

  /** No more writes from the timer (a dropped result, or the end). */
  stop(): void {
    this.settled = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async markInProgress(): Promise<void> {
    const { owner, repo } = this.locator;
    const existing = await this.existing.catch(() => undefined);
    if (existing) {
      this.runExternalId = existing.externalId;
      this.runAnnotations = existing.annotationsCount;
      this.runInProgress = true;
      if (existing.status === "in_progress") {
        this.runId = existing.id;
        return;
      }
      // A fresh started_at: recovery re-evaluates runs left in progress since long ago.
      await this.client.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
        owner,
        repo,
        check_run_id: existing.id,
        status: "in_progress",
        started_at: new Date().toISOString(),
        output: inProgressOutput(),
      });
      this.runId = existing.id;
      return;
    }
    const created = await this.client.request("POST /repos/{owner}/{repo}/check-runs", {
      owner,
      repo,
      name: CHECK_NAME,
      head_sha: this.headSha,
      external_id: externalId(this.locator.number, []),
      status: "in_progress",
      started_at: new Date().toISOString(),
      output: inProgressOutput(),
    });
    this.runId = Number(created.data.id);
    this.runExternalId = null;
    this.runAnnotations = 0;
    this.runInProgress = true;
  }
}

/**
 * Creates a completed, failing check run in one request: the last resort of the fail-closed path
 * when the head's run cannot be found or updated.
 */
export async function failCheck(
  client: GitHubClient,
  locator: PullLocator,
  headSha: string,
  output: CheckRunOutput,
): Promise<number> {
  const created = await client.request("POST /repos/{owner}/{repo}/check-runs", {
    owner: locator.owner,
    repo: locator.repo,
    name: CHECK_NAME,
    head_sha: headSha,
    external_id: externalId(locator.number, []),
    status: "completed",
    conclusion: "failure",
    completed_at: new Date().toISOString(),
    output: { title: output.title, summary: output.summary },
  });
  return Number(created.data.id);
}

function sameResult(existing: ExistingRun, output: CheckRunOutput, external: string): boolean {
  return (
    // The same annotations (the pull request named beside them may be another sharing the head).
    annotationsOfExternalId(existing.externalId) === annotationsOfExternalId(external) &&
    existing.status === "completed" &&
    existing.conclusion === output.conclusion &&
    existing.title === output.title &&
    existing.summary === output.summary &&
    (existing.text ?? "") === (output.text ?? "") &&
    existing.annotationsCount === output.annotations.length
  );
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
