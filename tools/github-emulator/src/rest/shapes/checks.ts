/** Check runs. */
import { GITHUB_ACTIONS } from "../../state/store.js";
import type { CheckRun, PullRequest, Repository } from "../../state/types.js";
import { checkSuiteId, nodeId, repoApi, repoHtml, type Json } from "./common.js";
import type { Shapes } from "./index.js";

export function checkRun(s: Shapes, repo: Repository, run: CheckRun): Json {
  const url = `${repoApi(s, repo)}/check-runs/${run.id}`;
  const app = run.appId === GITHUB_ACTIONS.id ? GITHUB_ACTIONS : s.state.app;
  const pulls = [...repo.issues.values()].filter(
    (i): i is PullRequest => i.kind === "pull" && i.state === "open" && i.head.sha === run.headSha,
  );
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: nodeId("CheckRun", run.id),
    external_id: run.externalId ?? "",
    url,
    html_url: `${repoHtml(s, repo)}/runs/${run.id}`,
    details_url: run.detailsUrl ?? `${s.links.html}/apps/${app.slug}`,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.output.annotations.length,
      annotations_url: `${url}/annotations`,
    },
    name: run.name,
    check_suite: { id: checkSuiteId(run.headSha) },
    app: s.integration(app),
    pull_requests: pulls.map((pr) => s.pullMinimal(repo, pr)),
  };
}
