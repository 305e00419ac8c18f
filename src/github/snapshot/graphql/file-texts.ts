/** The texts of files at commits one evaluation has read, backed by the process-wide cache. */
import type { SnapshotCache, TreeEntryText } from "../cache.js";
import type { GitHubClient } from "../../client.js";
import { fileText } from "../contents.js";
import type { BlobAnswer } from "./run.js";

export interface FileKey {
  readonly commit: string;
  readonly path: string;
}

const keyOf = (commit: string, path: string): string => `${commit}:${path}`;

export class FileTexts {
  /** This evaluation's reads: they stay even if the shared cache evicts them meanwhile. */
  private readonly texts = new Map<string, string | null>();
  /** Directories' files with their texts (`commit:dir`); null: no such directory. */
  private readonly trees = new Map<string, readonly TreeEntryText[] | null>();
  /** Files GraphQL withholds the text of (binary, truncated): REST reads them. */
  private readonly unreadable = new Set<string>();
  private readonly repository: string;

  constructor(
    private readonly client: GitHubClient,
    private readonly cache: SnapshotCache,
    private readonly owner: string,
    private readonly repo: string,
  ) {
    this.repository = `${owner}/${repo}`;
  }

  /** The text, null when the file does not exist at the commit, undefined when not read yet. */
  known(commit: string, path: string): string | null | undefined {
    const key = keyOf(commit, path);
    if (this.texts.has(key)) return this.texts.get(key);
    const cached = this.cache.fileAt(this.repository, commit, path);
    if (cached !== undefined) this.texts.set(key, cached);
    return cached;
  }

  /** A text that must have been read: asking for an unread one is a bug of the loader. */
  text(commit: string, path: string): string | null {
    const text = this.known(commit, path);
    if (text === undefined) throw new Error(`loader bug: ${path} at ${commit} was not read`);
    return text;
  }

  record(commit: string, path: string, answer: BlobAnswer): void {
    const key = keyOf(commit, path);
    switch (answer.kind) {
      case "text":
        this.texts.set(key, answer.text);
        this.cache.setFileAt(this.repository, commit, path, answer.text);
        this.cache.setBlob(this.repository, answer.oid, answer.text);
        return;
      case "absent":
        this.texts.set(key, null);
        this.cache.setFileAt(this.repository, commit, path, null);
        return;
      case "unreadable":
        this.unreadable.add(key);
        return;
    }
  }

  /** A directory's files at a commit: null when there is none, undefined when not read. */
  tree(commit: string, dir: string): readonly TreeEntryText[] | null | undefined {
    const key = keyOf(commit, dir);
    if (this.trees.has(key)) return this.trees.get(key);
    const cached = this.cache.treeAt(this.repository, commit, dir);
    if (cached !== undefined) this.trees.set(key, cached);
    return cached;
  }

  recordTree(commit: string, dir: string, entries: readonly TreeEntryText[] | null): void {
    this.trees.set(keyOf(commit, dir), entries);
    this.cache.setTreeAt(this.repository, commit, dir, entries);
  }

  /** The distinct directories (`path` a directory) not read yet. */
  missingTrees(keys: readonly FileKey[]): FileKey[] {
    const seen = new Set<string>();
    return keys.filter((key) => {
      const id = keyOf(key.commit, key.path);
      if (seen.has(id) || this.tree(key.commit, key.path) !== undefined) return false;
      seen.add(id);
      return true;
    });
  }

  /** A changed file's blob oid (REST lists it): its text may be cached from another commit. */
  hint(commit: string, path: string, blobOid: string | undefined): void {
    if (!blobOid || this.known(commit, path) !== undefined) return;
    const text = this.cache.blob(this.repository, blobOid);
    if (text !== undefined) this.record(commit, path, { kind: "text", text, oid: blobOid });
  }

  /** The distinct keys not read yet; `forGraphql` leaves out those only REST can read. */
  missing(keys: readonly FileKey[], forGraphql: boolean): FileKey[] {
    const seen = new Set<string>();
    return keys.filter((file) => {
      const key = keyOf(file.commit, file.path);
      if (seen.has(key) || this.known(file.commit, file.path) !== undefined) return false;
      seen.add(key);
      return !(forGraphql && this.unreadable.has(key));
    });
  }

  /** The keys not read yet that GraphQL withheld the text of. */
  withheld(keys: readonly FileKey[]): FileKey[] {
    return this.missing(keys, false).filter((file) =>
      this.unreadable.has(keyOf(file.commit, file.path)),
    );
  }

  /** Reads files through REST's contents API (in parallel): what GraphQL could not give. */
  async viaRest(keys: readonly FileKey[]): Promise<void> {
    await Promise.all(
      this.missing(keys, false).map(async ({ commit, path }) => {
        const text = await fileText(this.client, this.owner, this.repo, path, commit);
        this.texts.set(keyOf(commit, path), text);
      }),
    );
  }
}
