import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { installationOctokit, quiet } from "./helpers.js";
const LB_BEFORE =
  'resource "aws_lb_target_group" "web" {\n  health_check {\n    interval = 30\n    unhealthy_threshold = 3\n  }\n}\n';
const LB_AFTER =
  'resource "aws_lb_target_group" "web" {\n  health_check {\n    interval = 5\n    unhealthy_threshold = 3\n  }\n}\n';

describe("emulator REST API through @octokit/rest", () => {
  let emu: Emulator;
  let octokit: Octokit;
  let pull: number;
  let headSha: string;
  let baseSha: string;

  beforeAll(async () => {
    emu = await startEmulator({ validateResponses: true });
    emu.createRepo("acme/web", {
      ownerType: "Organization",
      files: {
        "lb.tf": LB_BEFORE,
        "README.md": "# web\n",
        "deploy/old.yaml": "replicas: 3\nimage: web:1\nport: 80\n",
      },
    });
    emu.addCollaborator("acme/web", "alice", "write");
    emu.addCollaborator("acme/web", "bob", "maintain");
    emu.addCollaborator("acme/web", "tina", "triage");
    emu.addTeam("acme/sre", ["carol"], { name: "SRE" });
    baseSha = emu.state.repos.get("acme/web")!.branches.get("main")!;
    emu.commit(
      "acme/web",
      "feature/lb",
      { "lb.tf": LB_AFTER },
      { author: "alice", message: "Faster health checks" },
    );
    headSha = emu.commit(
      "acme/web",
      "feature/lb",
      {
        "deploy/old.yaml": null,
        "deploy/new.yaml": "replicas: 3\nimage: web:1\nport: 80\n",
        "docs/a.md": "a\n",
      },
      "alice",
    );
    pull = (
      await emu.openPullRequest("acme/web", {
        head: "feature/lb",
        author: "alice",
        title: "LB tuning",
        body: "## Test plan\nOPS-42\n",
      })
    ).number;

    octokit = await installationOctokit(emu);
  });

  afterAll(() => emu.close());

  it("serves the pull request with real shapes", async () => {
    const { data } = await octokit.rest.pulls.get({
      owner: "acme",
      repo: "web",
      pull_number: pull,
    });
    expect(data).toMatchObject({
      number: pull,
      state: "open",
      draft: false,
      merged: false,
      title: "LB tuning",
    });
    expect(data.user).toMatchObject({ login: "alice", type: "User" });
    expect(data.head).toMatchObject({ ref: "feature/lb", sha: headSha });
    expect(data.base).toMatchObject({ ref: "main", sha: baseSha });
    expect(data.changed_files).toBe(3);
    expect(data.commits).toBe(2);
  });

  it("lists files over two pages with Link headers, renames included", async () => {
    const first = await octokit.rest.pulls.listFiles({
      owner: "acme",
      repo: "web",
      pull_number: pull,
      per_page: 2,
    });
    expect(first.data).toHaveLength(2);
    expect(first.headers.link).toContain('rel="next"');
    const all = await octokit.paginate(octokit.rest.pulls.listFiles, {
      owner: "acme",
      repo: "web",
      pull_number: pull,
      per_page: 2,
    });
    expect(all.map((f) => [f.filename, f.status])).toEqual([
      ["deploy/new.yaml", "renamed"],
      ["docs/a.md", "added"],
      ["lb.tf", "modified"],
    ]);
    expect(all[0]!.previous_filename).toBe("deploy/old.yaml");
    const lb = all[2]!;
    expect(lb).toMatchObject({ additions: 1, deletions: 1, changes: 2 });
    expect(lb.patch).toContain("-    interval = 30\n+    interval = 5");
  });

  it("returns contents at base and head, base64 and raw, 404 when missing", async () => {
    const atBase = await octokit.rest.repos.getContent({
      owner: "acme",
      repo: "web",
      path: "lb.tf",
      ref: baseSha,
    });
    expect(Array.isArray(atBase.data)).toBe(false);
    const file = atBase.data as { content: string; encoding: string; type: string };
    expect(file.type).toBe("file");
    expect(Buffer.from(file.content, "base64").toString()).toBe(LB_BEFORE);
    const raw = await octokit.rest.repos.getContent({
      owner: "acme",
      repo: "web",
      path: "lb.tf",
      ref: "feature/lb",
      mediaType: { format: "raw" },
    });
    expect(raw.data as unknown as string).toBe(LB_AFTER);
    await expect(
      octokit.rest.repos.getContent({ owner: "acme", repo: "web", path: "nope.tf", ref: headSha }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      octokit.rest.repos.getContent({
        owner: "acme",
        repo: "web",
        path: "lb.tf",
        ref: "no-such-branch",
      }),
    ).rejects.toMatchObject({ status: 404 });
    const dir = await octokit.rest.repos.getContent({
      owner: "acme",
      repo: "web",
      path: "deploy",
      ref: "feature/lb",
    });
    expect((dir.data as Array<{ name: string }>).map((e) => e.name)).toEqual(["new.yaml"]);
    const root = await octokit.rest.repos.getContent({ owner: "acme", repo: "web", path: "" });
    expect(
      (root.data as Array<{ name: string; type: string }>).map((e) => [e.name, e.type]),
    ).toEqual([
      ["README.md", "file"],
      ["deploy", "dir"],
      ["lb.tf", "file"],
    ]);
  });

  it("lists commits and compares with a merge base", async () => {
    const commits = await octokit.rest.pulls.listCommits({
      owner: "acme",
      repo: "web",
      pull_number: pull,
    });
    expect(commits.data.map((c) => c.commit.message)).toEqual([
      "Faster health checks",
      "Update deploy/old.yaml, deploy/new.yaml, docs/a.md",
    ]);
    expect(commits.data[0]!.author?.login).toBe("alice");
    emu.commit("acme/web", "main", { "README.md": "# web v2\n" }, "bob");
    const cmp = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: "acme",
      repo: "web",
      basehead: "main...feature/lb",
    });
    expect(cmp.data).toMatchObject({ status: "diverged", ahead_by: 2, behind_by: 1 });
    expect(cmp.data.merge_base_commit.sha).toBe(baseSha);
    expect(cmp.data.files?.map((f) => f.filename)).toEqual([
      "deploy/new.yaml",
      "docs/a.md",
      "lb.tf",
    ]);
    const commit = await octokit.rest.repos.getCommit({ owner: "acme", repo: "web", ref: headSha });
    expect(commit.data.files?.map((f) => f.status)).toEqual(["renamed", "added"]);
  });

  it("keeps reviews, comments and their updates", async () => {
    await emu.submitReview("acme/web", pull, { user: "bob", state: "APPROVED", commitId: headSha });
    await emu.submitReview("acme/web", pull, {
      user: "carol",
      state: "CHANGES_REQUESTED",
      body: "interval too low",
    });
    const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
      owner: "acme",
      repo: "web",
      pull_number: pull,
      per_page: 1,
    });
    expect(reviews.map((r) => [r.user?.login, r.state, r.commit_id])).toEqual([
      ["bob", "APPROVED", headSha],
      ["carol", "CHANGES_REQUESTED", headSha],
    ]);

    const created = await octokit.rest.issues.createComment({
      owner: "acme",
      repo: "web",
      issue_number: pull,
      body: "<!-- changegate -->\n- [ ] item",
    });
    expect(created.data.user?.login).toBe("changegate[bot]");
    expect(created.data.user?.type).toBe("Bot");
    await octokit.rest.issues.updateComment({
      owner: "acme",
      repo: "web",
      comment_id: created.data.id,
      body: "<!-- changegate -->\n- [x] item",
    });
    const got = await octokit.rest.issues.getComment({
      owner: "acme",
      repo: "web",
      comment_id: created.data.id,
    });
    expect(got.data.body).toContain("[x]");
    const list = await octokit.rest.issues.listComments({
      owner: "acme",
      repo: "web",
      issue_number: pull,
    });
    expect(list.data).toHaveLength(1);
    expect(emu.comments("acme/web", pull).map((c) => c.body)).toEqual([
      "<!-- changegate -->\n- [x] item",
    ]);
    await octokit.rest.reactions.createForIssueComment({
      owner: "acme",
      repo: "web",
      comment_id: created.data.id,
      content: "eyes",
    });
  });

  it("creates and updates check runs; annotations accumulate", async () => {
    const annotation = (line: number) => ({
      path: "lb.tf",
      start_line: line,
      end_line: line,
      annotation_level: "warning" as const,
      message: `line ${line}`,
    });
    const created = await octokit.rest.checks.create({
      owner: "acme",
      repo: "web",
      name: "Changegate",
      head_sha: headSha,
      status: "in_progress",
      output: {
        title: "Evaluating",
        summary: "...",
        annotations: Array.from({ length: 50 }, (_, i) => annotation(i + 1)),
      },
    });
    expect(created.data).toMatchObject({
      name: "Changegate",
      status: "in_progress",
      conclusion: null,
      head_sha: headSha,
    });
    expect(created.data.pull_requests.map((p) => p.number)).toEqual([pull]);
    const updated = await octokit.rest.checks.update({
      owner: "acme",
      repo: "web",
      check_run_id: created.data.id,
      conclusion: "failure",
      output: { title: "High risk", summary: "2 approvals needed", annotations: [annotation(60)] },
    });
    expect(updated.data).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(updated.data.output.annotations_count).toBe(51);
    expect(emu.checkRuns("acme/web", headSha)[0]!.output.annotations).toHaveLength(51);
    const listed = await octokit.rest.checks.listForRef({
      owner: "acme",
      repo: "web",
      ref: "feature/lb",
      check_name: "Changegate",
    });
    expect(listed.data.total_count).toBe(1);
    expect(listed.data.check_runs[0]!.output.title).toBe("High risk");
    const got = await octokit.rest.checks.get({
      owner: "acme",
      repo: "web",
      check_run_id: created.data.id,
    });
    expect(got.data.completed_at).not.toBeNull();
  });

  it("answers permissions, team membership, protection and rules", async () => {
    const perm = async (username: string) =>
      (
        await octokit.rest.repos.getCollaboratorPermissionLevel({
          owner: "acme",
          repo: "web",
          username,
        })
      ).data;
    expect(await perm("bob")).toMatchObject({
      permission: "write",
      role_name: "maintain",
      user: { login: "bob" },
    });
    expect(await perm("tina")).toMatchObject({ permission: "read", role_name: "triage" });
    expect(await perm("alice")).toMatchObject({ permission: "write", role_name: "write" });
    expect(await perm("carol")).toMatchObject({ permission: "read" });
    await expect(perm("nobody-at-all")).rejects.toMatchObject({ status: 404 });

    const member = await octokit.rest.teams.getMembershipForUserInOrg({
      org: "acme",
      team_slug: "sre",
      username: "carol",
    });
    expect(member.data).toMatchObject({ role: "member", state: "active" });
    await expect(
      octokit.rest.teams.getMembershipForUserInOrg({
        org: "acme",
        team_slug: "sre",
        username: "alice",
      }),
    ).rejects.toMatchObject({ status: 404 });
    const members = await octokit.rest.teams.listMembersInOrg({ org: "acme", team_slug: "sre" });
    expect(members.data.map((m) => m.login)).toEqual(["carol"]);

    await expect(
      octokit.rest.repos.getStatusChecksProtection({ owner: "acme", repo: "web", branch: "main" }),
    ).rejects.toMatchObject({ status: 404 });
    emu.setRequiredChecks("acme/web", "main", ["Changegate"]);
    const protection = await octokit.rest.repos.getStatusChecksProtection({
      owner: "acme",
      repo: "web",
      branch: "main",
    });
    expect(protection.data.contexts).toEqual(["Changegate"]);
    emu.setRuleset("acme/web", { requiredChecks: ["Changegate", "ci"] });
    const rules = await octokit.rest.repos.getBranchRules({
      owner: "acme",
      repo: "web",
      branch: "main",
    });
    expect(rules.data).toEqual([
      expect.objectContaining({
        type: "required_status_checks",
        parameters: expect.objectContaining({
          required_status_checks: [{ context: "Changegate" }, { context: "ci" }],
        }),
      }),
    ]);
    expect(
      (
        await octokit.rest.repos.getBranchRules({
          owner: "acme",
          repo: "web",
          branch: "feature/lb",
        })
      ).data,
    ).toEqual([]);
    expect(
      (await octokit.rest.pulls.get({ owner: "acme", repo: "web", pull_number: pull })).data
        .mergeable_state,
    ).toBe("blocked");
  });

  it("reads the repository, its installation, labels and issue events", async () => {
    const repo = await octokit.rest.repos.get({ owner: "acme", repo: "web" });
    expect(repo.data).toMatchObject({
      full_name: "acme/web",
      default_branch: "main",
      private: false,
      owner: { login: "acme", type: "Organization" },
    });
    const app = new Octokit({ baseUrl: emu.url, auth: "header.payload.signature", log: quiet });
    const inst = await app.rest.apps.getRepoInstallation({ owner: "acme", repo: "web" });
    expect(inst.data.account).toMatchObject({ login: "acme" });
    expect((await app.rest.apps.getAuthenticated()).data).toMatchObject({
      id: 1,
      slug: "changegate",
    });

    await emu.addLabel("acme/web", pull, "changegate:emergency", "bob");
    await octokit.rest.issues.addLabels({
      owner: "acme",
      repo: "web",
      issue_number: pull,
      labels: ["infra"],
    });
    await octokit.rest.issues.removeLabel({
      owner: "acme",
      repo: "web",
      issue_number: pull,
      name: "infra",
    });
    await expect(
      octokit.rest.issues.removeLabel({
        owner: "acme",
        repo: "web",
        issue_number: pull,
        name: "infra",
      }),
    ).rejects.toMatchObject({ status: 404 });
    const events = await octokit.rest.issues.listEvents({
      owner: "acme",
      repo: "web",
      issue_number: pull,
    });
    expect(
      events.data.map((e) => [
        e.event,
        e.actor?.login,
        (e as { label?: { name: string } }).label?.name,
      ]),
    ).toEqual([
      ["labeled", "bob", "changegate:emergency"],
      ["labeled", "changegate[bot]", "infra"],
      ["unlabeled", "changegate[bot]", "infra"],
    ]);

    const issue = await octokit.rest.issues.create({
      owner: "acme",
      repo: "web",
      title: "Review emergency merge of #1",
      body: "follow up",
      assignees: ["bob"],
      labels: ["changegate:follow-up"],
    });
    expect(issue.data.assignees?.map((a) => a.login)).toEqual(["bob"]);
    expect(emu.issues("acme/web").map((i) => i.title)).toEqual(["Review emergency merge of #1"]);
  });

  it("merges when the required checks pass", async () => {
    await expect(emu.mergePullRequest("acme/web", pull, "bob")).rejects.toThrow(/Changegate, ci/);
    for (const name of ["Changegate", "ci"])
      await octokit.rest.checks.create({
        owner: "acme",
        repo: "web",
        name,
        head_sha: headSha,
        conclusion: "success",
      });
    const { sha } = await emu.mergePullRequest("acme/web", pull, "bob");
    const merged = (await octokit.rest.pulls.get({ owner: "acme", repo: "web", pull_number: pull }))
      .data;
    expect(merged).toMatchObject({
      state: "closed",
      merged: true,
      merge_commit_sha: sha,
      merged_by: { login: "bob" },
    });
    const main = await octokit.rest.repos.getContent({
      owner: "acme",
      repo: "web",
      path: "lb.tf",
      ref: "main",
      mediaType: { format: "raw" },
    });
    expect(main.data as unknown as string).toBe(LB_AFTER);
    const readme = await octokit.rest.repos.getContent({
      owner: "acme",
      repo: "web",
      path: "README.md",
      ref: "main",
      mediaType: { format: "raw" },
    });
    expect(readme.data as unknown as string).toBe("# web v2\n");
    expect(
      (await octokit.rest.pulls.listFiles({ owner: "acme", repo: "web", pull_number: pull })).data,
    ).toHaveLength(3);
  });

  it("recorded every request and no violations", () => {
    expect(emu.violations).toEqual([]);
    expect(emu.requests.find((r) => r.operationId === "pulls/list-files")).toMatchObject({
      method: "GET",
      path: "/repos/acme/web/pulls/1/files",
      status: 200,
    });
    expect(emu.writes().map((r) => r.operationId)).toContain("checks/update");
  });
});
