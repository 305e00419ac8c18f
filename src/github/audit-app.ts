/**
 * `changegate audit --all` as the App: its JWT, its identity, and every repository of every
 * installation with an installation token for each (docs/audit.md).
 */
import { createSign, type KeyObject } from "node:crypto";
import type { GitHubClient } from "./client.js";
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
  /** Acts with the installation's token. */
  readonly client: GitHubClient;
}

/**
 * Every repository of every installation (GET /app/installations, then an installation token
 * each and GET /installation/repositories), in name order.
 */
export async function installedRepositories(
  appClient: GitHubClient,
  clientWithToken: (token: string) => GitHubClient,
): Promise<InstalledRepository[]> {
  const installations = await appClient.paginate("GET /app/installations", { per_page: 100 });
  const out: InstalledRepository[] = [];
  for (const installation of installations) {
    const { data } = await appClient.request(
      "POST /app/installations/{installation_id}/access_tokens",
      { installation_id: installation.id },
    );
    const client = clientWithToken(data.token);
    const repositories = await client.paginate("GET /installation/repositories", {
      per_page: 100,
    });
    for (const repository of repositories) out.push({ repository: repository.full_name, client });
  }
  return out.sort((a, b) => a.repository.localeCompare(b.repository));
}
