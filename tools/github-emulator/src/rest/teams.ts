/** Organization team membership. */
import { HttpError, NOT_ACCESSIBLE } from "../state/store.js";
import { ok, paginate, str, type HandlerTable, type RestContext } from "./context.js";

/**
 * A workflow's GITHUB_TOKEN has no organization permissions: GitHub answers every team read
 * with 403 (https://docs.github.com/en/actions/security-for-github-actions/security-guides/automatic-token-authentication#permissions-for-the-github_token).
 */
function team(ctx: RestContext) {
  if (ctx.token?.actionsRepo) throw new HttpError(403, NOT_ACCESSIBLE);
  const found = ctx.state.teams.get(`${str(ctx, "org")}/${str(ctx, "team_slug")}`.toLowerCase());
  if (!found) throw new HttpError(404, "Not Found");
  return found;
}

export const teamsHandlers: HandlerTable = {
  "teams/get-membership-for-user-in-org": (ctx) => {
    const t = team(ctx);
    const login = str(ctx, "username").toLowerCase();
    const entry = [...t.members].find(([m]) => m.toLowerCase() === login);
    if (!entry) throw new HttpError(404, "Not Found");
    return ok({
      url: `${ctx.shapes.links.api}/organizations/${t.org}/team/${t.id}/memberships/${entry[0]}`,
      role: entry[1],
      state: "active",
    });
  },

  "teams/list-members-in-org": (ctx) => {
    const t = team(ctx);
    const role = (ctx.query.role as string | undefined) ?? "all";
    const members = [...t.members]
      .filter(([, r]) => role === "all" || r === role)
      .map(([login]) => login);
    const { items, headers } = paginate(ctx, members);
    return ok(
      items.map((login) => ctx.shapes.user(login)),
      headers,
    );
  },
};
