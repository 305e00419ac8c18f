/** Git objects: commits, trees, tree entries and blobs, read from the full-snapshot commits. */
import { nodeId } from "../rest/shapes/common.js";
import { blobSha, diffTrees, resolveRef, treeSha } from "../state/git.js";
import { findUser, WEB_FLOW } from "../state/store.js";
import type { Commit, GitPerson, Repository } from "../state/types.js";
import { userNode } from "./actors.js";
import { connection, type ConnectionArgs, type Node } from "./connection.js";
import type { ResolveContext, Resolver } from "./context.js";

const BLOB_MODE = 0o100644;
const TREE_MODE = 0o040000;

export function blobNode(ctx: ResolveContext, repo: Repository, content: string): Node {
  const oid = blobSha(content);
  // Git's own heuristic: a NUL byte makes a file binary; GitHub then gives no text.
  const isBinary = content.includes("\u0000");
  return {
    __typename: "Blob",
    id: nodeId("Blob", oid),
    oid,
    abbreviatedOid: oid.slice(0, 7),
    byteSize: Buffer.byteLength(content, "utf8"),
    isBinary,
    isTruncated: false,
    text: isBinary ? null : content,
    commitUrl: `${ctx.links.html}/${repo.fullName}`,
  };
}

/** The subtree of `dir` ("" for the root) as full paths, or undefined when there is none. */
function subtree(commit: Commit, dir: string): Map<string, string> | undefined {
  if (dir === "") return commit.tree;
  const prefix = `${dir}/`;
  const entries = new Map([...commit.tree].filter(([path]) => path.startsWith(prefix)));
  return entries.size ? entries : undefined;
}

function treeNode(ctx: ResolveContext, repo: Repository, commit: Commit, dir: string): Node {
  const files = subtree(commit, dir) ?? new Map<string, string>();
  const oid = treeSha(files);
  const prefix = dir === "" ? "" : `${dir}/`;
  const entries = () => {
    const names = new Set<string>();
    for (const path of files.keys()) names.add(path.slice(prefix.length).split("/")[0]!);
    return [...names].sort().map((name) => treeEntryNode(ctx, repo, commit, `${prefix}${name}`));
  };
  return {
    __typename: "Tree",
    id: nodeId("Tree", oid),
    oid,
    abbreviatedOid: oid.slice(0, 7),
    entries,
  };
}

/** `Commit.file(path)`: the entry at `path`, or null when the commit has no such file or directory. */
export function treeEntryNode(
  ctx: ResolveContext,
  repo: Repository,
  commit: Commit,
  path: string,
): Node | null {
  const clean = path.replace(/^\/+|\/+$/g, "");
  const name = clean.split("/").pop() ?? clean;
  const content = commit.tree.get(clean);
  const common = {
    name,
    nameRaw: Buffer.from(name).toString("base64"),
    path: clean,
    pathRaw: Buffer.from(clean).toString("base64"),
    isGenerated: false,
    submodule: null,
  };
  if (content !== undefined) {
    const extension = /\.[^./]+$/.exec(name)?.[0] ?? null;
    return {
      ...common,
      type: "blob",
      mode: BLOB_MODE,
      oid: blobSha(content),
      size: Buffer.byteLength(content, "utf8"),
      extension,
      lineCount: content === "" ? 0 : content.split("\n").length - (content.endsWith("\n") ? 1 : 0),
      object: () => blobNode(ctx, repo, content),
    };
  }
  const files = subtree(commit, clean);
  if (!files || clean === "") return null;
  return {
    ...common,
    type: "tree",
    mode: TREE_MODE,
    oid: treeSha(files),
    size: 0,
    extension: null,
    lineCount: null,
    object: () => treeNode(ctx, repo, commit, clean),
  };
}

/** A `GitActor`: the git identity, and the GitHub `User` it links to (never a bot). */
function gitActor(ctx: ResolveContext, person: GitPerson): Node {
  const linked = person.login ? findUser(ctx.state, person.login) : undefined;
  return {
    name: person.name,
    email: person.email,
    date: person.date,
    // GitActor.user is a User: commits by an App's bot link to no user in GraphQL.
    user: linked && linked.type === "User" ? userNode(ctx, linked.login) : null,
    avatarUrl: () => `${ctx.links.html}/avatars/u/${linked?.id ?? 0}?v=4`,
  };
}

/**
 * `Commit.authors`: the git author first, then each `Co-authored-by:` trailer, each linked to the
 * user whose (verified) email it is, as GitHub resolves them:
 * https://docs.github.com/en/graphql/reference/objects#commit
 */
