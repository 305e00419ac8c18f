/** App-level endpoints (JWT-authenticated): the App, installations, tokens, webhook deliveries. */
import { appBySlug, HttpError, nextId, requireRepo, installationFor } from "../state/store.js";
import { created, num, ok, paginate, str, type HandlerTable, type RestContext } from "./context.js";

const TOKEN_LIFETIME_MS = 60 * 60 * 1000;

function installation(ctx: RestContext) {
  const inst = ctx.state.installations.get(num(ctx, "installation_id"));
  if (!inst) throw new HttpError(404, "Not Found");
  return inst;
}

export const appsHandlers: HandlerTable = {
  "apps/get-authenticated": (ctx) => ok(ctx.shapes.integration()),

  /** Public: the emulated App and GitHub Actions (https://docs.github.com/rest/apps/apps#get-an-app). */
  "apps/get-by-slug": (ctx) => {
    const app = appBySlug(ctx.state, str(ctx, "app_slug"));
    if (!app) throw new HttpError(404, "Not Found");
    return ok(ctx.shapes.integration(app));
  },

  "apps/list-installations": (ctx) =>
    ok([...ctx.state.installations.values()].map((i) => ctx.shapes.installation(i))),

  "apps/get-installation": (ctx) => ok(ctx.shapes.installation(installation(ctx))),

  "apps/create-installation-access-token": (ctx) => {
    const inst = installation(ctx);
    const n = nextId(ctx.state, "token");
    const token = `ghs_${n.toString(16).padStart(36, "0")}`;
    const expiresAt = new Date(Date.now() + TOKEN_LIFETIME_MS)
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z");
    ctx.state.tokens.set(token, {
      installationId: inst.id,
      login: ctx.state.app.botLogin,
      expiresAt,
    });
    const permissions =
      (ctx.body as { permissions?: Record<string, string> } | undefined)?.permissions ??
      ctx.shapes.installation(inst).permissions;
    return created({ token, expires_at: expiresAt, permissions, repository_selection: "all" });
  },

  "apps/get-repo-installation": (ctx) => {
    const repo = requireRepo(ctx.state, str(ctx, "owner"), str(ctx, "repo"));
    const id = installationFor(ctx.state, repo.owner);
    const inst = id === null ? undefined : ctx.state.installations.get(id);
    if (!inst) throw new HttpError(404, "Not Found");
    return ok(ctx.shapes.installation(inst));
  },

  /** With an installation token: the repositories of the account the App is installed on. */
  "apps/list-repos-accessible-to-installation": (ctx) => {
    const id = ctx.token?.installationId;
    if (id === null || id === undefined || !ctx.state.installations.has(id))
      throw new HttpError(403, "This endpoint needs an installation access token");
    const repos = [...ctx.state.repos.values()]
      .filter((repo) => installationFor(ctx.state, repo.owner) === id)
      .sort((a, b) => a.id - b.id);
    const { items, headers } = paginate(ctx, repos);
    return ok(
      {
        total_count: repos.length,
        repositories: items.map((repo) => ctx.shapes.repository(repo)),
        repository_selection: "all",
      },
      headers,
    );
  },

  "apps/list-webhook-deliveries": (ctx) => {
    const perPage = Math.min(Math.max(Number(ctx.query.per_page ?? 30) || 30, 1), 100);
    const cursor = ctx.query.cursor === undefined ? Infinity : Number(ctx.query.cursor);
    // `success`: status 200-399; `failure`: 400-599 (unreachable targets are in neither).
    const wanted = ctx.query.status as string | undefined;
    const all = [...ctx.state.deliveries]
      .filter(
        (d) =>
          !wanted ||
          (wanted === "success" && d.statusCode >= 200 && d.statusCode < 400) ||
          (wanted === "failure" && d.statusCode >= 400 && d.statusCode < 600),
      )
      .sort((a, b) => b.id - a.id)
      .filter((d) => d.id < cursor);
    const page = all.slice(0, perPage);
    const headers: Record<string, string> = {};
    if (all.length > perPage) {
      const next = new URL(ctx.url);
      next.searchParams.set("per_page", String(perPage));
      next.searchParams.set("cursor", String(page[page.length - 1]?.id));
      headers.link = `<${next.toString()}>; rel="next"`;
    }
    return ok(
      page.map((d) => ctx.shapes.deliveryItem(d)),
      headers,
    );
  },

  "apps/get-webhook-delivery": (ctx) => {
    const delivery = ctx.state.deliveries.find((d) => d.id === num(ctx, "delivery_id"));
    if (!delivery) throw new HttpError(404, "Not Found");
    return ok(ctx.shapes.delivery(delivery));
  },

  "apps/redeliver-webhook-delivery": (ctx) => {
    const id = num(ctx, "delivery_id");
    if (!ctx.state.deliveries.some((d) => d.id === id)) throw new HttpError(404, "Not Found");
    ctx.services.redeliver(id);
    return { status: 202, body: {} };
  },
};
