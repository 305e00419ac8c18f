/**
 * Payloads of events only GitHub Actions sees, which the emulator never sends by itself: a
 * `workflow_run.completed` and a `repository_dispatch`, built like every other payload (the
 * @octokit/webhooks-examples template, the state's values). An Action's test writes one to
 * the file `GITHUB_EVENT_PATH` names
 * (https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows).
 */
import { treeSha } from "../state/git.js";
import { nextId, pullByNumber, repoByName, currentTime } from "../state/store.js";
import type { EmulatorState, PullRequest, Repository } from "../state/types.js";
import type { Shapes } from "../rest/shapes/index.js";
import { checkSuiteId, nodeId } from "../rest/shapes/common.js";
import type { EventDelivery } from "./events.js";

type Json = Record<string, unknown>;

export interface WorkflowRunPayloadOptions {
  /** The commit the workflow ran on. */
  headSha: string;
  /** Default: the first listed pull request's head branch, else a branch whose tip is `headSha`. */
  headBranch?: string;
  /**
   * The pull requests GitHub lists in `workflow_run.pull_requests` (number, head, base).
   * Empty (the default) is what GitHub sends for a pull request from a fork.
   */
  pullNumbers?: number[];
  /** Default `Changegate review relay`. */
  workflowName?: string;
  /** Default `.github/workflows/changegate-review.yml`. */
  workflowPath?: string;
  /** The event that ran the finished workflow (default `pull_request_review`). */
  event?: string;
  /** Default `success`. */
  conclusion?: "success" | "failure" | "cancelled" | "skipped" | "neutral" | "timed_out";
  /** Who triggered it (`actor`, `triggering_actor`, `sender`); default the first pull request's author, else the owner. */
  actor?: string;
}

export interface RepositoryDispatchPayloadOptions {
  /** `event_type` of `POST /repos/{owner}/{repo}/dispatches`; the payload's `action`. */
  eventType: string;
  clientPayload?: Json;
  /** Who called the dispatches endpoint (default the emulated App's bot). */
  sender?: string;
}

function branchAt(repo: Repository, sha: string): string | null {
  if (repo.branches.get(repo.defaultBranch) === sha) return repo.defaultBranch;
  return [...repo.branches].find(([, tip]) => tip === sha)?.[0] ?? null;
}

export function workflowRunPayload(
  state: EmulatorState,
  shapes: Shapes,
  events: EventDelivery,
  repoRef: string | Repository,
  options: WorkflowRunPayloadOptions,
): Json {
  const repo = repoByName(state, repoRef);
  const commit = repo.commits.get(options.headSha);
  if (!commit) throw new Error(`emulator: no commit ${options.headSha} in ${repo.fullName}`);
  const pulls: PullRequest[] = (options.pullNumbers ?? []).map((n) => pullByNumber(repo, n));
  const actor = options.actor ?? pulls[0]?.user ?? repo.owner;
  const runId = nextId(state, "workflowRun");
  const workflowId = nextId(state, "workflow");
  const name = options.workflowName ?? "Changegate review relay";
  const path = options.workflowPath ?? ".github/workflows/changegate-review.yml";
  const api = `${shapes.links.api}/repos/${repo.fullName}`;
  const html = `${shapes.links.html}/${repo.fullName}`;
  const runApi = `${api}/actions/runs/${runId}`;
  const suite = checkSuiteId(options.headSha);
  const at = currentTime(state);
  const person = (p: typeof commit.author) => ({ name: p.name, email: p.email });
  const repository = shapes.repository(repo);
  return events.payload("workflow_run", "completed", repo, actor, {
    workflow: {
      id: workflowId,
      node_id: nodeId("Workflow", workflowId),
      name,
      path,
      state: "active",
      created_at: at,
      updated_at: at,
      url: `${api}/actions/workflows/${workflowId}`,
      html_url: `${html}/blob/${repo.defaultBranch}/${path}`,
      badge_url: `${html}/workflows/${encodeURIComponent(name)}/badge.svg`,
    },
    workflow_run: {
      id: runId,
      name,
      node_id: nodeId("WorkflowRun", runId),
      head_branch: options.headBranch ?? pulls[0]?.head.ref ?? branchAt(repo, options.headSha),
      head_sha: options.headSha,
      path,
      display_title: name,
      run_number: runId - 11_000_000,
      event: options.event ?? "pull_request_review",
      status: "completed",
      conclusion: options.conclusion ?? "success",
      workflow_id: workflowId,
      check_suite_id: suite,
      check_suite_node_id: nodeId("CheckSuite", suite),
      url: runApi,
      html_url: `${html}/actions/runs/${runId}`,
      pull_requests: pulls.map((pr) => shapes.pullMinimal(repo, pr)),
      created_at: at,
      updated_at: at,
      run_attempt: 1,
      run_started_at: at,
      actor: shapes.user(actor),
      triggering_actor: shapes.user(actor),
      jobs_url: `${runApi}/jobs`,
      logs_url: `${runApi}/logs`,
      check_suite_url: `${api}/check-suites/${suite}`,
      artifacts_url: `${runApi}/artifacts`,
      cancel_url: `${runApi}/cancel`,
      rerun_url: `${runApi}/rerun`,
      previous_attempt_url: null,
      workflow_url: `${api}/actions/workflows/${workflowId}`,
      head_commit: {
        id: commit.sha,
        tree_id: treeSha(commit.tree),
        message: commit.message,
        timestamp: commit.committer.date,
        author: person(commit.author),
        committer: person(commit.committer),
      },
      referenced_workflows: [],
      repository,
      head_repository: repository,
    },
  });
}

export function repositoryDispatchPayload(
  state: EmulatorState,
  events: EventDelivery,
  repoRef: string | Repository,
  options: RepositoryDispatchPayloadOptions,
): Json {
  const repo = repoByName(state, repoRef);
  return events.payload(
    "repository_dispatch",
    options.eventType,
    repo,
    options.sender ?? state.app.botLogin,
    { branch: repo.defaultBranch, client_payload: options.clientPayload ?? {} },
  );
}
