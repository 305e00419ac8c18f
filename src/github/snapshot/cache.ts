/**
 * A bounded, in-process LRU cache of what never changes on GitHub: a file's text at a commit
 * (`commitOid:path`), a blob's text by its oid, a directory's files with their texts at a commit,
 * and the merge base of two commits. Shared by the
 * evaluations of one process, so repeated events for a pull request (a review, a label, a comment
 * edit) do not download its unchanged files again. Mutable things (permissions, teams, branch
 * tips, anything read at `HEAD` or a branch name) are never cached.
 */
import type { GitHubClient } from "../client.js";
import { decodeText } from "./contents.js";

export interface CacheLimits {
  /** Approximate memory bound: UTF-16 size of keys and values plus a fixed cost per entry. */
  readonly maxBytes: number;
  readonly maxEntries: number;
}

/**
 * 64 MiB holds the infrastructure files of a few dozen large pull requests (100 files of
 * 10 KB at the merge base and the head is 4 MiB); 20,000 entries bounds the per-entry overhead.
 */
export const DEFAULT_CACHE_LIMITS: CacheLimits = { maxBytes: 64 * 1024 * 1024, maxEntries: 20_000 };

/** V8 stores a string in at most two bytes per UTF-16 unit; Map and entry bookkeeping on top. */
const ENTRY_OVERHEAD = 64;

export interface CacheStats {
  readonly entries: number;
  readonly bytes: number;
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
}

/** A least-recently-used map bounded by entries and by approximate bytes. */
export class LruCache<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private totalBytes = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(
    private readonly limits: CacheLimits,
    private readonly sizeOf: (value: V) => number,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Re-inserting moves the key to the end of the Map's order: the most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    const bytes = 2 * key.length + this.sizeOf(value) + ENTRY_OVERHEAD;
    this.delete(key);
    if (bytes > this.limits.maxBytes || this.limits.maxEntries < 1) return;
    this.entries.set(key, { value, bytes });
    this.totalBytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.totalBytes <= this.limits.maxBytes && this.entries.size <= this.limits.maxEntries)
        break;
      this.entries.delete(oldest);
      this.totalBytes -= entry.bytes;
      this.evictions++;
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.totalBytes = 0;
  }

  stats(): CacheStats {
    return {
      entries: this.entries.size,
      bytes: this.totalBytes,
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
    };
  }
}

/** The merge base of two commits and the files changed from it to the second (when asked). */
export interface CachedComparison {
  readonly mergeBase: string;
  /** Changed paths as REST's compare lists them (at most 300); null when not asked for. */
  readonly files: readonly string[] | null;
}

/** A file of a directory at a commit: its name, size in bytes and text (null: none readable). */
export interface TreeEntryText {
  readonly name: string;
  readonly size: number;
  readonly text: string | null;
}

type Cached =
  | { readonly kind: "text"; readonly text: string | null }
  | { readonly kind: "comparison"; readonly comparison: CachedComparison }
  | { readonly kind: "tree"; readonly entries: readonly TreeEntryText[] | null };

const sizeOfCached = (value: Cached): number => {
  switch (value.kind) {
    case "text":
      return 2 * (value.text?.length ?? 0);
    case "comparison":
      return (
        2 * (value.comparison.mergeBase.length + (value.comparison.files?.join("").length ?? 0))
      );
    case "tree":
      return (value.entries ?? []).reduce(
        (bytes, entry) => bytes + 2 * (entry.name.length + (entry.text?.length ?? 0)) + 16,
        0,
      );
  }
};

/** A full git object id (SHA-1, or SHA-256 repositories): the only refs whose content is fixed. */
export const isObjectId = (ref: string): boolean => /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i.test(ref);

/**
 * Keys carry the repository: two repositories never share an entry, even for the same blob oid,
 * so one installation's evaluation never reads another's content.
 */
export class SnapshotCache {
  private readonly lru: LruCache<Cached>;

  constructor(limits: CacheLimits = DEFAULT_CACHE_LIMITS) {
    this.lru = new LruCache(limits, sizeOfCached);
  }

  /** The text of `path` at `commit`: null when it does not exist there, undefined when unknown. */
  fileAt(repo: string, commit: string, path: string): string | null | undefined {
    if (!isObjectId(commit)) return undefined;
    const hit = this.lru.get(`file ${repo.toLowerCase()} ${commit.toLowerCase()}:${path}`);
    return hit?.kind === "text" ? hit.text : undefined;
  }

  setFileAt(repo: string, commit: string, path: string, text: string | null): void {
    if (!isObjectId(commit)) return;
    this.lru.set(`file ${repo.toLowerCase()} ${commit.toLowerCase()}:${path}`, {
      kind: "text",
      text,
    });
  }

  blob(repo: string, oid: string): string | undefined {
    if (!isObjectId(oid)) return undefined;
    const hit = this.lru.get(`blob ${repo.toLowerCase()} ${oid.toLowerCase()}`);
    return hit?.kind === "text" && hit.text !== null ? hit.text : undefined;
  }

