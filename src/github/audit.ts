/**
 * What `changegate audit` reads from GitHub for one repository: its pull requests merged in a
 * range, and for each the trusted App's check run on the head and the comments that hold a merge
 * record, with their edit history (docs/audit.md). The judging is pure (render/audit.ts).
 */
import { CHECK_NAME } from "../shared/names.js";
import type { AuditActor, AuditCheckRun, AuditComment, MergedPull } from "../render/audit.js";
import type { GitHubClient } from "./client.js";
import { pullsUpdatedSince } from "./pull-state.js";

/** The App whose check runs and bot are trusted. */
export interface TrustedApp {
  readonly id: number;
  readonly slug: string;
}

export interface MergedRange {
  /** Inclusive, epoch milliseconds. */
  readonly since: number;
  /** Inclusive, epoch milliseconds; undefined: up to now. */
  readonly until?: number | undefined;
}

interface ListedPull {
  number: number;
  title: string;
  user: { login: string } | null;
  updated_at: string;
  merged_at: string | null;
  merge_commit_sha: string | null;
  head: { sha: string };
}

/**
 * The pull requests merged in `range`, oldest merge first: among the closed ones updated since
 * `range.since` (a merge after it would have updated the pull request). `onPage` is told how many
 * closed pull requests have been listed so far.
 */
export async function mergedPulls(
  client: GitHubClient,
  repository: string,
  range: MergedRange,
  { perPage = 100, onPage }: { perPage?: number; onPage?: (found: number) => void } = {},
): Promise<MergedPull[]> {
  const [owner, repo] = repository.split("/") as [string, string];
  const found: MergedPull[] = [];
  const listed = await pullsUpdatedSince<ListedPull>(
    client,
    { owner, repo },
    "closed",
    range.since,
    {
      perPage,
      ...(onPage ? { onPage } : {}),
    },
  );
  for (const pull of listed) {
    const mergedAt = pull.merged_at ? Date.parse(pull.merged_at) : NaN;
    if (Number.isNaN(mergedAt) || mergedAt < range.since) continue;
    if (range.until !== undefined && mergedAt > range.until) continue;
    found.push({
      repository,
      number: pull.number,
      title: pull.title,
      author: pull.user?.login ?? null,
      mergedAt: pull.merged_at!,
      mergedBy: null,
      mergeCommitSha: pull.merge_commit_sha,
      headSha: pull.head.sha,
    });
  }
  return found.sort((a, b) => a.mergedAt.localeCompare(b.mergedAt) || a.number - b.number);
}

/** The trusted App's latest `Changegate` run on `headSha`, or null. */
export async function trustedCheckRun(
  client: GitHubClient,
  repository: string,
  headSha: string,
  app: TrustedApp,
): Promise<AuditCheckRun | null> {
  const [owner, repo] = repository.split("/") as [string, string];
  const { data } = await client.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
    owner,
    repo,
    ref: headSha,
    check_name: CHECK_NAME,
    app_id: app.id,
    filter: "latest",
    per_page: 100,
  });
  // The filter is GitHub's; the run's own `app` is checked again (a run names the App that made it).
  const run = data.check_runs.find(
    (candidate) =>
      candidate.app?.id === app.id &&
      candidate.app.slug === app.slug &&
      candidate.head_sha === headSha,
  );
  if (!run) return null;
  return {
    id: Number(run.id),
    status: run.status,
    conclusion: run.conclusion ?? null,
    title: run.output?.title ?? null,
    text: `${run.output?.summary ?? ""}\n${run.output?.text ?? ""}`,
  };
}

const COMMENT_FIELDS = `
  databaseId
  body
  author { __typename login }
  editor { __typename login }
  lastEditedAt
  userContentEdits(first: 100) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { editedAt editor { __typename login } }
  }`;

const COMMENTS_QUERY = `query AuditComments($owner: String!, $name: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      mergedBy { login }
      comments(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { id ${COMMENT_FIELDS} }
      }
    }
  }
}`;

const EDITS_QUERY = `query AuditCommentEdits($id: ID!, $after: String) {
  node(id: $id) {
    ... on IssueComment {
      userContentEdits(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { editedAt editor { __typename login } }
      }
    }
  }
}`;

type GraphActor = { __typename: string; login: string } | null;
interface EditsPage {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: ({ editedAt: string; editor: GraphActor } | null)[];
}
interface GraphComment {
  id: string;
  databaseId: number;
  body: string;
  author: GraphActor;
  editor: GraphActor;
  lastEditedAt: string | null;
  userContentEdits: EditsPage | null;
}
interface CommentsAnswer {
  repository: {
    pullRequest: {
      mergedBy: { login: string } | null;
      comments: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: GraphComment[];
      };
    } | null;
  } | null;
}

const MARKER = "<!-- changegate:merge-record";

/**
 * Who merged the pull request, and its comments that hold a merge-record block with every editor
 * GitHub keeps for them (`editor` and `userContentEdits`,
 * https://docs.github.com/en/graphql/reference/objects#issuecomment), all pages.
 */
export async function recordComments(
  client: GitHubClient,
  repository: string,
  number: number,
): Promise<{ mergedBy: string | null; comments: AuditComment[] }> {
  const [owner, name] = repository.split("/") as [string, string];
  const comments: AuditComment[] = [];
  let mergedBy: string | null;
  let after: string | null = null;
  for (;;) {
    const answer: CommentsAnswer = await client.graphql<CommentsAnswer>(COMMENTS_QUERY, {
      owner,
      name,
      number,
      after,
    });
    const pull = answer.repository?.pullRequest;
    if (!pull) throw new Error(`GraphQL: ${repository}#${number} not found`);
    mergedBy = pull.mergedBy?.login ?? null;
    for (const comment of pull.comments.nodes) {
      if (!comment.body.includes(MARKER)) continue;
      comments.push(await withEditors(client, comment));
    }
    if (!pull.comments.pageInfo.hasNextPage) break;
    after = pull.comments.pageInfo.endCursor;
  }
  return { mergedBy, comments };
}

async function withEditors(client: GitHubClient, comment: GraphComment): Promise<AuditComment> {
  const editors: (AuditActor | null)[] = [];
  if (comment.lastEditedAt !== null || comment.editor !== null) editors.push(actor(comment.editor));
  let page = comment.userContentEdits;
  while (page) {
    for (const edit of page.nodes) if (edit) editors.push(actor(edit.editor));
    if (!page.pageInfo.hasNextPage) break;
    const answer: { node: { userContentEdits: EditsPage | null } | null } = await client.graphql(
      EDITS_QUERY,
      { id: comment.id, after: page.pageInfo.endCursor },
    );
    page = answer.node?.userContentEdits ?? null;
  }
  return {
    id: comment.databaseId,
    body: comment.body,
    author: actor(comment.author),
    editors,
  };
}

const actor = (node: GraphActor): AuditActor | null =>
  node ? { login: node.login, type: node.__typename } : null;

/** The App named by its slug (GET /apps/{slug}; public). */
export async function appBySlug(
  client: GitHubClient,
  slug: string,
): Promise<TrustedApp | undefined> {
  try {
    const { data } = await client.request("GET /apps/{app_slug}", { app_slug: slug });
    if (!data) return undefined;
    return { id: data.id, slug: data.slug ?? slug };
  } catch (error) {
    if ((error as { status?: unknown }).status === 404) return undefined;
    throw error;
  }
}
