/** Check runs: create, update (annotations accumulate), get, list for a ref, annotations. */
import { appOfToken, HttpError, nextId, now, requireRepo } from "../state/store.js";
import { resolveRef } from "../state/git.js";
import type {
  CheckAnnotation,
  CheckConclusion,
  CheckRun,
  CheckStatus,
  Repository,
} from "../state/types.js";
import {
  bodyOf,
  created,
  num,
  ok,
  paginate,
  str,
  type HandlerTable,
  type RestContext,
} from "./context.js";

/** GitHub's limits: 50 annotations per request, 65535 characters of summary/text. */
export const MAX_ANNOTATIONS_PER_REQUEST = 50;
export const MAX_OUTPUT_TEXT = 65535;

interface CheckRunInput {
  name?: string;
  head_sha?: string;
  details_url?: string;
  external_id?: string;
  status?: CheckStatus;
  conclusion?: CheckConclusion;
  started_at?: string;
  completed_at?: string;
  output?: { title?: string; summary?: string; text?: string; annotations?: CheckAnnotation[] };
  actions?: CheckRun["actions"];
}

function invalid(field: string, message: string): HttpError {
  return new HttpError(422, "Validation Failed", [
    { resource: "CheckRun", code: "custom", field, message },
  ]);
}

function checkInput(input: CheckRunInput, existing?: CheckRun): void {
  const annotations = input.output?.annotations ?? [];
  if (annotations.length > MAX_ANNOTATIONS_PER_REQUEST) {
    throw invalid(
      "output.annotations",
      `Only ${MAX_ANNOTATIONS_PER_REQUEST} annotations are allowed per request (got ${annotations.length})`,
    );
  }
  for (const [field, text] of [
    ["output.summary", input.output?.summary],
    ["output.text", input.output?.text],
  ] as const) {
    if (text && text.length > MAX_OUTPUT_TEXT)
      throw invalid(field, `${field} is too long (maximum is ${MAX_OUTPUT_TEXT} characters)`);
  }
  for (const a of annotations) {
    if (
      (a.start_column !== undefined || a.end_column !== undefined) &&
      a.start_line !== a.end_line
    ) {
      throw invalid(
        "output.annotations",
        "start_column and end_column may only be used when start_line equals end_line",
      );
    }
    if (a.end_line < a.start_line)
      throw invalid("output.annotations", "end_line must be greater than or equal to start_line");
  }
  const status = input.conclusion ? "completed" : (input.status ?? existing?.status);
  if (
    (status === "completed" || input.completed_at) &&
    !(input.conclusion ?? existing?.conclusion)
  ) {
    throw invalid("conclusion", "conclusion is required when status is completed");
  }
}

function apply(ctx: RestContext, run: CheckRun, input: CheckRunInput): void {
  if (input.name !== undefined) run.name = input.name;
  if (input.details_url !== undefined) run.detailsUrl = input.details_url;
  if (input.external_id !== undefined) run.externalId = input.external_id;
  if (input.started_at !== undefined) run.startedAt = input.started_at;
  if (input.status !== undefined) run.status = input.status;
  if (input.conclusion !== undefined) {
    run.conclusion = input.conclusion;
    run.status = "completed";
  }
  if (input.completed_at !== undefined) run.completedAt = input.completed_at;
  if (run.status === "completed" && !run.completedAt) run.completedAt = now(ctx.state);
  if (input.output) {
    if (input.output.title !== undefined) run.output.title = input.output.title;
    if (input.output.summary !== undefined) run.output.summary = input.output.summary;
    if (input.output.text !== undefined) run.output.text = input.output.text;
    run.output.annotations.push(...(input.output.annotations ?? []).map((a) => ({ ...a })));
  }
  if (input.actions) run.actions = input.actions.map((a) => ({ ...a }));
}

function repoOf(ctx: RestContext): Repository {
  return requireRepo(ctx.state, str(ctx, "owner"), str(ctx, "repo"));
}

function runOf(ctx: RestContext, repo: Repository): CheckRun {
  const run = repo.checkRuns.get(num(ctx, "check_run_id"));
  if (!run) throw new HttpError(404, "Not Found");
  return run;
}

export const checksHandlers: HandlerTable = {
  "checks/create": (ctx) => {
    const repo = repoOf(ctx);
    const input = bodyOf<CheckRunInput>(ctx);
    const sha = resolveRef(repo, input.head_sha ?? "");
    if (!sha || sha !== input.head_sha)
      throw invalid("head_sha", `No commit found for SHA: ${input.head_sha}`);
    checkInput(input);
    const run: CheckRun = {
      id: nextId(ctx.state, "checkRun"),
      name: input.name ?? "",
      headSha: sha,
      status: "queued",
      conclusion: null,
      externalId: null,
      detailsUrl: null,
      startedAt: now(ctx.state),
      completedAt: null,
      output: { title: null, summary: null, text: null, annotations: [] },
      actions: [],
      // A workflow's GITHUB_TOKEN creates runs as GitHub Actions, an installation token as the App.
      appId: appOfToken(ctx.state, ctx.token).id,
    };
    apply(ctx, run, input);
    repo.checkRuns.set(run.id, run);
    return created(ctx.shapes.checkRun(repo, run));
  },

  "checks/update": (ctx) => {
    const repo = repoOf(ctx);
    const run = runOf(ctx, repo);
    const input = bodyOf<CheckRunInput>(ctx);
    checkInput(input, run);
    apply(ctx, run, input);
    return ok(ctx.shapes.checkRun(repo, run));
  },

  "checks/get": (ctx) => {
    const repo = repoOf(ctx);
    return ok(ctx.shapes.checkRun(repo, runOf(ctx, repo)));
  },

  "checks/list-annotations": (ctx) => {
    const repo = repoOf(ctx);
    const run = runOf(ctx, repo);
    const { items, headers } = paginate(ctx, run.output.annotations);
    return ok(
      items.map((a) => ({
        path: a.path,
        start_line: a.start_line,
        end_line: a.end_line,
        start_column: a.start_column ?? null,
        end_column: a.end_column ?? null,
        annotation_level: a.annotation_level,
        title: a.title ?? null,
        message: a.message,
        raw_details: a.raw_details ?? null,
        blob_href: `${ctx.shapes.links.html}/${repo.fullName}/blob/${run.headSha}/${a.path}`,
      })),
      headers,
    );
  },

  "checks/list-for-ref": (ctx) => {
    const repo = repoOf(ctx);
    const sha = resolveRef(repo, str(ctx, "ref"));
    if (!sha) throw new HttpError(422, `No commit found for SHA: ${str(ctx, "ref")}`);
    const name = ctx.query.check_name as string | undefined;
    const status = ctx.query.status as string | undefined;
    const appId = ctx.query.app_id as number | undefined;
    let runs = [...repo.checkRuns.values()].filter(
      (r) =>
        r.headSha === sha &&
        (!name || r.name === name) &&
        (!status || r.status === status) &&
        (appId === undefined || r.appId === appId),
    );
    if ((ctx.query.filter ?? "latest") === "latest") {
      const latest = new Map<string, CheckRun>();
      for (const r of runs)
        if (!latest.has(r.name) || (latest.get(r.name) as CheckRun).id < r.id)
          latest.set(r.name, r);
      runs = [...latest.values()];
    }
    runs.sort((a, b) => b.id - a.id);
    const { items, headers } = paginate(ctx, runs);
    return ok(
      { total_count: runs.length, check_runs: items.map((r) => ctx.shapes.checkRun(repo, r)) },
      headers,
    );
  },
};
