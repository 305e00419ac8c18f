/**
 * Access changes re-evaluate open pull requests (issue 10, item 15). Who counts as an approver is
 * read at evaluation time (a reviewer's permission, team membership), so an approver who loses
 * write access, leaves a team or the organization would stay counted until some PR event came.
 * These events say that someone's access changed; every open PR the change can reach is queued
 * for evaluation, through the same per-PR queue as every other event:
 *
 * - `member` (a collaborator added, removed, or their permission edited) and `team_add` /
 *   `team.added_to_repository` / `team.removed_from_repository`: that repository's PRs;
 * - `membership` (someone joined or left a team), `team` edits and deletions, and `organization`
 *   `member_added` / `member_removed`: every repository of the installation, since a policy's
 *   `teams` and CODEOWNERS may name any team of the organization.
 *
 * Event payloads: https://docs.github.com/en/webhooks/webhook-events-and-payloads (member,
 * membership, organization, team, team_add); a GitHub App receives each of the five with read
 * access to the "Members" organization permission, which app.yml asks for (`members: read`).
 *
 * The handler only schedules: listing the PRs is I/O, done after the delivery is answered (GitHub
 * records a delivery as failed after 10 s). A listing that fails is logged; the recovery sweep
 * and the next PR event still re-evaluate.
 */
import type { Probot } from "probot";
import { describeError, type GitHubClient, type PullLocator } from "./client.js";
import { openPulls } from "./pull-state.js";
import type { GateRequest } from "./triggers.js";

export interface AccessDeps {
  installationClient(installationId: number): Promise<GitHubClient>;
  /** Enqueues an evaluation through the per-PR queue the webhook handlers use. */
  evaluate(installationId: number, locator: PullLocator, request: GateRequest): void;
  readonly log: { error: (obj: object, msg?: string) => void };
}

/** The open PRs an access change can reach: in one repository, or in every one installed. */
export type AccessScope =
  | { readonly kind: "repository"; readonly owner: string; readonly repo: string }
  | { readonly kind: "installation" };

export interface AccessEvents {
  /** Resolves when every scheduled listing has queued its evaluations. */
  idle(): Promise<void>;
}

interface AccessPayload {
  action?: string;
  installation?: { id?: number };
  repository?: { name: string; owner: { login: string } };
  member?: { login?: string };
  membership?: { user?: { login?: string } | null };
  team?: { slug?: string };
}

/** Which PRs an event reaches; null: the event changes nobody's access (an invitation, a rename). */
function accessScope(event: string, payload: AccessPayload): AccessScope | null {
  const action = payload.action ?? "";
  const inRepository: AccessScope | null = payload.repository
    ? { kind: "repository", owner: payload.repository.owner.login, repo: payload.repository.name }
    : null;
  switch (event) {
    case "member":
    case "team_add":
      return inRepository;
    case "team":
      if (action === "added_to_repository" || action === "removed_from_repository")
        return inRepository ?? { kind: "installation" };
      return action === "created" ? null : { kind: "installation" };
    case "membership":
      return { kind: "installation" };
    case "organization":
      return action === "member_added" || action === "member_removed"
        ? { kind: "installation" }
        : null;
    default:
      return null;
  }
}

export function registerAccessEvents(app: Probot, deps: AccessDeps): AccessEvents {
  const pending = new Set<Promise<void>>();
  app.on(["member", "membership", "organization", "team", "team_add"], async (context) => {
    const payload = context.payload as AccessPayload;
    const installationId = payload.installation?.id;
    const scope = accessScope(context.name, payload);
    if (!scope || installationId === undefined) return;
    const who =
      payload.member?.login ?? payload.membership?.user?.login ?? payload.team?.slug ?? "someone";
    const reason = `access changed: ${context.name}${payload.action ? `.${payload.action}` : ""} (${who})`;
    const work = reevaluate(deps, installationId, scope, reason).finally(() =>
      pending.delete(work),
    );
    pending.add(work);
  });
  return {
    idle: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

/** Queues an evaluation of every open PR in the scope. Never rejects. */
async function reevaluate(
  deps: AccessDeps,
  installationId: number,
  scope: AccessScope,
  reason: string,
): Promise<void> {
  let client: GitHubClient;
  let repositories: { owner: string; repo: string }[];
  try {
    client = await deps.installationClient(installationId);
    repositories =
      scope.kind === "repository"
        ? [{ owner: scope.owner, repo: scope.repo }]
        : (
            (await client.paginate("GET /installation/repositories", { per_page: 100 })) as {
              name: string;
              owner: { login: string };
              archived?: boolean;
            }[]
          )
            .filter((repository) => !repository.archived)
            .map((repository) => ({ owner: repository.owner.login, repo: repository.name }));
  } catch (error) {
    deps.log.error(
      { installationId, reason: describeError(error) },
      "access change: listing failed",
    );
    return;
  }
  for (const { owner, repo } of repositories) {
    try {
      for (const pull of await openPulls(client, { owner, repo }))
        deps.evaluate(
          installationId,
          { owner, repo, number: pull.number },
          { reason, headSha: pull.head.sha },
        );
    } catch (error) {
      deps.log.error(
        { repository: `${owner}/${repo}`, reason: describeError(error) },
        "access change: could not list open pull requests",
      );
    }
  }
}