  setBlob(repo: string, oid: string, text: string): void {
    if (!isObjectId(oid)) return;
    this.lru.set(`blob ${repo.toLowerCase()} ${oid.toLowerCase()}`, { kind: "text", text });
  }

  /** The files of `dir` at `commit`: null when there is no such directory, undefined when unknown. */
  treeAt(repo: string, commit: string, dir: string): readonly TreeEntryText[] | null | undefined {
    if (!isObjectId(commit)) return undefined;
    const hit = this.lru.get(`tree ${repo.toLowerCase()} ${commit.toLowerCase()}:${dir}`);
    return hit?.kind === "tree" ? hit.entries : undefined;
  }

  setTreeAt(
    repo: string,
    commit: string,
    dir: string,
    entries: readonly TreeEntryText[] | null,
  ): void {
    if (!isObjectId(commit)) return;
    this.lru.set(`tree ${repo.toLowerCase()} ${commit.toLowerCase()}:${dir}`, {
      kind: "tree",
      entries,
    });
  }

  comparison(repo: string, base: string, head: string): CachedComparison | undefined {
    if (!isObjectId(base) || !isObjectId(head)) return undefined;
    const hit = this.lru.get(`compare ${repo.toLowerCase()} ${base}...${head}`.toLowerCase());
    return hit?.kind === "comparison" ? hit.comparison : undefined;
  }

  setComparison(repo: string, base: string, head: string, comparison: CachedComparison): void {
    if (!isObjectId(base) || !isObjectId(head)) return;
    this.lru.set(`compare ${repo.toLowerCase()} ${base}...${head}`.toLowerCase(), {
      kind: "comparison",
      comparison,
    });
  }

  stats(): CacheStats {
    return this.lru.stats();
  }

  clear(): void {
    this.lru.clear();
  }
}

let shared: SnapshotCache | undefined;

/** The process-wide cache the App's evaluations share. */
export function sharedSnapshotCache(): SnapshotCache {
  shared ??= new SnapshotCache();
  return shared;
}

const CONTENTS_ROUTE = "GET /repos/{owner}/{repo}/contents/{path}";

class CachedNotFound extends Error {
  readonly status = 404;
}

/**
 * The client with a cache in front of "Get repository content" at full commit ids, so every
 * reader of files (`fileText`, the policy's `_extends` resolution) shares it without knowing.
 * Anything else, and reads at branch names or `HEAD`, go to GitHub unchanged.
 */
export function withContentCache(client: GitHubClient, cache: SnapshotCache): GitHubClient {
  const request = async (route: unknown, params?: Record<string, unknown>): Promise<unknown> => {
    const call = () =>
      (client.request as (r: unknown, p?: unknown) => Promise<unknown>)(route, params);
    const owner = params?.owner;
    const repo = params?.repo;
    const path = params?.path;
    const ref = params?.ref;
    if (
      route !== CONTENTS_ROUTE ||
      typeof owner !== "string" ||
      typeof repo !== "string" ||
      typeof path !== "string" ||
      typeof ref !== "string" ||
      !isObjectId(ref)
    )
      return call();
    const name = `${owner}/${repo}`;
    const raw = /raw/.test(String((params?.headers as { accept?: unknown } | undefined)?.accept));
    const known = raw ? undefined : cache.fileAt(name, ref, path);
    if (known === null) throw new CachedNotFound(`Not Found (${path} at ${ref}, cached)`);
    if (known !== undefined) return contentResponse(path, known);
    try {
      const response = (await call()) as { data: unknown };
      const text = textOf(response.data);
      if (text !== undefined) cache.setFileAt(name, ref, path, text);
      return response;
    } catch (error) {
      if ((error as { status?: unknown })?.status === 404) cache.setFileAt(name, ref, path, null);
      throw error;
    }
  };
  // Octokit's request also carries `defaults` and `endpoint`; the loaders only call it.
  const wrapped = Object.assign(request, client.request) as unknown as GitHubClient["request"];
  return { request: wrapped, paginate: client.paginate, graphql: client.graphql };
}

/** The decoded text of a contents response, or undefined when it is not a complete file. */
function textOf(data: unknown): string | undefined {
  if (typeof data === "string") return data; // the raw media type
  const file = data as { type?: unknown; encoding?: unknown; content?: unknown } | null;
  if (file?.type !== "file" || file.encoding !== "base64" || typeof file.content !== "string")
    return undefined;
  return decodeText(Buffer.from(file.content, "base64"));
}

/** The JSON form of "Get repository content" for a cached file (what `fileText` reads). */
function contentResponse(path: string, text: string) {
  const content = Buffer.from(text, "utf8").toString("base64");
  return {
    status: 200,
    url: "",
    headers: {},
    data: {
      type: "file",
      encoding: "base64",
      size: Buffer.byteLength(text, "utf8"),
      name: path.split("/").pop() ?? path,
      path,
      content,
    },
  };
}
