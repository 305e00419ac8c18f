/**
 * The pull request's commits past round trip 1's first 100, paged to the end: REST lists at most
 * 250 (https://docs.github.com/rest/pulls/pulls#list-commits-on-a-pull-request), GraphQL's
 * `PullRequest.commits` all of them. A committer past any cut would not count as a contributor,
 * so the list must hold as many commits as the pull request says it has.
 */
import type { GitHubClient, PullLocator } from "../../client.js";
import { requireListedWhole } from "../shared.js";
import {
  COMMIT_FIELDS,
  commitOf,
  type CommitsPage,
  type PullCommit,
  type PullFacts,
} from "./pull-query.js";
import { runGraphql } from "./run.js";

const COMMITS_QUERY = `query ChangegateCommits($owner: String!, $repo: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      commits(first: 100, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { commit { ${COMMIT_FIELDS} } }
      }
    }
  }
}`;

interface CommitsAnswer {
  repository: { pullRequest: { commits: CommitsPage } | null } | null;
}

/** Every commit of the pull request; throws when GitHub cannot list as many as it counts. */
export async function allCommits(
  client: GitHubClient,
  locator: PullLocator,
  facts: Pick<PullFacts, "commits" | "commitCount">,
): Promise<PullCommit[]> {
  const commits = [...facts.commits.items];
  let after = facts.commitCount.endCursor;
  let more = !facts.commits.complete;
  // Bounded by the count: a page that does not advance cannot loop forever.
  for (let pages = 0; more && pages <= facts.commitCount.total / 100 + 1; pages++) {
    const { data, errors } = await runGraphql<CommitsAnswer>(client, COMMITS_QUERY, {
      owner: locator.owner,
      repo: locator.repo,
      number: locator.number,
      after,
    });
    const page = data?.repository?.pullRequest?.commits;
    if (!page || errors.length)
      throw new Error(
        `GraphQL could not list the commits of ${locator.owner}/${locator.repo}#${locator.number}: ${
          errors[0]?.message ?? "no pull request in the answer"
        }`,
      );
    for (const node of page.nodes ?? []) if (node) commits.push(commitOf(node.commit));
    more = page.pageInfo.hasNextPage && page.pageInfo.endCursor !== null;
    after = page.pageInfo.endCursor;
  }
  requireListedWhole("commits", commits.length, facts.commitCount.total);
  return commits;
}
