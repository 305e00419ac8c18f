import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import type { FileInput } from "../engine/analyze.js";
import { infraChange } from "../engine/renames.js";
import { couldBeInfraChange, type FileSelection } from "../engine/select.js";

const run = promisify(execFile);

/** A failure to read the repository, with a one-line reason for the CLI. */
export class GitError extends Error {
  /** What git said (its first line of complaint; "" when it said nothing), if git ran. */
  readonly said?: string;
  constructor(message: string, said?: string) {
    super(message);
    if (said !== undefined) this.said = said;
  }
}

/** Runs git in `repo`; a failure is a GitError with git's first line of complaint. */
export async function git(repo: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run("git", ["-C", repo, ...args], {
      maxBuffer: MAX_BATCH_BYTES,
      encoding: "utf8",
    });
    return stdout;
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message)
      .trim()
      .split("\n")[0];
    throw new GitError(`git ${args[0]} failed in ${repo}: ${stderr}`, stderr ?? "");
  }
}

/**
 * Checks that `repo` is a git repository and that each of `refs` (option name → ref) names a
 * commit there; a failure is a GitError that says which, in the user's words.
 */
export async function checkRefs(
  repo: string,
  refs: Readonly<Record<string, string>>,
): Promise<void> {
  await git(repo, ["rev-parse", "--git-dir"]).catch((error: unknown) => {
    const said = error instanceof GitError ? (error.said ?? "") : "";
    if (/cannot change to/.test(said)) throw new GitError(`${repo}: no such folder (--repo)`);
    if (/not a git repository/i.test(said))
      throw new GitError(`${repo} is not a git repository (--repo)`);
    throw error;
  });
  for (const [option, ref] of Object.entries(refs)) {
    // A ref is never an option to git (git rev-parse --end-of-options needs git 2.30).
    if (ref.startsWith("-")) throw new GitError(`${option} ${ref}: a ref cannot start with "-"`);
    await git(repo, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).catch(() => {
      throw new GitError(`${option} ${ref}: no such branch, tag or commit in ${repo}`);
    });
  }
}

export interface ChangedPath {
  readonly status: "added" | "removed" | "modified";
  readonly path: string;
  readonly previousPath?: string;
  /** The blob before (absent when added) and after (absent when removed). */
  readonly beforeBlob?: string;
  readonly afterBlob?: string;
}

/** A submodule's entry: a commit of another repository, not a file. */
const GITLINK = "160000";
const NO_BLOB = /^0+$/;

/**
 * The files a pull request from `head` into `base` changes: from their merge base to `head`,
 * like GitHub's three-dot compare. Renames keep their old content as the "before" side.
 * Each side is named by its blob id (`git diff --raw`), so that reading it never depends on how
 * a path is spelled (a path may hold a newline). Submodule moves are not files and are left out.
 */
export async function changedPaths(
  repo: string,
  base: string,
  head: string,
): Promise<{ mergeBase: string; paths: ChangedPath[] }> {
  const mergeBase = (
    await git(repo, ["merge-base", base, head]).catch((error: unknown) => {
      // git says nothing (exit 1) when the two share no commit.
      if (error instanceof GitError && error.said === "")
        throw new GitError(
          `${base} and ${head} share no commit (unrelated histories): there is no merge base to compare from`,
        );
      throw error;
    })
  ).trim();
  const output = await git(repo, [
    "diff",
    "--raw",
    "--no-abbrev",
    "-z",
    "-M",
    mergeBase,
    head,
    "--",
  ]);
  const fields = output.split("\0");
  const paths: ChangedPath[] = [];
  for (let i = 0; i < fields.length && fields[i] !== "";) {
    // `:<old mode> <new mode> <old blob> <new blob> <status>`, then one path or two.
    const [oldMode, newMode, oldBlob, newBlob, status] = fields[i++]!.slice(1).split(" ") as [
      string,
      string,
      string,
      string,
      string,
    ];
    const twoPaths = status.startsWith("R") || status.startsWith("C");
    const previousPath = twoPaths ? fields[i++]! : undefined;
    const path = fields[i++]!;
    const before = oldMode === GITLINK || NO_BLOB.test(oldBlob) ? undefined : oldBlob;
    const after = newMode === GITLINK || NO_BLOB.test(newBlob) ? undefined : newBlob;
    if (before === undefined && after === undefined) continue;
    const blobs = {
      ...(before !== undefined ? { beforeBlob: before } : {}),
      ...(after !== undefined ? { afterBlob: after } : {}),
    };
    if (status.startsWith("C") || before === undefined)
      paths.push({ status: "added", path, ...(after !== undefined ? { afterBlob: after } : {}) });
    else if (after === undefined)
      paths.push({ status: "removed", path: previousPath ?? path, ...blobs });
    else
      paths.push({
        status: "modified",
        path,
        ...(previousPath !== undefined ? { previousPath } : {}),
        ...blobs,
      });
  }
  return { mergeBase, paths };
}

/**
 * Those of `paths` (from the repository's root) that exist at `ref` as files, with their text, in
 * order: one `git ls-tree` for their blob ids, one `readBlobs` for their texts.
 */
