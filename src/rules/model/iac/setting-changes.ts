// How one setting of the entities a change keeps moves, for the aws, gcp and azure families: their rules
// pair the entities of both versions, then judge one setting each.
import type { Scalar } from "../../../formats/tree.js";
import type { Transition } from "../transitions.js";
import { valuesOf, withInitial, type Setting } from "./settings.js";

/**
 * The kept entities whose `setting` has a known value on both sides, read by `read` (toBool,
 * toNumber, a case fold), that differs. A value `read` cannot make sense of is unknowable, so never
 * judged. `initial` is what the provider gave the setting where the file never set it (`withInitial`).
 * Each change points at the setting after the change, or at the entity when the setting has no path.
 */
export function settingChanges<
  E extends { readonly path: string },
  V extends string | number | boolean,
>(
  pairs: Iterable<readonly [E, E]>,
  setting: (entity: E) => Setting,
  read: (value: Scalar) => V | undefined,
  initial?: Scalar,
): Transition<E, V>[] {
  const changes: Transition<E, V>[] = [];
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
