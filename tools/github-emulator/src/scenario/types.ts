/** Options of the scenario API. */
import type { Repository } from "../state/types.js";

export type RepoRef = string | Repository;

export interface Identity {
  login?: string;
  name?: string;
  email?: string;
}

/** Who makes a commit: a login (author = committer) or explicit people. */
export type CommitAuthor =
  string | { author: string | Identity; committer?: string | Identity; message?: string };

export interface CreateRepoOptions {
  defaultBranch?: string;
  files?: Record<string, string>;
  private?: boolean;
  ownerType?: "User" | "Organization";
  /** Install the App on the owner (default true). */
  installed?: boolean;
  /** Author of the initial commit (default: the owner). */
  author?: string;
}

export interface OpenPullRequestOptions {
  head: string;
  base?: string;
  author: string;
  title?: string;
  body?: string;
  draft?: boolean;
  labels?: string[];
}

export interface ReviewOptions {
  user: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED";
  body?: string;
  /** The reviewed commit (default: the current head). */
  commitId?: string;
}

export interface RulesetOptions {
  name?: string;
  /** Branch patterns (default `~DEFAULT_BRANCH`). */
  include?: string[];
  exclude?: string[];
  requiredChecks: string[];
  strict?: boolean;
  enforcement?: "active" | "evaluate" | "disabled";
}
