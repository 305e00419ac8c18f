/** Derived facts about pull requests and branches, computed from the state. */
import { commitsBetween, diffTrees, mergeBase, type TreeChange } from "./git.js";
import type { CheckRun, Commit, PullRequest, Repository, Ruleset } from "./types.js";

function commitOf(repo: Repository, sha: string): Commit {
  const commit = repo.commits.get(sha);
  if (!commit) throw new Error(`emulator: unknown commit ${sha} in ${repo.fullName}`);
  return commit;
}

/** The pull request's merge base: base tip (as last synchronized) with head. */
export function pullMergeBase(repo: Repository, pr: PullRequest): string {
  return mergeBase(repo, pr.base.sha, pr.head.sha) ?? pr.base.sha;
}

/** Files changed by the pull request (merge base -> head), GitHub's "Files changed". */
export function pullChanges(repo: Repository, pr: PullRequest): TreeChange[] {
  return diffTrees(commitOf(repo, pullMergeBase(repo, pr)).tree, commitOf(repo, pr.head.sha).tree);
}

export function pullCommits(repo: Repository, pr: PullRequest): Commit[] {
  return commitsBetween(repo, pr.base.sha, pr.head.sha);
}

function globToRegex(glob: string): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*" && glob[i + 1] === "*") {
      out += ".*";
      i++;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else out += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

function patternMatches(repo: Repository, pattern: string, branch: string): boolean {
  if (pattern === "~ALL") return true;
  if (pattern === "~DEFAULT_BRANCH") return branch === repo.defaultBranch;
  return globToRegex(pattern.replace(/^refs\/heads\//, "")).test(branch);
}

/** Active rulesets whose conditions include the branch. */
export function rulesetsFor(repo: Repository, branch: string): Ruleset[] {
  return repo.rulesets.filter(
    (r) =>
      r.enforcement === "active" &&
      r.include.some((p) => patternMatches(repo, p, branch)) &&
      !r.exclude.some((p) => patternMatches(repo, p, branch)),
  );
}

/** Status check contexts required to merge into `branch` (branch protection and rulesets). */
export function requiredContexts(repo: Repository, branch: string): string[] {
  const contexts = new Set(repo.protection.get(branch)?.contexts ?? []);
  for (const ruleset of rulesetsFor(repo, branch))
    for (const c of ruleset.requiredChecks) contexts.add(c);
  return [...contexts];
}

/** The most recent check run per name for a commit. */
export function latestCheckRuns(repo: Repository, sha: string): CheckRun[] {
  const byName = new Map<string, CheckRun>();
  for (const run of repo.checkRuns.values()) {
    if (run.headSha !== sha) continue;
    const seen = byName.get(run.name);
    if (!seen || run.id > seen.id) byName.set(run.name, run);
  }
  return [...byName.values()];
}

const PASSING = new Set(["success", "neutral", "skipped"]);

/** Required contexts that have no passing check run on the head commit. */
export function missingChecks(repo: Repository, pr: PullRequest): string[] {
  const latest = new Map(latestCheckRuns(repo, pr.head.sha).map((r) => [r.name, r]));
  return requiredContexts(repo, pr.base.ref).filter((context) => {
    const run = latest.get(context);
    return !run || run.status !== "completed" || !PASSING.has(run.conclusion ?? "");
  });
}

export function mergeableState(repo: Repository, pr: PullRequest): string {
  if (pr.state !== "open") return "unknown";
  if (pr.draft) return "draft";
  if (missingChecks(repo, pr).length > 0) return "blocked";
  return "clean";
}
