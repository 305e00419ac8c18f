/** Repository reads: the repository, contents, commits, comparisons, permissions, protection, rules. */
import { HttpError, findUser, legacyPermission, requireRepo, roleOf } from "../state/store.js";
import {
  ancestors,
  commitsBetween,
  diffTrees,
  mergeBase,
  resolveRef,
  blobSha,
  treeSha,
} from "../state/git.js";
import { rulesetsFor } from "../state/queries.js";
import type { Commit, Permission, Repository } from "../state/types.js";
import { nodeId } from "./shapes/common.js";
import { ok, paginate, str, type HandlerTable, type RestContext } from "./context.js";

function repoOf(ctx: RestContext): Repository {
  return requireRepo(ctx.state, str(ctx, "owner"), str(ctx, "repo"));
}

function commitAt(
  repo: Repository,
  ref: string,
  message = `No commit found for the ref ${ref}`,
): Commit {
  const sha = resolveRef(repo, ref);
  const commit = sha ? repo.commits.get(sha) : undefined;
  if (!commit) throw new HttpError(404, message);
  return commit;
}

function branchTip(repo: Repository, branch: string): string {
  const sha = repo.branches.get(branch);
  if (!sha) throw new HttpError(404, "Branch not found");
  return sha;
}

function wantsRaw(ctx: RestContext): boolean {
  const accept = String(ctx.headers.accept ?? "");
  return /application\/vnd\.github(\.v3)?\.raw/.test(accept);
}

const ROLE_FLAGS: Record<Permission, string[]> = {
  admin: ["admin", "maintain", "push", "triage", "pull"],
  maintain: ["maintain", "push", "triage", "pull"],
  write: ["push", "triage", "pull"],
  triage: ["triage", "pull"],
  read: ["pull"],
};

function permissionFlags(role: Permission | null): Record<string, boolean> {
  const flags = new Set(role ? ROLE_FLAGS[role] : []);
  return Object.fromEntries(
    ["admin", "maintain", "push", "triage", "pull"].map((k) => [k, flags.has(k)]),
  );
}

