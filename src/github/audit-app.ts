/**
 * `changegate audit --all` as the App: its JWT, its identity, and every repository of every
 * installation with an installation token for each (docs/audit.md).
 */
import { createSign, type KeyObject } from "node:crypto";
import { describeError, type GitHubClient } from "./client.js";
import type { TrustedApp } from "./audit.js";

const base64url = (data: string | Buffer): string => Buffer.from(data).toString("base64url");

/**
 * The App's JWT, RS256: issued 60 s in the past against clock drift, expiring after 9 minutes
 * (at most 10 are allowed), issuer the App's id
 * (https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app).
 */
export function appJwt(appId: string, key: KeyObject, nowMs: number = Date.now()): string {
  const now = Math.floor(nowMs / 1000);
  const header = base64url(JSON.stringify({ alg: "RS256", typ: "JWT" }));
  const payload = base64url(JSON.stringify({ iat: now - 60, exp: now + 9 * 60, iss: appId }));
  const signature = createSign("RSA-SHA256").update(`${header}.${payload}`).sign(key);
  return `${header}.${payload}.${base64url(signature)}`;
}

/** The App the JWT authenticates as (GET /app). */
export async function authenticatedApp(appClient: GitHubClient): Promise<TrustedApp> {
  const { data } = await appClient.request("GET /app");
  if (!data?.slug) throw new Error("GET /app answered without the App's slug");
  return { id: data.id, slug: data.slug };
}

export interface InstalledRepository {
  readonly repository: string;
  /** Acts with the installation's token (minted again before it expires). */
  readonly client: GitHubClient;
}

/** An installation whose repositories cannot be listed (suspended, or its token refused). */
export interface UnreadableInstallation {
  readonly installation: string;
  readonly reason: string;
}

/**
 * Installation tokens last an hour
 * (https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app): a
 * long audit mints a new one when less than this is left.
 */
const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * The installation's token, minted on first use and again when it is about to expire (its
 * `expires_at`), each time with a fresh App JWT from `appClient` (a JWT lasts 10 minutes at most).
 */
export function installationToken(
  appClient: () => GitHubClient,
  installationId: number,
  now: () => number = Date.now,
): () => Promise<string> {
  let current: { readonly token: string; readonly expiresAt: number } | undefined;
  return async () => {
    if (!current || current.expiresAt - now() < TOKEN_REFRESH_MARGIN_MS) {
      const { data } = await appClient().request(
        "POST /app/installations/{installation_id}/access_tokens",
        { installation_id: installationId },
      );
      current = { token: data.token, expiresAt: Date.parse(data.expires_at) };
    }
    return current.token;
  };
}

/**
 * Every repository of every installation (GET /app/installations, then GET
 * /installation/repositories with each installation's token), in name order. An installation that
 * cannot be read is named in `unreadable`, never skipped silently.
 */
export async function installedRepositories(
  appClient: () => GitHubClient,
  clientWithToken: (token: () => Promise<string>) => GitHubClient,
  now: () => number = Date.now,
): Promise<{ repositories: InstalledRepository[]; unreadable: UnreadableInstallation[] }> {
  const installations = await appClient().paginate("GET /app/installations", { per_page: 100 });
  const repositories: InstalledRepository[] = [];
  const unreadable: UnreadableInstallation[] = [];
  for (const installation of installations) {
    const client = clientWithToken(installationToken(appClient, installation.id, now));
    try {
      const listed = await client.paginate("GET /installation/repositories", { per_page: 100 });
      for (const repository of listed)
        repositories.push({ repository: repository.full_name, client });
    } catch (error) {
      const account =
        installation.account && "login" in installation.account
          ? ` (${installation.account.login})`
          : "";
      unreadable.push({
        installation: `installation ${installation.id}${account}`,
        reason: describeError(error),
      });
    }
  }
  repositories.sort((a, b) => a.repository.localeCompare(b.repository));
  return { repositories, unreadable };
}
