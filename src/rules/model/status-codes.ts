// Health-check success codes (`matcher` / `Matcher.HttpCode` / `Matcher.GrpcCode`): "200",
// "200,202", "200-299", or a mix. ALB accepts HTTP 200–499, NLB 200–599, gRPC 0–99 (docs/lb-facts.md §1a).
import type { Scalar } from "../../formats/tree.js";

/** The codes a matcher accepts, or undefined when it is not a plain list of codes and ranges. */
export function parseMatcher(value: Scalar): Set<number> | undefined {
  const codes = new Set<number>();
  for (const part of String(value).split(",")) {
    const match = /^\s*(\d{1,3})\s*(?:-\s*(\d{1,3})\s*)?$/.exec(part);
    if (!match) return undefined;
    const low = Number(match[1]);
    const high = Number(match[2] ?? match[1]);
    if (high < low) return undefined;
    for (let code = low; code <= high; code++) codes.add(code);
  }
  return codes.size > 0 ? codes : undefined;
}

/** "200-299, 404": a set of codes written back as ranges. */
export function formatCodes(codes: Iterable<number>): string {
  const sorted = [...codes].sort((a, b) => a - b);
  const parts: string[] = [];
  let start: number | undefined;
  let previous: number | undefined;
  for (const code of [...sorted, Number.NaN]) {
    if (start !== undefined && previous !== undefined && code === previous + 1) {
      previous = code;
      continue;
    }
    if (start !== undefined && previous !== undefined)
      parts.push(start === previous ? String(start) : `${start}-${previous}`);
    start = code;
    previous = code;
  }
  return parts.join(", ");
}