export const reposHandlers: HandlerTable = {
  "repos/get": (ctx) => ok(ctx.shapes.fullRepository(repoOf(ctx))),

  "repos/get-content": (ctx) => {
    const repo = repoOf(ctx);
    const ref = (ctx.query.ref as string | undefined) ?? repo.defaultBranch;
    const commit = commitAt(repo, ref);
    const path = str(ctx, "path").replace(/^\/+|\/+$/g, "");
    const content = commit.tree.get(path);
    if (content !== undefined) {
      if (wantsRaw(ctx)) return { status: 200, text: content };
      return ok(ctx.shapes.contentFile(repo, path, content, ref));
    }
    const prefix = path === "" ? "" : `${path}/`;
    const entries = new Map<string, { type: "file" | "dir"; size: number; sha: string }>();
    for (const [file, text] of commit.tree) {
      if (!file.startsWith(prefix)) continue;
      const rest = file.slice(prefix.length);
      const slash = rest.indexOf("/");
      if (slash === -1)
        entries.set(rest, { type: "file", size: Buffer.byteLength(text), sha: blobSha(text) });
      else if (!entries.has(rest.slice(0, slash))) {
        const dir = `${prefix}${rest.slice(0, slash)}`;
        const subtree = new Map([...commit.tree].filter(([p]) => p.startsWith(`${dir}/`)));
        entries.set(rest.slice(0, slash), { type: "dir", size: 0, sha: treeSha(subtree) });
      }
    }
    if (entries.size === 0) throw new HttpError(404, "Not Found");
    return ok(
      [...entries]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, e]) =>
          ctx.shapes.contentEntry(repo, `${prefix}${name}`, e.type, ref, e.sha, e.size),
        ),
    );
  },

  // Who moved which branch (https://docs.github.com/en/rest/repos/repos#list-repository-activities):
  // newest first unless `direction=asc`, filtered by `ref` (a branch or `refs/heads/…`),
  // `activity_type` and `actor`, paged by cursor (`after` / `before` are activity ids here).
  "repos/list-activities": (ctx) => {
    const repo = repoOf(ctx);
    const perPage = Math.min(Math.max(Number(ctx.query.per_page ?? 30) || 30, 1), 100);
    const ref = (ctx.query.ref as string | undefined)?.replace(/^refs\/heads\//, "");
    const type = ctx.query.activity_type as string | undefined;
    const actor = (ctx.query.actor as string | undefined)?.toLowerCase();
    const asc = ctx.query.direction === "asc";
    const after = ctx.query.after === undefined ? undefined : Number(ctx.query.after);
    const all = [...(repo.activities ?? [])]
      .filter(
        (a) =>
          (!ref || a.branch === ref) &&
          (!type || a.type === type) &&
          (!actor || a.actor?.toLowerCase() === actor),
      )
      .sort((a, b) => (asc ? a.id - b.id : b.id - a.id))
      .filter((a) => after === undefined || (asc ? a.id > after : a.id < after));
    const page = all.slice(0, perPage);
    const headers: Record<string, string> = {};
    if (all.length > perPage) {
      const next = new URL(ctx.url);
      next.searchParams.set("per_page", String(perPage));
      next.searchParams.set("after", String(page[page.length - 1]?.id));
      headers.link = `<${next.toString()}>; rel="next"`;
    }
    return ok(
      page.map((a) => ({
        id: a.id,
        node_id: nodeId("RepositoryActivity", a.id),
        before: a.before,
        after: a.after,
        ref: `refs/heads/${a.branch}`,
        timestamp: a.timestamp,
        activity_type: a.type,
        actor: a.actor ? ctx.shapes.user(a.actor) : null,
      })),
      headers,
    );
  },

  // Newest first from `sha` (default: the default branch); `author` is a login or an email address,
  // as GitHub filters it (https://docs.github.com/en/rest/commits/commits#list-commits).
  "repos/list-commits": (ctx) => {
    const repo = repoOf(ctx);
    const ref = (ctx.query.sha as string | undefined) ?? repo.defaultBranch;
    const tip = commitAt(repo, ref, `No commit found for SHA: ${ref}`);
    const author = (ctx.query.author as string | undefined)?.toLowerCase();
    const commits = [...ancestors(repo, tip.sha)]
      .sort((a, b) => a[1] - b[1])
      .map(([sha]) => repo.commits.get(sha)!)
      .filter(
        (commit) =>
          !author ||
          commit.author.login?.toLowerCase() === author ||
          commit.author.email.toLowerCase() === author,
      );
    const { items, headers } = paginate(ctx, commits);
    return ok(
      items.map((commit) => ctx.shapes.commit(repo, commit)),
      headers,
    );
  },

  "repos/get-commit": (ctx) => {
    const repo = repoOf(ctx);
    const commit = commitAt(repo, str(ctx, "ref"), `No commit found for SHA: ${str(ctx, "ref")}`);
    const parent = commit.parents[0] ? repo.commits.get(commit.parents[0]) : undefined;
    const changes = diffTrees(parent?.tree ?? new Map(), commit.tree);
    const { items } = paginate(ctx, changes, { maxTotal: 3000 });
    return ok(
      ctx.shapes.commit(
        repo,
        commit,
        items.map((c) => ctx.shapes.diffEntry(repo, c, commit.sha)),
      ),
    );
  },

  "repos/compare-commits": (ctx) => {
    const repo = repoOf(ctx);
    const stripOwner = (ref: string) => ref.replace(/^[^:/]+:/, "");
    const base = commitAt(repo, stripOwner(str(ctx, "base")), "Not Found");
    const head = commitAt(repo, stripOwner(str(ctx, "head")), "Not Found");
    const baseSha = mergeBase(repo, base.sha, head.sha);
    if (!baseSha)
      throw new HttpError(
        404,
        `No common ancestor between ${str(ctx, "base")} and ${str(ctx, "head")}.`,
      );
    const mb = repo.commits.get(baseSha) as Commit;
    const ahead = commitsBetween(repo, base.sha, head.sha);
    const behind = commitsBetween(repo, head.sha, base.sha);
    const status =
      ahead.length === 0 && behind.length === 0
        ? "identical"
        : behind.length === 0
          ? "ahead"
          : ahead.length === 0
            ? "behind"
            : "diverged";
    const changes = diffTrees(mb.tree, head.tree);
    const api = `${ctx.shapes.links.api}/repos/${repo.fullName}`;
    const html = `${ctx.shapes.links.html}/${repo.fullName}`;
    const spec = `${str(ctx, "base")}...${str(ctx, "head")}`;
    const { items: commits } = paginate(ctx, ahead, { maxTotal: 250 });
    return ok({
      url: `${api}/compare/${spec}`,
      html_url: `${html}/compare/${spec}`,
      permalink_url: `${html}/compare/${repo.owner}:${base.sha.slice(0, 7)}...${repo.owner}:${head.sha.slice(0, 7)}`,
      diff_url: `${html}/compare/${spec}.diff`,
      patch_url: `${html}/compare/${spec}.patch`,
      base_commit: ctx.shapes.commit(repo, base),
      merge_base_commit: ctx.shapes.commit(repo, mb),
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: commits.map((c) => ctx.shapes.commit(repo, c)),
      // "up to 300 changed files for the entire comparison", with no sign of the cut:
      // https://docs.github.com/rest/commits/commits#compare-two-commits
      files: changes.slice(0, 300).map((c) => ctx.shapes.diffEntry(repo, c, head.sha)),
    });
  },

  "repos/get-collaborator-permission-level": (ctx) => {
    const repo = repoOf(ctx);
    const user = findUser(ctx.state, str(ctx, "username"));
    if (!user) throw new HttpError(404, `${str(ctx, "username")} is not a user`);
    const role = roleOf(ctx.state, repo, user.login);
    const permission = legacyPermission(role, repo.private);
    const roleName = role ?? permission;
    return ok({
      permission,
      role_name: roleName,
      user: {
        ...ctx.shapes.user(user.login),
        permissions: permissionFlags(role ?? (permission === "read" ? "read" : null)),
        role_name: roleName,
      },
    });
  },

  "repos/list-collaborators": (ctx) => {
    const repo = repoOf(ctx);
    const logins = [
      repo.owner,
      ...[...repo.collaborators.keys()].filter((l) => l.toLowerCase() !== repo.owner.toLowerCase()),
    ];
    const collaborators = logins.filter(
      (login) => findUser(ctx.state, login)?.type !== "Organization",
    );
    const { items, headers } = paginate(ctx, collaborators);
    return ok(
      items.map((login) => {
        const role = roleOf(ctx.state, repo, login);
        return {
          ...ctx.shapes.user(login),
          permissions: permissionFlags(role),
          role_name: role ?? "read",
        };
      }),
      headers,
    );
  },

  "repos/get-branch": (ctx) => {
    const repo = repoOf(ctx);
    const branch = str(ctx, "branch");
    const commit = repo.commits.get(branchTip(repo, branch)) as Commit;
    const api = `${ctx.shapes.links.api}/repos/${repo.fullName}/branches/${encodeURIComponent(branch)}`;
    const protection = repo.protection.get(branch);
    return ok({
      name: branch,
      commit: ctx.shapes.commit(repo, commit),
      _links: { html: `${ctx.shapes.links.html}/${repo.fullName}/tree/${branch}`, self: api },
      protected: Boolean(protection),
      protection: protection
        ? {
            enabled: true,
            required_status_checks: {
              enforcement_level: "non_admins",
              contexts: protection.contexts,
              checks: protection.contexts.map((context) => ({ context, app_id: null })),
              strict: protection.strict,
            },
          }
        : {
            enabled: false,
            required_status_checks: { enforcement_level: "off", contexts: [], checks: [] },
          },
      protection_url: `${api}/protection`,
    });
  },

  "repos/get-status-checks-protection": (ctx) => {
    const repo = repoOf(ctx);
    const branch = str(ctx, "branch");
    branchTip(repo, branch);
    const protection = repo.protection.get(branch);
    if (!protection) throw new HttpError(404, "Required status checks not enabled");
    const url = `${ctx.shapes.links.api}/repos/${repo.fullName}/branches/${encodeURIComponent(branch)}/protection/required_status_checks`;
    return ok({
      url,
      strict: protection.strict,
      contexts: protection.contexts,
      checks: protection.contexts.map((context) => ({ context, app_id: null })),
      contexts_url: `${url}/contexts`,
    });
  },

  "repos/get-branch-rules": (ctx) => {
    const repo = repoOf(ctx);
    const rules = rulesetsFor(repo, str(ctx, "branch")).map((r) => ({
      type: "required_status_checks",
      parameters: {
        required_status_checks: r.requiredChecks.map((context) => ({ context })),
        strict_required_status_checks_policy: r.strict,
        do_not_enforce_on_create: false,
      },
      ruleset_source_type: "Repository",
      ruleset_source: repo.fullName,
      ruleset_id: r.id,
    }));
    const { items, headers } = paginate(ctx, rules);
    return ok(items, headers);
  },

  "git/get-ref": (ctx) => {
    const repo = repoOf(ctx);
    const ref = str(ctx, "ref").replace(/^refs\//, "");
    const branch = ref.startsWith("heads/") ? ref.slice("heads/".length) : undefined;
    const sha = branch ? repo.branches.get(branch) : undefined;
    if (!sha) throw new HttpError(404, "Not Found");
    const api = `${ctx.shapes.links.api}/repos/${repo.fullName}`;
    return ok({
      ref: `refs/${ref}`,
      node_id: Buffer.from(`Ref:${repo.id}:${ref}`).toString("base64"),
      url: `${api}/git/refs/${ref}`,
      object: { type: "commit", sha, url: `${api}/git/commits/${sha}` },
    });
  },
};
