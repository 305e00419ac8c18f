/** Users, organizations, the App (integration) and its installations. */
import { ensureUser, GITHUB_ACTIONS } from "../../state/store.js";
import type { AppInfo, Installation } from "../../state/types.js";
import { APP_EVENTS, APP_PERMISSIONS, nodeId, type Json } from "./common.js";
import type { Shapes } from "./index.js";

export function user(s: Shapes, login: string): Json {
  const user = ensureUser(s.state, login);
  const api = `${s.links.api}/users/${encodeURIComponent(user.login)}`;
  const html =
    user.type === "Bot"
      ? `${s.links.html}/apps/${user.login.replace(/\[bot\]$/, "")}`
      : `${s.links.html}/${user.login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type, user.id),
    avatar_url: `${s.links.html}/avatars/u/${user.id}?v=4`,
    gravatar_id: "",
    url: api,
    html_url: html,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    user_view_type: "public",
    site_admin: false,
    ...(user.name !== null ? { name: user.name } : {}),
    ...(user.email !== null ? { email: user.email } : {}),
  };
}

export function organization(s: Shapes, login: string): Json {
  const user = ensureUser(s.state, login, "Organization");
  const api = `${s.links.api}/orgs/${user.login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId("Organization", user.id),
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `${s.links.html}/avatars/u/${user.id}?v=4`,
    description: null,
  };
}

/** What GitHub Actions is granted in a workflow (the most a GITHUB_TOKEN can be given). */
const ACTIONS_PERMISSIONS = {
  actions: "write",
  checks: "write",
  contents: "write",
  deployments: "write",
  issues: "write",
  metadata: "read",
  packages: "write",
  pages: "write",
  pull_requests: "write",
  statuses: "write",
} as const;
const ACTIONS_EVENTS = [
  "check_run",
  "check_suite",
  "issue_comment",
  "pull_request",
  "pull_request_review",
  "push",
  "repository_dispatch",
  "workflow_dispatch",
  "workflow_run",
];

/** The `integration` schema of the emulated App, or of GitHub Actions (`GITHUB_ACTIONS`). */
export function integration(s: Shapes, app: AppInfo = s.state.app): Json {
  if (app.slug === GITHUB_ACTIONS.slug) {
    ensureUser(s.state, app.owner, "Organization");
    return {
      id: app.id,
      slug: app.slug,
      node_id: nodeId("Integration", app.id),
      owner: s.user(app.owner),
      name: app.name,
      description: "Automate your workflow from idea to production",
      external_url: "https://help.github.com/en/actions",
      html_url: `${s.links.html}/apps/${app.slug}`,
      created_at: "2018-07-30T09:30:17Z",
      updated_at: "2019-12-10T19:04:12Z",
      permissions: { ...ACTIONS_PERMISSIONS },
      events: [...ACTIONS_EVENTS],
    };
  }
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("Integration", app.id),
    client_id: `Iv1.emulator${app.id}`,
    owner: s.user(app.owner),
    name: app.name,
    description: `${app.name} (local GitHub emulator)`,
    external_url: `${s.links.html}/apps/${app.slug}`,
    html_url: `${s.links.html}/apps/${app.slug}`,
    created_at: "2024-01-01T00:00:00Z",
    updated_at: "2024-01-01T00:00:00Z",
    permissions: { ...APP_PERMISSIONS },
    events: [...APP_EVENTS],
    installations_count: s.state.installations.size,
  };
}

export function installation(s: Shapes, inst: Installation): Json {
  const account = ensureUser(s.state, inst.account);
  return {
    id: inst.id,
    account: s.user(inst.account),
    repository_selection: "all",
    access_tokens_url: `${s.links.api}/app/installations/${inst.id}/access_tokens`,
    repositories_url: `${s.links.api}/installation/repositories`,
    html_url: `${s.links.html}/settings/installations/${inst.id}`,
    app_id: s.state.app.id,
    app_slug: s.state.app.slug,
    target_id: account.id,
    target_type: account.type === "Organization" ? "Organization" : "User",
    permissions: { ...APP_PERMISSIONS },
    events: [...APP_EVENTS],
    created_at: inst.createdAt,
    updated_at: inst.createdAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}
