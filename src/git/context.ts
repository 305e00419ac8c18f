// The workspace's context for `changegate analyze` (docs/architecture.md, "The workspace view"):
// the unchanged infrastructure files beside each changed one, read from the head commit.
import { posix } from "node:path";
import type { ContextFile, FileInput } from "../engine/analyze.js";
import { couldBeInfraFile, isInfraFile, type FileSelection } from "../engine/select.js";
import { git, readBlobs } from "./local.js";

export interface ContextBounds {
  readonly maxFiles: number;
  readonly maxBytes: number;
}

/** At most 200 files and 4 MiB of context per run: a directory or chart, not a repository. */
export const CONTEXT_BOUNDS: ContextBounds = { maxFiles: 200, maxBytes: 4 * 1024 * 1024 };

export interface LocalContext {
  readonly files: ContextFile[];
  /** Candidate files the bounds left unread (0 when everything was read). */
  readonly skipped: number;
}

interface Blob {
  readonly path: string;
  readonly id: string;
  readonly size: number;
}

/** `git ls-tree -l -z` output: the blobs with their sizes. */
function parseTree(output: string): Blob[] {
  return output
    .split("\0")
    .filter((entry) => entry !== "")
    .flatMap((entry) => {
      const match = /^\d+ (\w+) ([0-9a-f]+)\s+(\d+|-)\t(.*)$/s.exec(entry);
      return match && match[1] === "blob"
        ? [{ path: match[4]!, id: match[2]!, size: Number(match[3]) }]
        : [];
    });
}

/**
 * A Helm template's chart root: the nearest folder above `templates/` that holds Chart.yaml; for a
 * chart's `values.yaml`, its own folder when that holds Chart.yaml (its templates read it).
 */
async function chartRoot(repo: string, head: string, path: string): Promise<string | undefined> {
  const parts = path.split("/");
  const values = /(^|\/)values\.yaml$/.test(path);
  const at = values ? parts.length - 1 : parts.lastIndexOf("templates");
  if (at < 0) return undefined;
  const candidates: string[] = [];
  for (let end = at; end >= (values ? at : 0); end--)
    candidates.push(posix.join(...parts.slice(0, end), "Chart.yaml"));
  const found = new Set(
    parseTree(await git(repo, ["ls-tree", "-l", "-z", head, "--", ...candidates])).map(
      (blob) => blob.path,
    ),
  );
  const chart = candidates.find((candidate) => found.has(candidate));
  return chart === undefined ? undefined : posix.dirname(chart);
}

/**
 * Context for the changed files: the other files of each one's directory and, for a Helm
 * template, of its whole chart, at `head`; only those the infrastructure classification of
 * src/engine/select.ts keeps. Within `bounds` (files and bytes read), in the order of the changes.
 */
export async function localContext(
  repo: string,
  head: string,
  inputs: readonly FileInput[],
  selection: FileSelection,
  bounds: ContextBounds = CONTEXT_BOUNDS,
): Promise<LocalContext> {
  const changed = new Set(inputs.map((input) => input.path));
  const folders: { path: string; recursive: boolean }[] = [];
  const seenFolders = new Set<string>();
  const addFolder = (path: string, recursive: boolean): void => {
    const key = `${recursive ? "r" : "d"}:${path}`;
    if (seenFolders.has(key)) return;
    seenFolders.add(key);
    folders.push({ path, recursive });
  };
  // A deleted file's directory too: what still uses it lies there (the App reads it as well).
  for (const input of inputs) {
    addFolder(posix.dirname(input.path), false);
    const chart = await chartRoot(repo, head, input.path);
    if (chart !== undefined) addFolder(chart, true);
  }
  const candidates: Blob[] = [];
  const seen = new Set<string>();
  for (const folder of folders) {
    const spec = folder.path === "." ? [] : ["--", `${folder.path}/`];
    const args = ["ls-tree", "-l", "-z", ...(folder.recursive ? ["-r"] : []), head, ...spec];
    for (const blob of parseTree(await git(repo, args))) {
      if (changed.has(blob.path) || seen.has(blob.path)) continue;
      seen.add(blob.path);
      if (!couldBeInfraFile(blob.path, selection)) continue;
      candidates.push(blob);
    }
  }
  const chosen: Blob[] = [];
  let bytes = 0;
  for (const blob of candidates) {
    if (chosen.length >= bounds.maxFiles || bytes + blob.size > bounds.maxBytes) break;
    chosen.push(blob);
    bytes += blob.size;
  }
  const texts = await readBlobs(
    repo,
    chosen.map((blob) => blob.id),
  );
  const files = chosen.flatMap((blob, index) => {
    const text = texts[index]!;
    return isInfraFile(blob.path, text, selection) ? [{ path: blob.path, text }] : [];
  });
  return { files, skipped: candidates.length - chosen.length };
}
