import { Octokit, type RestEndpointMethodTypes } from "@octokit/rest";
import { RequestError } from "@octokit/request-error";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedValidator } from "../src/openapi/validator.js";
import { GITHUB_ACTIONS, startEmulator, type Emulator } from "../src/index.js";
import { installationOctokit, quiet } from "./helpers.js";

type CheckRunData = RestEndpointMethodTypes["checks"]["create"]["response"]["data"];

/** The status and body GitHub answered a failing request with. */
async function failure(request: Promise<unknown>): Promise<{ status: number; data: unknown }> {
  try {
    await request;
  } catch (error) {
    if (error instanceof RequestError) return { status: error.status, data: error.response?.data };
    throw error;
  }
  throw new Error("the request succeeded");
}

describe("a workflow's GITHUB_TOKEN (emu.actionsToken)", () => {
  let emu: Emulator;
  let actions: Octokit;
  let app: Octokit;
  let number: number;
  let headSha: string;

  beforeAll(async () => {
    emu = await startEmulator({ validateResponses: true });
    emu.createRepo("acme/web", { ownerType: "Organization", files: { "lb.tf": "a = 1\n" } });
    emu.createRepo("acme/secret", { ownerType: "Organization", private: true });
    emu.createRepo("acme/site", { ownerType: "Organization" });
    emu.addTeam("acme/sre", ["carol"]);
    headSha = emu.commit("acme/web", "feature", { "lb.tf": "a = 2\n" }, "alice");
    ({ number } = await emu.openPullRequest("acme/web", { head: "feature", author: "alice" }));
    actions = new Octokit({ baseUrl: emu.url, auth: emu.actionsToken("acme/web"), log: quiet });
    app = await installationOctokit(emu);
  });
  afterAll(async () => {
    await emu?.close();
  });

  it("is a ghs_ token whose comments are by github-actions[bot], a Bot", async () => {
    expect(emu.actionsToken("acme/web")).toMatch(/^ghs_[0-9a-f]{36}$/);
    const { data } = await actions.rest.issues.createComment({
      owner: "acme",
      repo: "web",
      issue_number: number,
      body: "gate",
    });
    expect(data.user).toMatchObject({ login: "github-actions[bot]", type: "Bot" });
    expect(emu.comments("acme/web", number).at(-1)?.user).toBe("github-actions[bot]");
    expect(emu.requests.at(-1)?.actor).toBe("github-actions[bot]");
  });

  it("creates check runs as the GitHub Actions App, and app_id filters by it", async () => {
    const create = (octokit: Octokit) =>
      octokit.rest.checks.create({
        owner: "acme",
        repo: "web",
        name: "Changegate",
        head_sha: headSha,
        status: "completed",
        conclusion: "success",
        output: { title: "ok", summary: "ok" },
      });
    const byActions: CheckRunData = (await create(actions)).data;
    const byApp: CheckRunData = (await create(app)).data;
    expect(byActions.app).toMatchObject({
      id: 15368,
      slug: "github-actions",
      name: "GitHub Actions",
      owner: { login: "github", type: "Organization" },
    });
    expect(byApp.app).toMatchObject({ id: 1, slug: "changegate" });
    expect(emu.checkRuns("acme/web", headSha).map((r) => r.appId)).toEqual([15368, 1]);

    const list = async (appId: number) =>
      (
        await app.rest.checks.listForRef({
          owner: "acme",
          repo: "web",
          ref: headSha,
          app_id: appId,
          filter: "all",
        })
      ).data.check_runs.map((r) => r.id);
    expect(await list(GITHUB_ACTIONS.id)).toEqual([byActions.id]);
    expect(await list(1)).toEqual([byApp.id]);
  });

  it("reads and writes its repository, not another private one, and cannot read teams", async () => {
    const repo = await actions.rest.repos.get({ owner: "acme", repo: "web" });
    expect(repo.status).toBe(200);
    await actions.rest.issues.addLabels({
      owner: "acme",
      repo: "web",
      issue_number: number,
      labels: ["gate"],
    });
    expect(emu.pull("acme/web", number).labels).toContain("gate");
    expect((await failure(actions.rest.repos.get({ owner: "acme", repo: "secret" }))).status).toBe(
      404,
    );
    // Another public repository: readable, not writable.
    expect((await actions.rest.repos.get({ owner: "acme", repo: "site" })).status).toBe(200);
    const write = await failure(
      actions.rest.issues.create({ owner: "acme", repo: "site", title: "x" }),
    );
    expect(write).toMatchObject({
      status: 403,
      data: { message: "Resource not accessible by integration" },
    });
    expect(emu.issues("acme/site")).toEqual([]);

    const members = await failure(
      actions.rest.teams.listMembersInOrg({ org: "acme", team_slug: "sre" }),
    );
    expect(members).toMatchObject({
      status: 403,
      data: {
        message: "Resource not accessible by integration",
        documentation_url: expect.stringMatching(/^https:\/\/docs\.github\.com\//),
      },
    });
    const membership = await failure(
      actions.rest.teams.getMembershipForUserInOrg({
        org: "acme",
        team_slug: "sre",
        username: "carol",
      }),
    );
    expect(membership.status).toBe(403);
    // The App's installation token still reads the team.
    const ok = await app.rest.teams.listMembersInOrg({ org: "acme", team_slug: "sre" });
    expect(ok.data.map((m) => m.login)).toEqual(["carol"]);
  });

  it("gets organization.team null with a FORBIDDEN error over GraphQL; the App's token gets the team", async () => {
    const query = `query($org: String!, $slug: String!) {
      t0: organization(login: $org) { team(slug: $slug) { members(first: 100) { nodes { login } } } }
    }`;
    const ask = async (token: string) => {
      const response = await fetch(emu.graphqlUrl, {
        method: "POST",
        headers: { authorization: `bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ query, variables: { org: "acme", slug: "sre" } }),
      });
      return (await response.json()) as {
        data?: { t0: { team: unknown } | null };
        errors?: { type?: string; message: string; path?: string[] }[];
      };
    };
    const denied = await ask(emu.actionsToken("acme/web"));
    expect(denied.data).toEqual({ t0: { team: null } });
    expect(denied.errors).toEqual([
      expect.objectContaining({
        type: "FORBIDDEN",
        message: "Resource not accessible by integration",
        path: ["t0", "team"],
      }),
    ]);
    const { token } = (
      await new Octokit({
        baseUrl: emu.url,
        auth: "x.y.z",
        log: quiet,
      }).rest.apps.createInstallationAccessToken({
        installation_id: [...emu.state.installations.keys()][0]!,
      })
    ).data;
    const allowed = await ask(token);
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data).toEqual({ t0: { team: { members: { nodes: [{ login: "carol" }] } } } });
  });

  it("answers apps/get-by-slug for the App and GitHub Actions, with any token or none; 404 otherwise", async () => {
    const anonymous = new Octokit({ baseUrl: emu.url, log: quiet });
    const jwt = new Octokit({ baseUrl: emu.url, auth: "x.y.z", log: quiet });
    const own = await anonymous.rest.apps.getBySlug({ app_slug: "changegate" });
    expect(own.data).toMatchObject({ id: 1, slug: "changegate" });
    for (const client of [anonymous, jwt, actions, app]) {
      const { data } = await client.rest.apps.getBySlug({ app_slug: "github-actions" });
      expect(data).toMatchObject({
        id: 15368,
        slug: "github-actions",
        name: "GitHub Actions",
        node_id: expect.any(String),
        owner: { login: "github" },
        html_url: `${emu.url.replace(/\/api\/v3$/, "")}/apps/github-actions`,
      });
    }
    expect((await failure(anonymous.rest.apps.getBySlug({ app_slug: "nope" }))).status).toBe(404);
  });

  it("left no violations (every request and response matched GitHub's description)", () => {
    expect(emu.violations).toEqual([]);
  });
});

describe("event payloads for the Action", () => {
  let emu: Emulator;
  let number: number;
  let second: number;
  let headSha: string;

  beforeAll(async () => {
    emu = await startEmulator();
    emu.createRepo("acme/web", { ownerType: "Organization", files: { "lb.tf": "a = 1\n" } });
    headSha = emu.commit("acme/web", "feature", { "lb.tf": "a = 2\n" }, "alice");
    emu.commit("acme/web", "other", { "lb.tf": "a = 3\n" }, "bob");
    ({ number } = await emu.openPullRequest("acme/web", { head: "feature", author: "alice" }));
    ({ number: second } = await emu.openPullRequest("acme/web", { head: "other", author: "bob" }));
    await emu.comment("acme/web", number, "/changegate recheck", "alice");
  });
  afterAll(async () => {
    await emu?.close();
  });

  it("lists recorded deliveries in order, filtered by event and action, with parsed payloads", async () => {
    const all = emu.deliveries();
    expect(all.map((d) => `${d.event}.${d.action}`)).toEqual([
      "pull_request.opened",
      "pull_request.opened",
      "issue_comment.created",
    ]);
    const opened = emu.deliveries({ event: "pull_request", action: "opened" });
    expect(opened.map((d) => d.payload?.number)).toEqual([number, second]);
    expect(opened[0]).toMatchObject({ status: 0, redelivery: false, guid: expect.any(String) });
    expect(emu.deliveries({ event: "issue_comment" })[0]?.payload).toMatchObject({
      comment: { body: "/changegate recheck", user: { login: "alice" } },
      issue: { number },
    });
    expect(emu.deliveries({ action: "deleted" })).toEqual([]);
    await emu.deliverRaw("not json", {}, "ping");
    expect(emu.deliveries({ event: "ping" })[0]?.payload).toBeNull();
  });

  it("builds workflow_run.completed with the pull requests as GitHub lists them, valid against the webhook schema", () => {
    const payload = emu.workflowRunPayload("acme/web", {
      headSha,
      pullNumbers: [number],
      workflowName: "Changegate review relay",
      event: "pull_request_review",
    });
    const pull = emu.pull("acme/web", number);
    const repo = emu.state.repos.get("acme/web")!;
    const repoRef = { id: repo.id, url: `${emu.url}/repos/acme/web`, name: "web" };
    expect(payload).toMatchObject({
      action: "completed",
      repository: { full_name: "acme/web" },
      organization: { login: "acme" },
      sender: { login: "alice" },
      workflow: { name: "Changegate review relay" },
      workflow_run: {
        name: "Changegate review relay",
        event: "pull_request_review",
        status: "completed",
        conclusion: "success",
        head_sha: headSha,
        head_branch: "feature",
        head_commit: { id: headSha },
        repository: { full_name: "acme/web" },
        pull_requests: [
          {
            number,
            url: `${emu.url}/repos/acme/web/pulls/${number}`,
            head: { ref: "feature", sha: headSha, repo: repoRef },
            base: { ref: "main", sha: pull.base.sha, repo: repoRef },
          },
        ],
      },
    });
    expect(sharedValidator().webhook("workflow-run-completed", payload)).toEqual([]);
    // Deterministic ids that differ per run.
    const next = emu.workflowRunPayload("acme/web", { headSha, pullNumbers: [] });
    expect((next.workflow_run as { id: number }).id).toBe(
      (payload.workflow_run as { id: number }).id + 1,
    );
  });

  it("builds the fork case (no pull requests listed) and names the branch whose tip is the head", () => {
    const payload = emu.workflowRunPayload("acme/web", { headSha, pullNumbers: [] });
    expect(payload.workflow_run).toMatchObject({
      pull_requests: [],
      head_sha: headSha,
      head_branch: "feature",
    });
    expect(sharedValidator().webhook("workflow-run-completed", payload)).toEqual([]);
    expect(() => emu.workflowRunPayload("acme/web", { headSha: "0".repeat(40) })).toThrow(
      /no commit/,
    );
  });

  it("builds repository_dispatch with the event type as action and the client payload, valid against the webhook schema", () => {
    const payload = emu.repositoryDispatchPayload("acme/web", {
      eventType: "changegate",
      clientPayload: { pull_number: number },
    });
    expect(payload).toMatchObject({
      action: "changegate",
      branch: "main",
      client_payload: { pull_number: number },
      repository: { full_name: "acme/web" },
      sender: { login: "changegate[bot]", type: "Bot" },
      installation: { id: [...emu.state.installations.keys()][0] },
    });
    expect(sharedValidator().webhook("repository-dispatch-sample.collected", payload)).toEqual([]);
  });

  it("the schema check itself rejects a payload that lacks what GitHub sends", () => {
    const payload = emu.workflowRunPayload("acme/web", { headSha });
    const broken = { ...payload, workflow_run: { ...(payload.workflow_run as object) } };
    delete (broken.workflow_run as Record<string, unknown>).pull_requests;
    expect(sharedValidator().webhook("workflow-run-completed", broken)).not.toEqual([]);
    const { client_payload: _dropped, ...dispatch } = emu.repositoryDispatchPayload("acme/web", {
      eventType: "changegate",
      clientPayload: { pull_number: number },
    });
    expect(sharedValidator().webhook("repository-dispatch-sample.collected", dispatch)).toEqual([
      expect.objectContaining({ message: expect.stringContaining("'client_payload'") }),
    ]);
  });
});
