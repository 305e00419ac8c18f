/**
 * A pull request in a store of entries due at an instant. Built with `timedEntry`, so one pull
 * request is always the same entry (the stores key entries by JSON).
 */
export interface TimedEntry {
  readonly installationId: number;
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
}

export function timedEntry(
  installationId: number,
  pull: { readonly owner: string; readonly repo: string; readonly number: number },
): TimedEntry {
  return { installationId, owner: pull.owner, repo: pull.repo, number: pull.number };
}

/**
 * Pull requests due for an evaluation at an instant: those the `schedule` gate holds until a
 * window opens or a freeze ends (src/github/timed-sweep.ts). An entry is plain JSON, and the same
 * entry (the same pull request) is stored once: recording it again moves its time.
 */
export interface TimedStore<E> {
  /** Records `entry` as due at `dueAt` (ms since the epoch), replacing its earlier time. */
  due(entry: E, dueAt: number): Promise<void>;
  /** Forgets `entry` (a later evaluation found time no longer holds it). */
  clear(entry: E): Promise<void>;
  /**
   * Takes the entries due at or before `now`: each is returned to one caller only, across
   * replicas, and is gone from the store afterwards.
   */
  take(now: number): Promise<E[]>;
}

/**
 * Pull requests with an evaluation asked for and not known to have finished (the App records one
 * when it queues work and settles it when an evaluation that started after it ends): an entry
 * still there at its due time is one whose evaluation a dead replica took with it.
 */
export interface UnfinishedStore<E> extends TimedStore<E> {
  /**
   * Forgets `entry` unless it is due after `dueBy`: it was recorded again since the evaluation
   * that settles it started, and that request still waits for an evaluation of its own.
   */
  settle(entry: E, dueBy: number): Promise<void>;
}

/** Entries as their identity: JSON of the entry (callers build entries with their keys in one order). */
export const entryKey = (entry: unknown): string => JSON.stringify(entry);

/**
 * The store in this process's memory: enough for one replica, lost on a restart (a PR held by
 * time then waits for its next event or `/changegate recheck`; docs/deployment.md).
 */
export class MemoryTimedStore<E> implements TimedStore<E> {
  private readonly entries = new Map<string, { readonly entry: E; readonly dueAt: number }>();

  due(entry: E, dueAt: number): Promise<void> {
    this.entries.set(entryKey(entry), { entry, dueAt });
    return Promise.resolve();
  }

  clear(entry: E): Promise<void> {
    this.entries.delete(entryKey(entry));
    return Promise.resolve();
  }

  take(now: number): Promise<E[]> {
    const taken: E[] = [];
    for (const [key, { entry, dueAt }] of this.entries)
      if (dueAt <= now) {
        this.entries.delete(key);
        taken.push(entry);
      }
    return Promise.resolve(taken);
  }

  /** How many entries wait (tests). */
  get size(): number {
    return this.entries.size;
  }
}
