/** `Query.repository`: the repository, its refs, objects, pull requests and collaborators. */
import { nodeId } from "../rest/shapes/common.js";
import { findRepo, findUser, isOrgMember, roleOf } from "../state/store.js";
import type { Repository } from "../state/types.js";
import { actorNode, userNode } from "./actors.js";
import { connection, type ConnectionArgs, type Node } from "./connection.js";
import type { ResolveContext, Resolver } from "./context.js";
import { notFound } from "./errors.js";
import { objectAt } from "./git-objects.js";
import { pullRequestNode } from "./pull-request.js";
import { refByName, refNode } from "./refs.js";

export function repositoryByName(ctx: ResolveContext, owner: string, name: string): Node {
  const repo = findRepo(ctx.state, owner, name);
  if (!repo) throw notFound(`Could not resolve to a Repository with the name '${owner}/${name}'.`);
  return repositoryNode(ctx, repo);
}

type CollaboratorArgs = ConnectionArgs & {
  readonly affiliation?: "ALL" | "DIRECT" | "OUTSIDE" | null;
  readonly login?: string | null;
  readonly query?: string | null;
};

function repositoryNode(ctx: ResolveContext, repo: Repository): Node {
  const pullRequest: Resolver<{ number: number }> = ({ number }) => {
    const pr = repo.issues.get(number);
    if (!pr || pr.kind !== "pull")
      throw notFound(`Could not resolve to a PullRequest with the number of ${number}.`);
    return pullRequestNode(ctx, repo, pr);
  };
  const object: Resolver<{ expression?: string | null; oid?: string | null }> = (args) =>
    objectAt(ctx, repo, args);
  const ref: Resolver<{ qualifiedName: string }> = ({ qualifiedName }) =>
    refByName(ctx, repo, qualifiedName);
  // The owner (admin) and the collaborators, with their role, as REST lists them.
  const collaborators: Resolver<CollaboratorArgs> = (args, _c, info) => {
    const logins = [
      repo.owner,
      ...[...repo.collaborators.keys()].filter((l) => l.toLowerCase() !== repo.owner.toLowerCase()),
    ].filter((login) => findUser(ctx.state, login)?.type !== "Organization");
    const query = args.query?.toLowerCase();
    const chosen = logins
      .filter((login) => !args.login || login.toLowerCase() === args.login.toLowerCase())
      .filter((login) => !query || login.toLowerCase().includes(query))
      .filter(
        (login) => args.affiliation !== "OUTSIDE" || !isOrgMember(ctx.state, repo.owner, login),
      )
      .map((login) => ({ login, role: roleOf(ctx.state, repo, login) ?? "read" }));
    return connection(
      info,
      chosen,
      args,
      ({ login }) => userNode(ctx, login),
      ({ role }) => ({ permission: role.toUpperCase(), permissionSources: [] }),
    );
  };
  return {
    __typename: "Repository",
    id: nodeId("Repository", repo.id),
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: repo.fullName,
    isPrivate: repo.private,
    visibility: repo.private ? "PRIVATE" : "PUBLIC",
    url: `${ctx.links.html}/${repo.fullName}`,
    resourcePath: `/${repo.fullName}`,
    createdAt: repo.createdAt,
    pushedAt: repo.pushedAt,
    owner: () => actorNode(ctx, repo.owner),
    defaultBranchRef: () => refNode(ctx, repo, repo.defaultBranch),
    ref,
    object,
    pullRequest,
    collaborators,
  };
}
