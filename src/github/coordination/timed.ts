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
