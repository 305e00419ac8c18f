/**
 * Git semantics over full-snapshot commits: deterministic shas, ref
 * resolution, ancestry, merge bases, tree diffs with rename detection and a
 * simple three-way merge.
 */
import { createHash } from "node:crypto";
import { similarity } from "./patch.js";
import type { Commit, GitPerson, Repository } from "./types.js";

export type FileChanges = Record<string, string | null>;

export interface TreeChange {
  filename: string;
  status: "added" | "removed" | "modified" | "renamed";
  previousFilename?: string;
  before: string | null;
  after: string | null;
}

/** Git's blob id for a file's content. */
export function blobSha(content: string): string {
  const bytes = Buffer.from(content, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** A tree id derived from its entries (not git's binary tree format, but stable). */
export function treeSha(tree: Map<string, string>): string {
  const hash = createHash("sha1");
  for (const path of [...tree.keys()].sort())
    hash.update(`${path}\0${blobSha(tree.get(path) as string)}\n`);
  return hash.digest("hex");
}

export function applyChanges(tree: Map<string, string>, changes: FileChanges): Map<string, string> {
  const next = new Map(tree);
  for (const [path, content] of Object.entries(changes)) {
    if (content === null) next.delete(path);
    else next.set(path, content);
  }
  return next;
}

/** Stores a new commit; its sha is a hash of tree, parents, people and message. */
export function writeCommit(
  repo: Repository,
  input: {
    parents: string[];
    tree: Map<string, string>;
    author: GitPerson;
    committer: GitPerson;
    message: string;
  },
): Commit {
  const person = (p: GitPerson) => `${p.name} <${p.email}> ${p.date}`;
  const text = [
    `tree ${treeSha(input.tree)}`,
    ...input.parents.map((p) => `parent ${p}`),
    `author ${person(input.author)}`,
    `committer ${person(input.committer)}`,
    "",
    input.message,
  ].join("\n");
  let sha = createHash("sha1").update(`commit ${text.length}\0${text}`).digest("hex");
  // Identical commits (same second, same content) still get distinct shas.
  for (let n = 1; repo.commits.has(sha); n++)
    sha = createHash("sha1").update(`${text}\0${n}`).digest("hex");
  const commit: Commit = { sha, ...input };
  repo.commits.set(sha, commit);
  return commit;
}

/** Branch name, `refs/heads/x`, `heads/x`, a full sha or a unique prefix of at least 7 characters. */
export function resolveRef(repo: Repository, ref: string): string | undefined {
  // `HEAD` is the default branch's tip, as on GitHub.
  if (ref === "HEAD") return repo.branches.get(repo.defaultBranch);
  const branch = ref.replace(/^refs\/heads\//, "").replace(/^heads\//, "");
  const tip = repo.branches.get(branch);
  if (tip) return tip;
  if (repo.commits.has(ref)) return ref;
  if (/^[0-9a-f]{7,39}$/i.test(ref)) {
    const matches = [...repo.commits.keys()].filter((sha) => sha.startsWith(ref.toLowerCase()));
    if (matches.length === 1) return matches[0];
  }
  return undefined;
}

/** All ancestors of `sha` (itself included) with their distance. */
export function ancestors(repo: Repository, sha: string): Map<string, number> {
  const seen = new Map<string, number>([[sha, 0]]);
  const queue = [sha];
  while (queue.length) {
    const current = queue.shift() as string;
    const depth = seen.get(current) as number;
    for (const parent of repo.commits.get(current)?.parents ?? []) {
      if (!seen.has(parent)) {
        seen.set(parent, depth + 1);
        queue.push(parent);
      }
    }
  }
  return seen;
}

export function isAncestor(repo: Repository, maybeAncestor: string, of: string): boolean {
  return ancestors(repo, of).has(maybeAncestor);
}

/** The nearest common ancestor of two commits. */
export function mergeBase(repo: Repository, a: string, b: string): string | undefined {
  const fromA = ancestors(repo, a);
  let best: string | undefined;
  let bestScore = Infinity;
  for (const [sha, depth] of ancestors(repo, b)) {
    const other = fromA.get(sha);
    if (other !== undefined && depth + other < bestScore) {
      best = sha;
      bestScore = depth + other;
    }
  }
  return best;
}

/** Commits reachable from `head` but not from `base`, oldest first. */
export function commitsBetween(repo: Repository, base: string, head: string): Commit[] {
  const excluded = ancestors(repo, base);
  const result: Commit[] = [];
  const visited = new Set<string>();
  const visit = (sha: string) => {
    if (visited.has(sha) || excluded.has(sha)) return;
    visited.add(sha);
    const commit = repo.commits.get(sha);
    if (!commit) return;
    for (const parent of commit.parents) visit(parent);
    result.push(commit);
  };
  visit(head);
  return result;
}

/** File-level changes between two trees, sorted by filename; renames detected by content similarity (>= 50%). */
export function diffTrees(before: Map<string, string>, after: Map<string, string>): TreeChange[] {
  const changes: TreeChange[] = [];
  const removed: string[] = [];
  const added: string[] = [];
  for (const [path, content] of before) {
    if (!after.has(path)) removed.push(path);
    else if (after.get(path) !== content)
      changes.push({
        filename: path,
        status: "modified",
        before: content,
        after: after.get(path) as string,
      });
  }
  for (const path of after.keys()) if (!before.has(path)) added.push(path);
  const unmatched = new Set(removed);
  const byContent = new Map<string, string>();
  for (const old of removed)
    if (!byContent.has(before.get(old) as string)) byContent.set(before.get(old) as string, old);
  // Fuzzy matching compares every pair: only when that stays cheap.
  const fuzzy = removed.length * added.length <= 2500;
  for (const path of added) {
    const content = after.get(path) as string;
    let match = byContent.get(content);
    if (match && !unmatched.has(match)) match = undefined;
    if (!match && fuzzy) {
      let score = 0.5;
      for (const old of unmatched) {
        const s = similarity(before.get(old) as string, content);
        if (s >= score) {
          match = old;
          score = s;
        }
      }
    }
    if (match) {
      unmatched.delete(match);
      changes.push({
        filename: path,
        status: "renamed",
        previousFilename: match,
        before: before.get(match) as string,
        after: content,
      });
    } else {
      changes.push({ filename: path, status: "added", before: null, after: content });
    }
  }
  for (const path of unmatched)
    changes.push({
      filename: path,
      status: "removed",
      before: before.get(path) as string,
      after: null,
    });
  return changes.sort((x, y) => (x.filename < y.filename ? -1 : x.filename > y.filename ? 1 : 0));
}

/** Three-way merge of whole files: changes from both sides; on a conflict `ours` wins. */
export function mergeTrees(
  base: Map<string, string>,
  ours: Map<string, string>,
  theirs: Map<string, string>,
): Map<string, string> {
  const result = new Map(ours);
  const paths = new Set([...base.keys(), ...theirs.keys()]);
  for (const path of paths) {
    const b = base.get(path);
    const t = theirs.get(path);
    const o = ours.get(path);
    if (t === b) continue; // theirs did not touch it
    if (o !== b) continue; // both touched it: keep ours
    if (t === undefined) result.delete(path);
    else result.set(path, t);
  }
  return result;
}