function commitAuthors(ctx: ResolveContext, commit: Commit): GitPerson[] {
  const people: GitPerson[] = [commit.author];
  for (const match of commit.message.matchAll(/^Co-authored-by:\s*(.*?)\s*<([^>]+)>\s*$/gim)) {
    const email = match[2]!;
    const noreply = /^(?:\d+\+)?([^@]+)@users\.noreply\./.exec(email)?.[1];
    const user = [...ctx.state.users.values()].find(
      (candidate) =>
        candidate.email?.toLowerCase() === email.toLowerCase() ||
        (noreply !== undefined && candidate.login.toLowerCase() === noreply.toLowerCase()),
    );
    people.push({
      name: match[1]!,
      email,
      date: commit.author.date,
      ...(user ? { login: user.login } : {}),
    });
  }
  return people;
}

export function commitNode(ctx: ResolveContext, repo: Repository, commit: Commit): Node {
  const [headline = "", ...rest] = commit.message.split("\n");
  const url = `${ctx.links.html}/${repo.fullName}/commit/${commit.sha}`;
  const parents: Resolver<ConnectionArgs> = (args, _ctx, info) =>
    connection(info, commit.parents, args, (sha) => {
      const parent = repo.commits.get(sha);
      return parent ? commitNode(ctx, repo, parent) : null;
    });
  const file: Resolver<{ path: string }> = ({ path }) => treeEntryNode(ctx, repo, commit, path);
  return {
    __typename: "Commit",
    id: nodeId("Commit", commit.sha),
    oid: commit.sha,
    abbreviatedOid: commit.sha.slice(0, 7),
    message: commit.message,
    messageHeadline: headline,
    messageBody: rest.join("\n").replace(/^\n+/, ""),
    author: gitActor(ctx, commit.author),
    committer: gitActor(ctx, commit.committer),
    authoredDate: commit.author.date,
    committedDate: commit.committer.date,
    authors: ((args, _ctx, info) =>
      connection(info, commitAuthors(ctx, commit), args, (person) =>
        gitActor(ctx, person),
      )) as Resolver<ConnectionArgs>,
    // GitHub commits for someone in the web UI ("Update branch", web edits) as web-flow.
    committedViaWeb: commit.committer.login === WEB_FLOW,
    authoredByCommitter:
      commit.author.name === commit.committer.name &&
      commit.author.email === commit.committer.email,
    url,
    commitUrl: url,
    resourcePath: `/${repo.fullName}/commit/${commit.sha}`,
    commitResourcePath: `/${repo.fullName}/commit/${commit.sha}`,
    changedFilesIfAvailable: () => {
      const parent = commit.parents[0] ? repo.commits.get(commit.parents[0]) : undefined;
      return diffTrees(parent?.tree ?? new Map(), commit.tree).length;
    },
    parents,
    file,
    tree: () => treeNode(ctx, repo, commit, ""),
  };
}

/** A revision as rev-parse reads it: `HEAD`, a branch, `refs/heads/x`, a full or short oid. */
export function commitAt(repo: Repository, revision: string): Commit | undefined {
  const sha =
    revision === "HEAD" ? repo.branches.get(repo.defaultBranch) : resolveRef(repo, revision);
  return sha ? repo.commits.get(sha) : undefined;
}

/**
 * `Repository.object(expression | oid)`: `REV` is a commit, `REV:PATH` a blob or tree (`REV:` the
 * root tree); an oid names a commit or, failing that, a blob of any commit. Null when nothing
 * matches, as on GitHub.
 */
export function objectAt(
  ctx: ResolveContext,
  repo: Repository,
  args: { expression?: string | null; oid?: string | null },
): Node | null {
  if (args.oid) {
    const commit = repo.commits.get(args.oid);
    if (commit) return commitNode(ctx, repo, commit);
    for (const candidate of repo.commits.values())
      for (const content of candidate.tree.values())
        if (blobSha(content) === args.oid) return blobNode(ctx, repo, content);
    return null;
  }
  if (!args.expression) return null;
  const colon = args.expression.indexOf(":");
  const revision = colon === -1 ? args.expression : args.expression.slice(0, colon);
  const commit = commitAt(repo, revision);
  if (!commit) return null;
  if (colon === -1) return commitNode(ctx, repo, commit);
  const path = args.expression.slice(colon + 1).replace(/^\/+|\/+$/g, "");
  if (path === "") return treeNode(ctx, repo, commit, "");
  const entry = treeEntryNode(ctx, repo, commit, path);
  return entry ? (entry.object as () => Node)() : null;
}
