/**
 * Which unchanged files at the head a pull request's changed infrastructure files are read with
 * (docs/snapshot.md, `context`): the other infrastructure files of each changed file's directory
 * and, in a Helm chart, a template's `values.yaml` and the templates of a changed `values.yaml`. Pure decisions shared by both loaders, so
 * that they keep the same files; each loader reads the directories its own way.
 */
import { couldBeInfraFile, isInfraFile, type FileSelection } from "../../engine/select.js";
import type { ContextFile } from "../../gates/snapshot.js";
import type { TreeEntryText } from "./cache.js";

/**
 * Bounds of the context (files, and their bytes in total): enough for the neighbours of a change
 * (a Deployment's Service, a module's other `.tf` files), small enough that a monorepo's big
 * directory costs one bounded read. Past them the rest is left out and `contextTruncated` says so.
 */
export const MAX_CONTEXT_FILES = 100;
export const MAX_CONTEXT_BYTES = 2 * 1024 * 1024;

/**
 * A larger file is left out: GitHub's GraphQL `Blob.text` is cut for large blobs (`isTruncated`,
 * https://docs.github.com/en/graphql/reference/objects#blob) and REST's contents API gives no
 * content past 1 MB; below this both loaders read the same text.
 */
export const MAX_CONTEXT_FILE_BYTES = 256 * 1024;

/** Directories read at the head per pull request (each one tree with its texts). */
export const MAX_CONTEXT_DIRECTORIES = 50;

/** Files whose text is read to tell whether they are infrastructure (REST reads each one). */
export const MAX_CONTEXT_CANDIDATES = 200;

/** A directory's files at a commit (its subdirectories left out); null: no such directory. */
export type DirectoryListing = readonly TreeEntryText[] | null;

const dirOf = (path: string): string => {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? "" : path.slice(0, slash);
};

const join = (dir: string, name: string): string => (dir === "" ? name : `${dir}/${name}`);

/** A Helm chart's template (`<chart>/templates/…`): the chart's root, else undefined. */
function chartRootOf(path: string): string | undefined {
  const match = /^(?:(.*)\/)?templates\/(?:[^/]+\/)*[^/]+\.(?:ya?ml|tpl)$/.exec(path);
  return match ? (match[1] ?? "") : undefined;
}

/**
 * Where a changed file's context lies: its directory; for a template, its chart root's
 * `values.yaml`; for a chart's `values.yaml`, the chart's templates (a directory that does not
 * exist costs nothing more).
 */
function wantedOf(path: string): { dir: string; only?: string }[] {
  const dir = dirOf(path);
  const chart = chartRootOf(path);
  if (chart !== undefined) return [{ dir }, { dir: chart, only: "values.yaml" }];
  if (/(^|\/)values\.yaml$/.test(path)) return [{ dir }, { dir: join(dir, "templates") }];
  return [{ dir }];
}

/**
 * The directories to read at the head for the changed files whose text is read (the loaders'
 * candidates, known after the first round trip), in order, at most MAX_CONTEXT_DIRECTORIES.
 */
export function contextDirectories(candidatePaths: readonly string[]): string[] {
  const dirs: string[] = [];
  for (const path of candidatePaths)
    for (const { dir } of wantedOf(path)) if (!dirs.includes(dir)) dirs.push(dir);
  return dirs.slice(0, MAX_CONTEXT_DIRECTORIES);
}

/** Entries in the order of their names (code units), whatever order a loader read them in. */
const byName = (entries: readonly TreeEntryText[]): TreeEntryText[] =>
  [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** A file that may be context, by its name and size, before its text is read. */
export interface ContextCandidate {
  readonly path: string;
  readonly size: number;
}

export interface ContextCandidates {
  readonly candidates: readonly ContextCandidate[];
  readonly truncated: boolean;
}

/**
 * The files that may be context for the snapshot's infrastructure files (`infraPaths`), from the
 * listings read: beside each, those whose name may be infrastructure, not changed by the pull
 * request, small enough. A directory not read (past MAX_CONTEXT_DIRECTORIES; one GitHub did not
 * answer fails the load instead), too large a file or too many candidates leave files out: `truncated`.
 */
export function contextCandidates(
  infraPaths: readonly string[],
  changedPaths: ReadonlySet<string>,
  listings: ReadonlyMap<string, DirectoryListing | undefined>,
  selection: FileSelection,
): ContextCandidates {
  const seen = new Set<string>();
  const candidates: ContextCandidate[] = [];
  let truncated = false;
  for (const infraPath of infraPaths)
    for (const { dir, only } of wantedOf(infraPath)) {
      if (listings.get(dir) === undefined) {
        truncated = true;
        continue;
      }
      for (const entry of byName(listings.get(dir) ?? [])) {
        const path = join(dir, entry.name);
        if (only !== undefined && entry.name !== only) continue;
        if (seen.has(path) || changedPaths.has(path) || !couldBeInfraFile(path, selection))
          continue;
        seen.add(path);
        if (entry.size > MAX_CONTEXT_FILE_BYTES || candidates.length >= MAX_CONTEXT_CANDIDATES) {
          truncated = true;
          continue;
        }
        candidates.push({ path, size: entry.size });
      }
    }
  return { candidates, truncated };
}

/** A text a loader may give as context: not binary (a NUL byte, git's test) and valid UTF-8. */
export const isContextText = (text: string | null | undefined): text is string =>
  typeof text === "string" && !text.includes("\u0000") && !text.includes("\uFFFD");

/**
 * The context: the candidates whose text shows they are infrastructure, in order, within
 * MAX_CONTEXT_FILES and MAX_CONTEXT_BYTES (past them the rest is left out). `textOf` gives null
 * for a file without readable text (binary, not UTF-8, gone): it is no context; undefined for a
 * file that could not be read: it is left out.
 */
export function pickContext(
  { candidates, truncated: cut }: ContextCandidates,
  textOf: (path: string) => string | null | undefined,
  selection: FileSelection,
): { context: ContextFile[]; truncated: boolean } {
  const context: ContextFile[] = [];
  let truncated = cut;
  let bytes = 0;
  for (const { path, size } of candidates) {
    const text = textOf(path);
    if (text === undefined) truncated = true;
    if (!isContextText(text) || !isInfraFile(path, text, selection)) continue;
    if (context.length >= MAX_CONTEXT_FILES || bytes + size > MAX_CONTEXT_BYTES)
      return { context, truncated: true };
    context.push({ path, text });
    bytes += size;
  }
  return { context, truncated };
}

/** The snapshot's fields: `context` when there is any, `contextTruncated` only when true. */
export function contextFields(picked: { context: ContextFile[]; truncated: boolean }): {
  context?: ContextFile[];
  contextTruncated?: true;
} {
  return {
    ...(picked.context.length ? { context: picked.context } : {}),
    ...(picked.truncated ? { contextTruncated: true as const } : {}),
  };
}

/** Every path the pull request changes (a rename under both names): none of them is context. */
export function changedPathsOf(
  changed: readonly { filename: string; previous_filename?: string }[],
): Set<string> {
  const paths = new Set<string>();
  for (const file of changed) {
    paths.add(file.filename);
    if (file.previous_filename) paths.add(file.previous_filename);
  }
  return paths;
}
