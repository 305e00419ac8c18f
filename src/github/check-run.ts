/** Every write of the `Changegate` check run (GitHub's Checks API), and the read of the head's run. */
import { type Annotation, type CheckRunOutput, inProgressOutput } from "../render/check-run.js";
import { CHECK_NAME } from "../shared/names.js";
import type { GitHubClient, PullLocator } from "./client.js";

/** GitHub accepts at most 50 annotations per check-run request (Checks API, "Update a check run"). */
const ANNOTATIONS_PER_REQUEST = 50;

/** An evaluation that has not finished by then shows `in_progress` (a fast one writes only its result). */
export const DEFAULT_IN_PROGRESS_AFTER_MS = 1000;

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
}

/** `appId`: only this App's run (recovery knows it; an evaluation does not ask for it). */
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
  };
}

/**
 * The `Changegate` check run of one head, written as little as possible: `in_progress` only when
 * the evaluation outlasts `inProgressAfterMs` (0: at once), then the result — in one request when
 * nothing was written before, and not at all when the head's run already shows that result.
 */
export class CheckRunWriter {
  private runId: number | undefined;
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
      if (!this.settled) this.marking = this.markInProgress();
    };
    if (inProgressAfterMs <= 0) mark();
    else {
      this.timer = setTimeout(mark, inProgressAfterMs);
      this.timer.unref?.();
    }
  }

  /** Writes the result (unless identical to what the head's run already shows). Returns the run id, if any. */
  async complete(output: CheckRunOutput): Promise<number | undefined> {
    this.stop();
    await this.marking?.catch(() => undefined);
    const existing = await this.existing.catch(() => undefined);
    const runId = this.runId ?? existing?.id;
    if (!this.marking && existing && sameResult(existing, output)) return existing.id;
    const batches = chunk(output.annotations, ANNOTATIONS_PER_REQUEST);
    const base = {
      title: output.title,
      summary: output.summary,
      ...(output.text ? { text: output.text } : {}),
    };
    const { owner, repo } = this.locator;
    let id: number;
    if (runId === undefined) {
      const created = await this.client.request("POST /repos/{owner}/{repo}/check-runs", {
        owner,
        repo,
        name: CHECK_NAME,
        head_sha: this.headSha,
        status: "completed",
        conclusion: output.conclusion,
        started_at: new Date().toISOString(),
        completed_at: new Date().toISOString(),
        output: { ...base, annotations: (batches[0] ?? []) as Annotation[] },
      });
      id = Number(created.data.id);
    } else {
      id = runId;
      await this.client.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
        owner,
        repo,
        check_run_id: id,
        status: "completed",
        conclusion: output.conclusion,
        completed_at: new Date().toISOString(),
        output: { ...base, annotations: (batches[0] ?? []) as Annotation[] },
      });
    }
    this.runId = id;
    for (const batch of batches.slice(1)) {
      await this.client.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
        owner,
        repo,
        check_run_id: id,
        output: { ...base, annotations: batch as Annotation[] },
      });
    }
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
      status: "in_progress",
      started_at: new Date().toISOString(),
      output: inProgressOutput(),
    });
    this.runId = Number(created.data.id);
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
    status: "completed",
    conclusion: "failure",
    completed_at: new Date().toISOString(),
    output: { title: output.title, summary: output.summary },
  });
  return Number(created.data.id);
}

function sameResult(existing: ExistingRun, output: CheckRunOutput): boolean {
  return (
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
