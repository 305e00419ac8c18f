/**
 * Scenario setup: users, installations, repositories, collaborators, teams,
 * protection rules and commits. Nothing here delivers a webhook.
 */
import { applyChanges, writeCommit, type FileChanges } from "../state/git.js";
import { ensureUser, installationFor, nextId, now, repoByName, repoKey } from "../state/store.js";
import type {
  EmulatorState,
  GitPerson,
  Permission,
  Repository,
  Team,
  User,
  UserType,
} from "../state/types.js";
import type { Shapes } from "../rest/shapes/index.js";
import type { WebhookSender } from "../webhooks/deliver.js";
import type {
  CommitAuthor,
  CreateRepoOptions,
  Identity,
  RepoRef,
  RulesetOptions,
} from "./types.js";

export class ScenarioSetup {
  constructor(
    readonly state: EmulatorState,
    protected readonly shapes: Shapes,
    protected readonly sender: WebhookSender,
  ) {}

  addUser(login: string, options: { type?: UserType; name?: string; email?: string } = {}): User {
    const user = ensureUser(this.state, login, options.type);
    if (options.name !== undefined) user.name = options.name;
    if (options.email !== undefined) user.email = options.email;
    return user;
  }

  /** Installs the App on an account (idempotent); returns the installation id. */
  addInstallation(account: string): number {
    const existing = installationFor(this.state, account);
    if (existing !== null) return existing;
    const id = nextId(this.state, "installation");
    this.state.installations.set(id, { id, account, createdAt: now(this.state) });
    return id;
  }

  createRepo(fullName: string, options: CreateRepoOptions = {}): Repository {
    const [owner, name] = fullName.split("/");
    if (!owner || !name)
      throw new Error(`emulator: repository name must be owner/name, got ${fullName}`);
    if (this.state.repos.has(repoKey(owner, name)))
      throw new Error(`emulator: repository ${fullName} exists`);
    const ownerUser = ensureUser(this.state, owner, options.ownerType);
    const at = now(this.state);
    const repo: Repository = {
      id: nextId(this.state, "repo"),
      owner: ownerUser.login,
      name,
      fullName: `${ownerUser.login}/${name}`,
      private: options.private ?? false,
      defaultBranch: options.defaultBranch ?? "main",
      createdAt: at,
      pushedAt: at,
      branches: new Map(),
      commits: new Map(),
      issues: new Map(),
      nextNumber: 1,
      comments: new Map(),
      reviews: new Map(),
      checkRuns: new Map(),
      collaborators: new Map(),
      labels: new Map(),
      issueEvents: [],
      protection: new Map(),
      rulesets: [],
    };
    this.state.repos.set(repoKey(owner, name), repo);
    const author = options.author ?? (ownerUser.type === "Organization" ? `${owner}-admin` : owner);
    const commit = writeCommit(repo, {
      parents: [],
      tree: new Map(Object.entries(options.files ?? {})),
      author: this.person(author, at),
      committer: this.person(author, at),
      message: "Initial commit",
    });
    repo.branches.set(repo.defaultBranch, commit.sha);
    if (options.installed !== false) this.addInstallation(ownerUser.login);
    return repo;
  }

  addCollaborator(repo: RepoRef, login: string, permission: Permission = "write"): void {
    ensureUser(this.state, login);
    repoByName(this.state, repo).collaborators.set(login, permission);
  }

  /** `"org/slug"`; members as logins (role member) or login -> role. */
  addTeam(
    team: string,
    members: string[] | Record<string, "member" | "maintainer">,
    options: { name?: string } = {},
  ): Team {
    const [org, slug] = team.split("/");
    if (!org || !slug) throw new Error(`emulator: team must be org/slug, got ${team}`);
    ensureUser(this.state, org, "Organization");
    const entries = Array.isArray(members)
      ? members.map((m) => [m, "member"] as const)
      : Object.entries(members);
    for (const [login] of entries) ensureUser(this.state, login);
    const key = team.toLowerCase();
    const existing = this.state.teams.get(key);
    const value: Team = existing ?? {
      id: nextId(this.state, "team"),
      org,
      slug,
      name: options.name ?? slug,
      members: new Map(),
    };
    for (const [login, role] of entries) value.members.set(login, role);
    this.state.teams.set(key, value);
    return value;
  }

