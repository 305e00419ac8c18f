// Which entities a change keeps, and how one of their settings moves. Shared by the aws, gcp and
// azure families: their rules pair the entities of both versions, then judge one setting each.
import type { Scalar } from "../../formats/tree.js";
import { valuesOf, withInitial, type Setting } from "./iac-settings.js";

/** Pairs entities of the two versions by key, keeping only those present on both sides. */
export function keptPairs<T extends { readonly key: string }>(
  before: readonly T[],
  after: readonly T[],
): [T, T][] {
  const byKey = new Map(before.map((entity) => [entity.key, entity]));
  return after.flatMap((entity) => {
    const previous = byKey.get(entity.key);
    return previous ? [[previous, entity] as [T, T]] : [];
  });
}

/** A setting of a kept entity whose value moves, and where a finding about it points. */
export interface SettingChange<E, V> {
  readonly before: E;
  readonly after: E;
  readonly was: V;
  readonly now: V;
  /** The line of the setting after the change. */
  readonly line: number;
  /** The setting's tree path, or the entity's when the setting has none. */
  readonly path: string;
}

/**
 * The kept entities whose `setting` has a known value on both sides, read by `read` (toBool,
 * toNumber, a case fold), that differs. A value `read` cannot make sense of is unknowable, so never
 * judged. `initial` is what the provider gave the setting where the file never set it (`withInitial`).
 */
export function settingChanges<
  E extends { readonly path: string },
  V extends string | number | boolean,
>(
  pairs: Iterable<readonly [E, E]>,
  setting: (entity: E) => Setting,
  read: (value: Scalar) => V | undefined,
  initial?: Scalar,
): SettingChange<E, V>[] {
  const changes: SettingChange<E, V>[] = [];
  for (const [before, after] of pairs) {
    const settingWas = setting(before);
    const settingNow = setting(after);
    const values = valuesOf(
      initial === undefined ? settingWas : withInitial(settingWas, initial),
      settingNow,
    );
    if (!values) continue;
    const was = read(values[0]);
    const now = read(values[1]);
    if (was === undefined || now === undefined || was === now) continue;
    const path = settingNow.path ?? after.path;
    changes.push({ before, after, was, now, line: settingNow.line, path });
  }
  return changes;
}

/** Readers of setting values for `settingChanges`. */
export const asWritten = (value: Scalar): string | number | boolean | undefined =>
  value ?? undefined;
export const upperCase = (value: Scalar): string => String(value).toUpperCase();
export const lowerCase = (value: Scalar): string => String(value).toLowerCase();
