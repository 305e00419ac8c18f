/**
 * Creating the state and the small lookups every other part shares: ids,
 * the logical clock, users, repositories, pull requests, permissions.
 */
import type {
  AppInfo,
  EmulatorState,
  Issue,
  Permission,
  PullRequest,
  Repository,
  TokenInfo,
  User,
  UserType,
} from "./types.js";

/** Ids start at different bases per kind so they are never confused in a test. */
const ID_BASES: Record<string, number> = {
  user: 1000,
  repo: 500_000,
  installation: 40_000,
  issue: 4_000_000,
  comment: 1_000_000,
  review: 2_000_000,
  reviewComment: 2_500_000,
  checkRun: 3_000_000,
  label: 5_000_000,
  event: 6_000_000,
  delivery: 7_000_000,
  reaction: 8_000_000,
  activity: 9_000_000,
  workflowRun: 11_000_000,
  workflow: 12_000,
  team: 100,
  ruleset: 10,
  token: 0,
  guid: 0,
};

/** 2024-01-01T00:00:00Z */
const DEFAULT_EPOCH = Date.UTC(2024, 0, 1) / 1000;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: unknown[],
  ) {
    super(message);
  }
}

export function createState(app: {
  id: number;
  slug: string;
  name: string;
  owner: string;
}): EmulatorState {
  const info: AppInfo = { ...app, botLogin: `${app.slug}[bot]` };
  const state: EmulatorState = {
    app: info,
    users: new Map(),
    installations: new Map(),
    repos: new Map(),
    teams: new Map(),
    deliveries: [],
    tokens: new Map(),
    counters: new Map(),
    clock: { epoch: DEFAULT_EPOCH, seconds: 0 },
  };
  ensureUser(state, app.owner, "Organization");
  ensureUser(state, info.botLogin, "Bot");
  return state;
}

export function nextId(state: EmulatorState, kind: keyof typeof ID_BASES): number {
  const n = (state.counters.get(kind) ?? 0) + 1;
  state.counters.set(kind, n);
  return (ID_BASES[kind] ?? 0) + n;
}

/** Advances the logical clock by one second and returns the new time. */
export function now(state: EmulatorState): string {
  state.clock.seconds += 1;
  return isoSeconds(state.clock.epoch + state.clock.seconds);
}

/** The current time without advancing the clock. */
export function currentTime(state: EmulatorState): string {
  return isoSeconds(state.clock.epoch + state.clock.seconds);
}

function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Returns the user, creating it on first mention (`name[bot]` logins are Bots). */
export function ensureUser(state: EmulatorState, login: string, type?: UserType): User {
  const key = login.toLowerCase();
  let user = state.users.get(key);
  if (!user) {
    const resolved: UserType = type ?? (login.endsWith("[bot]") ? "Bot" : "User");
    user = { login, id: nextId(state, "user"), type: resolved, name: null, email: null };
    state.users.set(key, user);
  } else if (type && user.type !== type) {
    user.type = type;
  }
  return user;
}

/**
 * GitHub Actions, the App behind every workflow's GITHUB_TOKEN: its id and slug on github.com.
 * Comments a workflow writes are by `github-actions[bot]`, and its check runs carry this App
 * (https://docs.github.com/en/actions/security-for-github-actions/security-guides/automatic-token-authentication).
 */
export const GITHUB_ACTIONS: AppInfo = {
  id: 15368,
  slug: "github-actions",
  name: "GitHub Actions",
  owner: "github",
  botLogin: "github-actions[bot]",
};

/** GitHub's answer when a GITHUB_TOKEN (or an App lacking a permission) asks for what it may not. */
export const NOT_ACCESSIBLE = "Resource not accessible by integration";

/** The App a request writes as: GitHub Actions for a workflow token, else the emulated App. */
export function appOfToken(state: EmulatorState, token: TokenInfo | undefined): AppInfo {
  return token?.actionsRepo ? GITHUB_ACTIONS : state.app;
}