  setRequiredChecks(
    repo: RepoRef,
    branch: string,
    contexts: string[],
    options: { strict?: boolean } = {},
  ): void {
    const r = repoByName(this.state, repo);
    if (contexts.length === 0) r.protection.delete(branch);
    else r.protection.set(branch, { contexts: [...contexts], strict: options.strict ?? false });
  }

  setRuleset(repo: RepoRef, options: RulesetOptions): number {
    const r = repoByName(this.state, repo);
    const id = nextId(this.state, "ruleset");
    r.rulesets.push({
      id,
      name: options.name ?? `ruleset-${id}`,
      enforcement: options.enforcement ?? "active",
      include: options.include ?? ["~DEFAULT_BRANCH"],
      exclude: options.exclude ?? [],
      requiredChecks: [...options.requiredChecks],
      strict: options.strict ?? false,
    });
    return id;
  }

  /** Commits to a branch (created from the default branch when missing). No webhook. */
  commit(repo: RepoRef, branch: string, changes: FileChanges, who: CommitAuthor): string {
    const r = repoByName(this.state, repo);
    const parent = r.branches.get(branch) ?? (r.branches.get(r.defaultBranch) as string);
    const at = now(this.state);
    const spec = typeof who === "string" ? { author: who } : who;
    const commit = writeCommit(r, {
      parents: [parent],
      tree: applyChanges(r.commits.get(parent)?.tree ?? new Map(), changes),
      author: this.person(spec.author, at),
      committer: this.person(spec.committer ?? spec.author, at),
      message: spec.message ?? `Update ${Object.keys(changes).join(", ")}`,
    });
    const pusher = typeof who === "string" ? who : (spec.committer ?? spec.author);
    this.moveBranch(
      r,
      branch,
      commit.sha,
      typeof pusher === "string" ? pusher : (pusher.login ?? null),
    );
    return commit.sha;
  }

  protected person(who: string | Identity, date: string): GitPerson {
    if (typeof who === "string") {
      const user = ensureUser(this.state, who);
      return {
        name: user.name ?? user.login,
        email: user.email ?? `${user.id}+${user.login}@users.noreply.emulator.invalid`,
        date,
        login: user.login,
      };
    }
    const user = who.login ? ensureUser(this.state, who.login) : undefined;
    const person: GitPerson = {
      name: who.name ?? user?.name ?? user?.login ?? "Unknown",
      email:
        who.email ??
        user?.email ??
        (user
          ? `${user.id}+${user.login}@users.noreply.emulator.invalid`
          : "unknown@emulator.invalid"),
      date,
    };
    if (user) person.login = user.login;
    return person;
  }

  protected moveBranch(
    repo: Repository,
    branch: string,
    sha: string,
    actor: string | null = null,
    type: "push" | "pr_merge" = "push",
  ): void {
    const before = repo.branches.get(branch);
    repo.branches.set(branch, sha);
    repo.pushedAt = now(this.state);
    (repo.activities ??= []).push({
      id: nextId(this.state, "activity"),
      branch,
      before: before ?? "0".repeat(40),
      after: sha,
      actor,
      timestamp: repo.pushedAt,
      type: before === undefined ? "branch_creation" : type,
    });
    for (const issue of repo.issues.values()) {
      if (issue.kind !== "pull" || issue.state !== "open") continue;
      if (issue.base.ref === branch) issue.base.sha = sha;
      if (issue.head.ref === branch) issue.head.sha = sha;
    }
  }
}
