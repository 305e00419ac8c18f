/** Commits, diff entries and file contents. */
import { blobSha, treeSha, type TreeChange } from "../../state/git.js";
import { filePatch } from "../../state/patch.js";
import type { Commit, Repository } from "../../state/types.js";
import { base64Lines, nodeId, repoApi, repoHtml, type Json } from "./common.js";
import type { Shapes } from "./index.js";

function gitPerson(p: Commit["author"]): Json {
  return { name: p.name, email: p.email, date: p.date };
}

export function commit(s: Shapes, repo: Repository, commit: Commit, files?: Json[]): Json {
  const api = repoApi(s, repo);
  const author = commit.author.login ? s.user(commit.author.login) : null;
  const committer = commit.committer.login ? s.user(commit.committer.login) : null;
  const result: Json = {
    url: `${api}/commits/${commit.sha}`,
    sha: commit.sha,
    node_id: nodeId("Commit", commit.sha),
    html_url: `${repoHtml(s, repo)}/commit/${commit.sha}`,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${commit.sha}`,
      author: gitPerson(commit.author),
      committer: gitPerson(commit.committer),
      message: commit.message,
      comment_count: 0,
      tree: { sha: treeSha(commit.tree), url: `${api}/git/trees/${treeSha(commit.tree)}` },
      verification: {
        verified: false,
        reason: "unsigned",
        signature: null,
        payload: null,
        verified_at: null,
      },
    },
    author,
    committer,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${api}/commits/${sha}`,
      html_url: `${repoHtml(s, repo)}/commit/${sha}`,
    })),
  };
  if (files) {
    const additions = files.reduce((n, f) => n + (f.additions as number), 0);
    const deletions = files.reduce((n, f) => n + (f.deletions as number), 0);
    result.stats = { additions, deletions, total: additions + deletions };
    result.files = files;
  }
  return result;
}

export function diffEntry(s: Shapes, repo: Repository, change: TreeChange, ref: string): Json {
  const api = repoApi(s, repo);
  const content = change.after ?? change.before ?? "";
  const path = encodeURI(change.filename);
  const { patch, additions, deletions } = filePatch(change.before ?? "", change.after ?? "");
  const entry: Json = {
    sha: blobSha(content),
    filename: change.filename,
    status: change.status,
    additions,
    deletions,
    changes: additions + deletions,
    blob_url: `${repoHtml(s, repo)}/blob/${ref}/${path}`,
    raw_url: `${repoHtml(s, repo)}/raw/${ref}/${path}`,
    contents_url: `${api}/contents/${path}?ref=${ref}`,
  };
  if (patch) entry.patch = patch;
  if (change.previousFilename) entry.previous_filename = change.previousFilename;
  return entry;
}

export function contentLinks(
  s: Shapes,
  repo: Repository,
  path: string,
  ref: string,
  sha: string,
  kind: "blob" | "tree",
): Json {
  const api = repoApi(s, repo);
  const self = `${api}/contents/${encodeURI(path)}?ref=${encodeURIComponent(ref)}`;
  const html = `${repoHtml(s, repo)}/${kind}/${ref}/${encodeURI(path)}`;
  const git = `${api}/git/${kind === "blob" ? "blobs" : "trees"}/${sha}`;
  return {
    url: self,
    html_url: html,
    git_url: git,
    download_url: kind === "blob" ? `${repoHtml(s, repo)}/raw/${ref}/${encodeURI(path)}` : null,
    _links: { self, git, html },
  };
}

export function contentFile(
  s: Shapes,
  repo: Repository,
  path: string,
  content: string,
  ref: string,
  maxInline = 1024 * 1024,
): Json {
  const sha = blobSha(content);
  const size = Buffer.byteLength(content, "utf8");
  const inline = size <= maxInline;
  return {
    type: "file",
    encoding: inline ? "base64" : "none",
    size,
    name: path.split("/").pop() as string,
    path,
    content: inline ? base64Lines(content) : "",
    sha,
    ...contentLinks(s, repo, path, ref, sha, "blob"),
  };
}

export function contentEntry(
  s: Shapes,
  repo: Repository,
  path: string,
  type: "file" | "dir",
  ref: string,
  sha: string,
  size: number,
): Json {
  return {
    type,
    size,
    name: path.split("/").pop() as string,
    path,
    sha,
    ...contentLinks(s, repo, path, ref, sha, type === "file" ? "blob" : "tree"),
  };
}
