/** Branches (`Ref`): their target, the protection non-admins see, ruleset rules, comparisons. */
import { nodeId } from "../rest/shapes/common.js";
import { commitsBetween, mergeBase, resolveRef } from "../state/git.js";
import { rulesetsFor } from "../state/queries.js";
import type { Repository, Ruleset } from "../state/types.js";
import { connection, type ConnectionArgs, type Node } from "./connection.js";
import type { ResolveContext, Resolver } from "./context.js";
import { commitNode } from "./git-objects.js";

/** `refs/heads/main` or `main`; the emulator has branches only (no tags). */
export function refByName(ctx: ResolveContext, repo: Repository, name: string): Node | null {
  return refNode(ctx, repo, name.replace(/^refs\/heads\//, ""));
}

export function refNode(ctx: ResolveContext, repo: Repository, branch: string): Node | null {
  const tip = repo.branches.get(branch);
  if (!tip) return null;
  const protection = repo.protection.get(branch);
  const rules: Resolver<ConnectionArgs> = (args, _ctx, info) =>
    connection(info, rulesetsFor(repo, branch), args, ruleNode);
  const compare: Resolver<{ headRef: string }> = ({ headRef }) => {
    const head = resolveRef(repo, headRef.replace(/^refs\/heads\//, ""));
    const base = repo.branches.get(branch);
    if (!head || !base || !mergeBase(repo, base, head)) return null;
    const ahead = commitsBetween(repo, base, head);
    const behind = commitsBetween(repo, head, base);
    const status =
      ahead.length === 0 && behind.length === 0
        ? "IDENTICAL"
        : behind.length === 0
          ? "AHEAD"
          : ahead.length === 0
            ? "BEHIND"
            : "DIVERGED";
    const commits: Resolver<ConnectionArgs> = (args, _c, info) =>
      connection(info, ahead, args, (commit) => commitNode(ctx, repo, commit));
    return {
      __typename: "Comparison",
      id: nodeId("Comparison", `${base}...${head}`),
      aheadBy: ahead.length,
      behindBy: behind.length,
      status,
      baseTarget: () => commitNode(ctx, repo, repo.commits.get(base)!),
      headTarget: () => commitNode(ctx, repo, repo.commits.get(head)!),
      commits,
    };
  };
  return {
    __typename: "Ref",
    id: nodeId("Ref", `${repo.id}:refs/heads/${branch}`),
    name: branch,
    prefix: "refs/heads/",
    target: () => commitNode(ctx, repo, repo.commits.get(tip)!),
    // What branch protection shows to anyone who can read the repository.
    refUpdateRule: protection
      ? {
          pattern: branch,
          requiredStatusCheckContexts: [...protection.contexts],
          requiredApprovingReviewCount: null,
          requiresCodeOwnerReviews: false,
          requiresConversationResolution: false,
          requiresLinearHistory: false,
          requiresSignatures: false,
          allowsDeletions: false,
          allowsForcePushes: false,
          blocksCreations: false,
          viewerAllowedToDismissReviews: false,
          viewerCanPush: true,
        }
      : null,
    rules,
    compare,
  };
}

/** The emulator's rulesets hold one rule each: required status checks. */
function ruleNode(ruleset: Ruleset): Node {
  return {
    __typename: "RepositoryRule",
    id: nodeId("RepositoryRule", ruleset.id),
    type: "REQUIRED_STATUS_CHECKS",
    parameters: {
      __typename: "RequiredStatusChecksParameters",
      requiredStatusChecks: ruleset.requiredChecks.map((context) => ({
        context,
        integrationId: null,
      })),
      strictRequiredStatusChecksPolicy: ruleset.strict,
      doNotEnforceOnCreate: false,
    },
  };
}
