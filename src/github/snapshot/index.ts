import type { GitHubClient, PullLocator } from "../client.js";
import { sharedSnapshotCache, SnapshotCache, withContentCache } from "./cache.js";
import { loadSnapshotGraphql } from "./graphql/loader.js";
import { loadSnapshotRest } from "./rest.js";
import { IncompleteSnapshot, type LoadContext, type LoadedPull } from "./shared.js";

export { IncompleteSnapshot, stateSeal } from "./shared.js";
export type { LoadedPull, StickyComment } from "./shared.js";

export interface LoadOptions extends LoadContext {
  /** `graphql` (default): batched reads, REST where GraphQL cannot answer; `rest`: REST only. */
  readonly via?: "graphql" | "rest";
  /** Files at commits and merge bases; default the process-wide cache, null: this load only. */
  readonly cache?: SnapshotCache | null;
  /** Told when the GraphQL loader failed and the REST loader answered instead. */
  readonly onFallback?: (error: unknown) => void;
}

/**
 * Loads everything one evaluation needs, eagerly and once: the PR, its files at the merge base
 * and the head, the unchanged infrastructure files beside them at the head (context), reviews with each reviewer's permission, commits, revisions at reviewed commits,
 * teams, CODEOWNERS (and the accounts of the emails it names) and the policy from the base branch,
 * label events, the head branch's push record, the sticky comment.
 * GraphQL batches it into two round trips (./graphql/loader.ts); when GraphQL fails, the REST
 * loader (./rest.ts) gives the same snapshot. Unchanged files come from the cache.
 */
export async function loadSnapshot(
  client: GitHubClient,
  locator: PullLocator,
  botLogin?: string,
  options: LoadOptions = {},
): Promise<LoadedPull> {
  const cache =
    options.cache === undefined ? sharedSnapshotCache() : (options.cache ?? new SnapshotCache());
  const cached = withContentCache(client, cache);
  if ((options.via ?? "graphql") === "graphql") {
    try {
      return await loadSnapshotGraphql(cached, locator, botLogin, cache, options);
    } catch (error) {
      // What GitHub will not show is not shown over REST either: fail closed now. So is a policy
      // that cannot be known (`PolicySourceError`: an unreadable `_extends`, both spellings).
      if (error instanceof IncompleteSnapshot) throw error;
      options.onFallback?.(error);
    }
  }
  return loadSnapshotRest(cached, locator, botLogin, options);
}
