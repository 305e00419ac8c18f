import { Octokit } from "@octokit/rest";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { startEmulator, type Emulator } from "@changegate/github-emulator";
import type { SnapshotCache } from "../../../src/github/snapshot/cache.js";
import { loadSnapshot, type LoadedPull } from "../../../src/github/snapshot/index.js";

/** One request as the client saw it: sent at `start`, answered at `end` (ms). */
export interface TimedRequest {
  readonly method: string;
  /** The route (`/repos/{owner}/{repo}/contents/{path}`) and the repository asked about. */
  readonly url: string;
  readonly repo: string | undefined;
  readonly graphql: boolean;
  readonly start: number;
  readonly end: number;
}

/** An @octokit/rest client on the emulator that times every request it sends. */
export function timedClient(github: Emulator, login = "carol") {
  const octokit = new Octokit({
    auth: github.userToken(login),
    baseUrl: github.url,
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  const requests: TimedRequest[] = [];
  octokit.hook.wrap("request", async (request, options) => {
    const start = performance.now();
    try {
      return await request(options);
    } finally {
      const url = String(options.url);
      requests.push({
        method: String(options.method),
        url,
        repo: typeof options.repo === "string" ? `${options.owner}/${options.repo}` : undefined,
        graphql: url.endsWith("/graphql"),
        start,
        end: performance.now(),
      });
    }
  });
  return { octokit, requests };
}

/**
 * Sequential round trips: a request is one round trip after every request whose answer had
 * arrived before it was sent (it may have depended on it); requests sent before the previous
 * ones were answered are parallel, in the same round trip. The count is the longest such chain.
 */
export function roundTrips(requests: readonly TimedRequest[]): number {
  const depth = new Map<TimedRequest, number>();
  for (const request of [...requests].sort((a, b) => a.start - b.start)) {
    let level = 1;
    for (const [earlier, d] of depth)
      if (earlier.end <= request.start) level = Math.max(level, d + 1);
    depth.set(request, level);
  }
  return Math.max(0, ...depth.values());
}

export const BOT = "changegate[bot]";

/** Loads a PR through one loader; a GraphQL load that silently fell back to REST fails the test. */
export async function load(
  github: Emulator,
  repo: string,
  number: number,
  via: "graphql" | "rest",
  cache: SnapshotCache | null = null,
): Promise<{ loaded: LoadedPull; requests: TimedRequest[] }> {
  const { octokit, requests } = timedClient(github);
  const [owner, name] = repo.split("/") as [string, string];
  const loaded = await loadSnapshot(octokit, { owner, repo: name, number }, BOT, {
    via,
    cache,
    onFallback: (error) => {
      throw error;
    },
  });
  return { loaded, requests };
}

/**
 * Starts a GitHub emulator for the tests of the file and closes it after them; returns a getter.
 * After each test: every GraphQL query was valid against GitHub's schema and every REST request
 * documented (the violations are then cleared, so that each test answers for its own).
 */
export function useEmulator(): () => Emulator {
  let github: Emulator | undefined;
  const current = (): Emulator => {
    if (!github) throw new Error("useEmulator(): the emulator runs from beforeAll to afterAll");
    return github;
  };
  beforeAll(async () => {
    github = await startEmulator();
  });
  afterAll(async () => {
    await github?.close();
    github = undefined;
  });
  afterEach(() => {
    const violations = [...current().violations];
    current().reset();
    expect(violations).toEqual([]);
  });
  return current;
}