/** The Apps `GET /apps/{app_slug}` knows: the emulated App and GitHub Actions. */
export function appBySlug(state: EmulatorState, slug: string): AppInfo | undefined {
  return [state.app, GITHUB_ACTIONS].find((app) => app.slug.toLowerCase() === slug.toLowerCase());
}

/** GitHub's account on the commits it makes for someone in the web UI. */
export const WEB_FLOW = "web-flow";

export function findUser(state: EmulatorState, login: string): User | undefined {
  return state.users.get(login.toLowerCase());
}

export function repoKey(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}

export function findRepo(
  state: EmulatorState,
  owner: string,
  name: string,
): Repository | undefined {
  return state.repos.get(repoKey(owner, name));
}

/** For REST handlers: 404 when the repository does not exist. */
export function requireRepo(state: EmulatorState, owner: string, name: string): Repository {
  const repo = findRepo(state, owner, name);
  if (!repo) throw new HttpError(404, "Not Found");
  return repo;
}

/** For the scenario API: `"owner/name"` or a repository; throws a plain Error when missing. */
export function repoByName(state: EmulatorState, fullName: string | Repository): Repository {
  if (typeof fullName !== "string") return fullName;
  const [owner, name] = fullName.split("/");
  const repo = owner && name ? findRepo(state, owner, name) : undefined;
  if (!repo) throw new Error(`emulator: no repository ${fullName}`);
  return repo;
}

export function findIssue(repo: Repository, number: number): Issue | PullRequest | undefined {
  return repo.issues.get(number);
}

export function requireIssue(repo: Repository, number: number): Issue | PullRequest {
  const issue = repo.issues.get(number);
  if (!issue) throw new HttpError(404, "Not Found");
  return issue;
}

export function requirePull(repo: Repository, number: number): PullRequest {
  const pull = repo.issues.get(number);
  if (!pull || pull.kind !== "pull") throw new HttpError(404, "Not Found");
  return pull;
}

export function pullByNumber(repo: Repository, number: number): PullRequest {
  const pull = repo.issues.get(number);
  if (!pull || pull.kind !== "pull")
    throw new Error(`emulator: no pull request #${number} in ${repo.fullName}`);
  return pull;
}

export function installationFor(state: EmulatorState, account: string): number | null {
  for (const inst of state.installations.values())
    if (inst.account.toLowerCase() === account.toLowerCase()) return inst.id;
  return null;
}

/** The role a user has on a repository (owner: admin), or null. */
export function roleOf(state: EmulatorState, repo: Repository, login: string): Permission | null {
  if (login.toLowerCase() === repo.owner.toLowerCase()) return "admin";
  for (const [name, perm] of repo.collaborators)
    if (name.toLowerCase() === login.toLowerCase()) return perm;
  return null;
}

/** Legacy base permission (`maintain` -> `write`, `triage` -> `read`). */
export function legacyPermission(
  role: Permission | null,
  isPrivate: boolean,
): "admin" | "write" | "read" | "none" {
  switch (role) {
    case "admin":
      return "admin";
    case "maintain":
    case "write":
      return "write";
    case "triage":
    case "read":
      return "read";
    default:
      return isPrivate ? "none" : "read";
  }
}

export function isOrgMember(state: EmulatorState, org: string, login: string): boolean {
  for (const team of state.teams.values()) {
    if (
      team.org.toLowerCase() === org.toLowerCase() &&
      [...team.members.keys()].some((m) => m.toLowerCase() === login.toLowerCase())
    )
      return true;
  }
  return false;
}

export function authorAssociation(
  state: EmulatorState,
  repo: Repository,
  login: string,
): "OWNER" | "MEMBER" | "COLLABORATOR" | "NONE" {
  if (login.toLowerCase() === repo.owner.toLowerCase()) return "OWNER";
  if (isOrgMember(state, repo.owner, login)) return "MEMBER";
  if (roleOf(state, repo, login)) return "COLLABORATOR";
  return "NONE";
}
