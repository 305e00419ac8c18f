/** Organization team membership. */
import { HttpError } from "../state/store.js";
import { ok, paginate, str, type HandlerTable, type RestContext } from "./context.js";

function team(ctx: RestContext) {
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
