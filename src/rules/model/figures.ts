import { at, child, type TreeNode } from "../../formats/tree.js";

/** A number read from a config, with where it came from. `explicit: false` = the provider's default. */
export interface Figure {
  readonly value: number;
  readonly line: number;
  readonly explicit: boolean;
}

/** Reads a plain number (or a numeric string, as CloudFormation and annotations write them). */
export function numberAt(node: TreeNode | null | undefined, ...keys: string[]): Figure | undefined {
  const found = at(node, ...keys);
  if (found?.kind !== "scalar") return undefined;
  const value = toNumber(found.value);
  return value === undefined ? undefined : { value, line: found.line, explicit: true };
}

export function toNumber(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/** The explicit figure, or the provider's default on the owner's line; undefined if unknowable. */
export function withDefault(
  figure: Figure | undefined,
  fallback: number | undefined,
  line: number,
  present: boolean,
): Figure | undefined {
  if (figure) return figure;
  // A key that is present but not a number (an expression such as `var.interval`) is unknowable.
  if (present || fallback === undefined) return undefined;
  return { value: fallback, line, explicit: false };
}

/** The figure `name` of `node`, else the provider's default on the owner's `line`. */
export function figureAt(
  node: TreeNode | null | undefined,
  name: string,
  fallback: number | undefined,
  line: number,
): Figure | undefined {
  return withDefault(numberAt(node, name), fallback, line, child(node, name) !== undefined);
}

export function product(a: Figure | undefined, b: Figure | undefined): number | undefined {
  return a && b ? a.value * b.value : undefined;
}

/** "90 s", "1.5 s", "8 h", "2 min": durations as a reviewer reads them. */
export function formatSeconds(seconds: number): string {
  const round = (value: number): string => String(Math.round(value * 10) / 10);
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 120 && seconds % 60 === 0) return `${seconds / 60} min`;
  if (seconds >= 3600) return `${round(seconds / 3600)} h`;
  return `${round(seconds)} s`;
}