export async function filesAt(
  repo: string,
  ref: string,
  paths: readonly string[],
): Promise<{ path: string; text: string }[]> {
  const listed = await git(repo, ["ls-tree", "-z", "--full-tree", ref, "--", ...paths]);
  // `<mode> <type> <id>\t<path>` per entry.
  const ids = new Map(
    listed
      .split("\0")
      .map((entry) => /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(entry))
      .filter((match) => match !== null)
      .map((match) => [match[2]!, match[1]!] as const),
  );
  const found = paths.filter((path) => ids.has(path));
  const texts = await readBlobs(
    repo,
    found.map((path) => ids.get(path)!),
  );
  return found.map((path, index) => ({ path, text: texts[index]! }));
}

/** The abbreviated commit id `ref` names, as `git log --oneline` shows it. */
export async function shortCommit(repo: string, ref: string): Promise<string> {
  return (await git(repo, ["rev-parse", "--short", `${ref}^{commit}`])).trim();
}

/**
 * Both sides of each changed infrastructure file, for the engine: `selection` decides by path and
 * content, a rename by both of its names (renamed away from infrastructure is a removal). Only the
 * files whose name allows infrastructure (`couldBeInfraChange`, as the App's loaders pick them) are
 * read; `onRead` is told before and after they are (done, total).
 */
export async function localChange(
  repo: string,
  base: string,
  head: string,
  selection: FileSelection,
  onRead?: (done: number, total: number) => void,
): Promise<FileInput[]> {
  const paths = (await changedPaths(repo, base, head)).paths.filter((changed) =>
    couldBeInfraChange(changed.path, changed.previousPath, selection),
  );
  onRead?.(0, paths.length);
  const ids = paths.flatMap((changed) => [changed.beforeBlob, changed.afterBlob]);
  const wanted = [...new Set(ids.filter((id) => id !== undefined))];
  const texts = new Map(
    (await readBlobs(repo, wanted)).map((text, index) => [wanted[index]!, text]),
  );
  onRead?.(paths.length, paths.length);
  const textOf = (id: string | undefined): string | null =>
    id === undefined ? null : texts.get(id)!;
  return paths.flatMap((changed) =>
    infraChange(
      { ...changed, before: textOf(changed.beforeBlob), after: textOf(changed.afterBlob) },
      selection,
    ).map((infra) => ({ path: infra.path, before: infra.before, after: infra.after })),
  );
}

/**
 * The texts of blobs, by object id, in one `git cat-file --batch`: one process for a whole change
 * instead of one `git show` per side of each file; the one reader of src/git (`analyze`'s changes
 * and their context). Ids, not `<ref>:<path>`: the batch reads one request per line, and a path may
 * hold a newline. An id git cannot find, or that is not a blob, is a GitError naming it.
 */
export function readBlobs(
  repo: string,
  ids: readonly string[],
  maxBytes: number = MAX_BATCH_BYTES,
): Promise<string[]> {
  const bad = ids.find((id) => !/^[0-9a-f]{4,64}$/.test(id));
  if (bad !== undefined)
    return Promise.reject(new GitError(`not an object id: ${JSON.stringify(bad)}`));
  if (ids.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["-C", repo, "cat-file", "--batch"], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    let bytes = 0;
    let tooLarge = false;
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= maxBytes) return void chunks.push(chunk);
      // A branch can hold files of any size: stop reading before memory or a string runs out.
      tooLarge = true;
      chunks.length = 0;
      child.kill();
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.on("error", () => undefined); // the batch killed while it was still being sent
    child.on("error", (error) => reject(new GitError(`git cat-file failed: ${error.message}`)));
    child.on("close", (code) => {
      if (tooLarge)
        return reject(
          new GitError(
            `the change's files are over ${sizeOf(maxBytes)} together (git cat-file): too large to analyse at once`,
          ),
        );
      if (code !== 0)
        return reject(new GitError(`git cat-file failed in ${repo}: ${stderr.trim()}`));
      try {
        resolve(parseBatch(Buffer.concat(chunks), ids));
      } catch (error) {
        reject(error);
      }
    });
    child.stdin.end(ids.join("\n") + "\n");
  });
}

/** What one `readBlobs` may read: the bound `git` output has too. */
const MAX_BATCH_BYTES = 256 * 1024 * 1024;

const sizeOf = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`;

/** `<id> blob <size>\n<content>\n` per id, or `<id> missing\n` (or another type). */
function parseBatch(output: Buffer, specs: readonly string[]): string[] {
  const texts: string[] = [];
  let offset = 0;
  for (const spec of specs) {
    const newline = output.indexOf(0x0a, offset);
    const header = output.subarray(offset, newline).toString("utf8");
    const size = /^[0-9a-f]+ blob (\d+)$/.exec(header)?.[1];
    if (size === undefined)
      throw new GitError(`git cat-file cannot read blob ${spec}: ${header.split(" ").pop()}`);
    const start = newline + 1;
    texts.push(output.subarray(start, start + Number(size)).toString("utf8"));
    offset = start + Number(size) + 1;
  }
  return texts;
}
