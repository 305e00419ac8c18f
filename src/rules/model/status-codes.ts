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

/** The codes as runs of consecutive ones, lowest first, both ends included: `[[200, 299], [404, 404]]`. */
export function codeRuns(codes: Iterable<number>): [low: number, high: number][] {
  const runs: [number, number][] = [];
  for (const code of [...new Set(codes)].sort((a, b) => a - b)) {
    const last = runs.at(-1);
    if (last && last[1] + 1 === code) last[1] = code;
    else runs.push([code, code]);
  }
  return runs;
}

/** "200-299, 404": a set of codes written back as ranges. */
export function formatCodes(codes: Iterable<number>): string {
  return codeRuns(codes)
    .map(([low, high]) => (low === high ? String(low) : `${low}-${high}`))
    .join(", ");
}
