/**
 * The merge base predicted from the pull request's commits, so the files at the merge base can be
 * asked for in the same round trip as the head's. GraphQL has no merge-base field (`Comparison`
 * has none); REST's compare, sent in parallel, confirms the prediction.
 */

export interface GraphCommit {
  readonly oid: string;
  /** Null when GraphQL listed only some of the parents. */
  readonly parents: readonly string[] | null;
}

/** How many candidates are worth reading files at when the history alone cannot decide. */
const MAX_CANDIDATES = 3;

/**
 * Candidates for the merge base of the base branch's `baseOid` and `tipOid` (the head, or a
 * reviewed commit), given the commits of the pull request (reachable from the head, not from the
 * base). Every common ancestor of the two is an ancestor of a "boundary" commit: a parent, outside
 * the pull request, of a pull-request commit `tipOid` reaches. One boundary is the merge base; so
 * is the base tip itself when it is a boundary (the base was merged in). Otherwise the boundaries
 * are candidates (the caller reads files at each and lets REST decide), and [] means unknown.
 */
export function mergeBaseCandidates(
  commits: readonly GraphCommit[],
  complete: boolean,
  baseOid: string,
  tipOid: string,
): string[] {
  if (!complete) return [];
  const byOid = new Map(commits.map((commit) => [commit.oid, commit]));
  if (!byOid.has(tipOid)) return commits.length === 0 ? [tipOid] : [];
  const boundary = new Set<string>();
  const seen = new Set<string>();
  const queue = [tipOid];
  while (queue.length) {
    const commit = byOid.get(queue.pop()!)!;
    if (seen.has(commit.oid)) continue;
    seen.add(commit.oid);
    if (!commit.parents) return [];
    for (const parent of commit.parents) {
      if (byOid.has(parent)) queue.push(parent);
      else boundary.add(parent);
    }
  }
  if (boundary.has(baseOid)) return [baseOid];
  return boundary.size <= MAX_CANDIDATES ? [...boundary] : [];
}
