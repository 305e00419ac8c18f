import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import type { FileInput } from "../engine/analyze.js";
import { infraChange } from "../engine/renames.js";
import type { FileSelection } from "../engine/select.js";

const run = promisify(execFile);

/** A failure to read the repository, with a one-line reason for the CLI. */
export class GitError extends Error {}

/** Runs git in `repo`; a failure is a GitError with git's first line of complaint. */
export async function git(repo: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run("git", ["-C", repo, ...args], {
      maxBuffer: 256 * 1024 * 1024,
      encoding: "utf8",
    });
    return stdout;
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message)
      .trim()
      .split("\n")[0];
    throw new GitError(`git ${args[0]} failed in ${repo}: ${stderr}`);
  }
}

export interface ChangedPath {
  readonly status: "added" | "removed" | "modified";
  readonly path: string;
  readonly previousPath?: string;
}

/**
 * The files a pull request from `head` into `base` changes: from their merge base to `head`,
 * like GitHub's three-dot compare. Renames keep their old content as the "before" side.
 */
export async function changedPaths(
  repo: string,
  base: string,
  head: string,
): Promise<{ mergeBase: string; paths: ChangedPath[] }> {
  const mergeBase = (await git(repo, ["merge-base", base, head])).trim();
  const output = await git(repo, ["diff", "--name-status", "-z", "-M", mergeBase, head, "--"]);
  const fields = output.split("\0").filter((field) => field !== "");
  const paths: ChangedPath[] = [];
  for (let i = 0; i < fields.length;) {
    const status = fields[i++]!;
    if (status.startsWith("R") || status.startsWith("C")) {
      const previousPath = fields[i++]!;
      const path = fields[i++]!;
      paths.push(
        status.startsWith("R")
          ? { status: "modified", path, previousPath }
          : { status: "added", path },
      );
    } else {
      const path = fields[i++]!;
      paths.push({
        status: status === "A" ? "added" : status === "D" ? "removed" : "modified",
        path,
      });
    }
  }
  return { mergeBase, paths };
}

export async function fileAt(repo: string, ref: string, path: string): Promise<string> {
  return git(repo, ["show", `${ref}:${path}`]);
}

/** Those of `paths` (from the repository's root) that exist at `ref`, with their text, in order. */
export async function filesAt(
  repo: string,
  ref: string,
  paths: readonly string[],
): Promise<{ path: string; text: string }[]> {
  const listed = await git(repo, [
    "ls-tree",
    "-z",
    "--name-only",
    "--full-tree",
    ref,
    "--",
    ...paths,
  ]);
  const present = new Set(listed.split("\0"));
  const found = paths.filter((path) => present.has(path));
  return Promise.all(found.map(async (path) => ({ path, text: await fileAt(repo, ref, path) })));
}

/** The abbreviated commit id `ref` names, as `git log --oneline` shows it. */
export async function shortCommit(repo: string, ref: string): Promise<string> {
  return (await git(repo, ["rev-parse", "--short", `${ref}^{commit}`])).trim();
}

/**
 * Both sides of each changed infrastructure file, for the engine: `selection` decides by path and
 * content, a rename by both of its names (renamed away from infrastructure is a removal).
 * `onRead` is told before and after the files are read (done, total).
 */
export async function localChange(
  repo: string,
  base: string,
  head: string,
  selection: FileSelection,
  onRead?: (done: number, total: number) => void,
): Promise<FileInput[]> {
  const { mergeBase, paths } = await changedPaths(repo, base, head);
  onRead?.(0, paths.length);
  const sides = paths.map((changed) => ({
    before:
      changed.status === "added" ? null : `${mergeBase}:${changed.previousPath ?? changed.path}`,
    after: changed.status === "removed" ? null : `${head}:${changed.path}`,
  }));
  const specs = sides.flatMap((side) => [side.before, side.after]).filter((spec) => spec !== null);
  const texts = new Map((await readBlobs(repo, specs)).map((text, index) => [specs[index]!, text]));
  onRead?.(paths.length, paths.length);
  const textOf = (spec: string | null): string | null => (spec === null ? null : texts.get(spec)!);
  return paths.flatMap((changed, index) =>
    infraChange(
      { ...changed, before: textOf(sides[index]!.before), after: textOf(sides[index]!.after) },
      selection,
    ).map((infra) => ({ path: infra.path, before: infra.before, after: infra.after })),
  );
}

/**
 * The texts of `specs` (`<ref>:<path>` each) in one `git cat-file --batch`: one process for a
 * whole change instead of one `git show` per side of each file.
 * A spec git cannot find is a GitError naming it.
 */
export function readBlobs(repo: string, specs: readonly string[]): Promise<string[]> {
  if (specs.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["-C", repo, "cat-file", "--batch"], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (error) => reject(new GitError(`git cat-file failed: ${error.message}`)));
    child.on("close", (code) => {
      if (code !== 0)
        return reject(new GitError(`git cat-file failed in ${repo}: ${stderr.trim()}`));
      try {
        resolve(parseBatch(Buffer.concat(chunks), specs));
      } catch (error) {
        reject(error);
      }
    });
    child.stdin.end(specs.join("\n") + "\n");
  });
}

/** `<sha> blob <size>\n<content>\n` per spec, or `<spec> missing\n`. */
function parseBatch(output: Buffer, specs: readonly string[]): string[] {
  const texts: string[] = [];
  let offset = 0;
  for (const spec of specs) {
    const newline = output.indexOf(0x0a, offset);
    const header = output.subarray(offset, newline).toString("utf8");
    const size = /^[0-9a-f]+ blob (\d+)$/.exec(header)?.[1];
    if (size === undefined) throw new GitError(`git cat-file cannot read ${spec}: ${header}`);
    const start = newline + 1;
    texts.push(output.subarray(start, start + Number(size)).toString("utf8"));
    offset = start + Number(size) + 1;
  }
  return texts;
}
