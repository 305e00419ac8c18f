import type { TreeNode } from "./tree.js";

/** The syntax a file is parsed with. `text` is for files analyzed as text only (Helm templates). */
export type Format = "yaml" | "json" | "hcl" | "toml" | "nginx" | "haproxy" | "text";

export const FORCEABLE_FORMATS = ["yaml", "json", "hcl", "toml", "nginx", "haproxy"] as const;

/** Closed set of problem codes a parser can report. */
export type ProblemCode =
  | "parse.failed"
  | "parse.duplicate-key"
  | "parse.too-deep"
  | "parse.alias-limit"
  /** Valid for the tool that reads the file, but Changegate cannot read it whole (it fails closed). */
  | "parse.unsupported"
  | "file.too-large"
  | "file.binary";

export interface Problem {
  readonly code: ProblemCode;
  readonly message: string;
  /** 1-based line the problem was found on (1 when the parser gives none). */
  readonly line: number;
}

export type ParseResult =
  | { readonly ok: true; readonly tree: TreeNode; readonly warnings: Problem[] }
  | { readonly ok: false; readonly problems: Problem[] };

/** Every parser: source text in, positioned tree or problems out. Pure, synchronous, never throws. */
export type Parser = (source: string) => ParseResult;

export function parseFailure(
  message: string,
  line = 1,
  code: ProblemCode = "parse.failed",
): ParseResult {
  return { ok: false, problems: [{ code, message, line }] };
}
