import { UsageError } from "./io.js";

/** One side of `changegate diff`: the path as given, its text, null for `/dev/null`. */
export interface Side {
  readonly path: string;
  readonly text: string | null;
}

const isBinary = (side: Side): boolean => side.text?.includes("\u0000") === true;
const isEmpty = (side: Side): boolean => side.text !== null && side.text.trim() === "";
const names = (sides: readonly Side[]): string => sides.map((side) => side.path).join(" and ");

/**
 * Refuses a pair that cannot be analysed (a binary side, nothing but `/dev/null` or empty files);
 * an emptied or newly filled file is a change: the note on stderr says how it is read.
 */
export function checkPair(before: Side, after: Side): string | undefined {
  const binary = [before, after].filter(isBinary);
  if (binary.length === 1)
    throw new UsageError(
      `${binary[0]!.path} is binary (it holds a NUL byte): diff compares text files`,
    );
  if (binary.length === 2)
    throw new UsageError(
      `${names(binary)} are binary (they hold NUL bytes): diff compares text files`,
    );
  const present = [before, after].filter((side) => side.text !== null);
  if (present.length === 0) throw new UsageError("both sides are /dev/null: nothing to compare");
  const empty = present.filter(isEmpty);
  if (empty.length === present.length)
    throw new UsageError(
      `${names(empty)} ${empty.length === 1 ? "is" : "are"} empty: nothing to compare`,
    );
  if (empty.length === 0 || present.length === 1) return undefined;
  return empty[0] === after
    ? `${after.path} is empty: everything in ${before.path} counts as removed`
    : `${before.path} is empty: everything in ${after.path} counts as added`;
}
