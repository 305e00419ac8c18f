/**
 * Suggested fixes as GitHub suggestions: one review per head (issue 14, part 4).
 * PLACEHOLDER wired by the integrator; the suggestions work replaces this body.
 */
import type { Evaluation } from "../gates/verdict.js";
import type { GitHubClient, PullLocator } from "./client.js";
import type { GateDeps } from "./run-gate.js";
import type { LoadedPull } from "./snapshot/index.js";

export async function publishSuggestions(
  _client: GitHubClient,
  _locator: PullLocator,
  _loaded: LoadedPull,
  _evaluation: Evaluation,
  _deps: { readonly botLogin: string; readonly log: GateDeps["log"] },
): Promise<void> {}
