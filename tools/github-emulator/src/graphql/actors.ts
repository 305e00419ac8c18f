/** Actors (users, bots, organizations) and organization teams. */
import { nodeId } from "../rest/shapes/common.js";
import { ensureUser, findUser, NOT_ACCESSIBLE } from "../state/store.js";
import type { Team, User } from "../state/types.js";
import { connection, type ConnectionArgs, type Node } from "./connection.js";
import type { ResolveContext, Resolver } from "./context.js";
import { forbidden, notFound } from "./errors.js";

/** GitHub's GraphQL names an App's bot without the `[bot]` suffix its REST API shows. */
const shownLogin = (user: User): string =>
  user.type === "Bot" ? user.login.replace(/\[bot\]$/, "") : user.login;

function accountFields(ctx: ResolveContext, user: User, typename: string): Node {
  const login = shownLogin(user);
  const path = user.type === "Bot" ? `/apps/${login}` : `/${login}`;
  return {
    __typename: typename,
    id: nodeId(typename, user.id),
    databaseId: user.id,
    login,
    name: user.name,
    url: `${ctx.links.html}${path}`,
    resourcePath: path,
    avatarUrl: () => `${ctx.links.html}/avatars/u/${user.id}?v=4`,
  };
}

/** A `User` (GitActor.user, collaborators, team members). */
export function userNode(ctx: ResolveContext, login: string): Node {
  const user = ensureUser(ctx.state, login);
  return { ...accountFields(ctx, user, "User"), email: user.email ?? "" };
}

/** An `Actor`: `User`, `Bot` or `Organization`; null for no one (a deleted account). */
export function actorNode(ctx: ResolveContext, login: string | null | undefined): Node | null {
  if (!login) return null;
  const user = ensureUser(ctx.state, login);
  switch (user.type) {
    case "Bot":
      return accountFields(ctx, user, "Bot");
    case "Organization":
      return organizationNode(ctx, user);
    case "User":
      return userNode(ctx, user.login);
  }
}

function organizationNode(ctx: ResolveContext, org: User): Node {
  const team: Resolver<{ slug: string }> = ({ slug }) => {
    // GitHub nulls `team` with a FORBIDDEN error for a GITHUB_TOKEN (no organization permissions).
    if (ctx.actionsToken) throw forbidden(NOT_ACCESSIBLE);
    const found = ctx.state.teams.get(`${org.login}/${slug}`.toLowerCase());
    return found ? teamNode(ctx, org, found) : null;
  };
  return { ...accountFields(ctx, org, "Organization"), team };
}

/** `Query.organization(login)`: NOT_FOUND for a user or an unknown login, as GitHub answers. */
export function organizationByLogin(ctx: ResolveContext, login: string): Node {
  const user = findUser(ctx.state, login);
  if (!user || user.type !== "Organization")
    throw notFound(`Could not resolve to an Organization with the login of '${login}'.`);
  return organizationNode(ctx, user);
}

type MembersArgs = ConnectionArgs & {
  readonly membership?: "ALL" | "IMMEDIATE" | "CHILD_TEAM" | null;
  readonly role?: "MAINTAINER" | "MEMBER" | null;
  readonly query?: string | null;
};

function teamNode(ctx: ResolveContext, org: User, team: Team): Node {
  // The emulator has no child teams: ALL and IMMEDIATE are the same members, CHILD_TEAM none.
  const members: Resolver<MembersArgs> = (args, _ctx, info) => {
    const query = args.query?.toLowerCase();
    const entries = [...team.members].filter(
      ([login, role]) =>
        args.membership !== "CHILD_TEAM" &&
        (!args.role || args.role === role.toUpperCase()) &&
        (!query || login.toLowerCase().includes(query)),
    );
    return connection(
      info,
      entries,
      args,
      ([login]) => userNode(ctx, login),
      ([, role]) => ({ role: role.toUpperCase() }),
    );
  };
  return {
    __typename: "Team",
    id: nodeId("Team", team.id),
    databaseId: team.id,
    slug: team.slug,
    name: team.name,
    combinedSlug: `${org.login}/${team.slug}`,
    organization: () => organizationNode(ctx, org),
    url: `${ctx.links.html}/orgs/${org.login}/teams/${team.slug}`,
    members,
  };
}
