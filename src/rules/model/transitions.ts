// A value of an entity kept by a change that moves from one setting to another, and the findings rules make of it:
// the "turned off", "flipped" and "changed" rules read a value on both sides and judge the move.
import type { Detection } from "../types.js";

/** A value of a kept entity that moves from `was` to `now`, and where a finding about it points. */
export interface Transition<E, V> {
  readonly before: E;
  readonly after: E;
  readonly was: V;
  readonly now: V;
  /** The line of the value after the change. */
  readonly line: number;
  /** The value's tree path, or the entity's when it has none. */
  readonly path: string;
}

/** Where a value is written: its line and tree path after the change. */
export interface Place {
  readonly line: number;
  readonly path: string;
}

/**
 * The kept pairs whose value `read` knows on both sides and that differs. A value `read` cannot make sense
 * of (an expression, a template placeholder) is unknowable, so never judged.
 */
export function transitions<E, V>(
  pairs: Iterable<readonly [E, E]>,
  read: (entity: E) => V | undefined,
  place: (before: E, after: E) => Place,
): Transition<E, V>[] {
  const moves: Transition<E, V>[] = [];
  for (const [before, after] of pairs) {
    const was = read(before);
    const now = read(after);
    if (was === undefined || now === undefined || was === now) continue;
    moves.push({ before, after, was, now, ...place(before, after) });
  }
  return moves;
}

/** What a rule says about one transition: its finding, without where it points. */
export type Verdict = Omit<Detection, "line" | "path">;

/** The findings `judge` makes of the transitions, each pointing at its value; undefined reports nothing. */
export function transitionFindings<E, V>(
  moves: Iterable<Transition<E, V>>,
  judge: (move: Transition<E, V>) => Verdict | undefined,
): Detection[] {
  const findings: Detection[] = [];
  for (const move of moves) {
    const verdict = judge(move);
    if (verdict) findings.push(placed(verdict, move));
  }
  return findings;
}

/** A verdict as a finding pointing at `place`. */
export function placed(verdict: Verdict, place: Place): Detection {
  const { severity, ...rest } = verdict;
  return { severity, line: place.line, path: place.path, ...rest };
}

/** A boolean setting that goes from on to off. */
export const turnedOff = (move: Transition<unknown, unknown>): boolean =>
  move.was === true && move.now === false;
