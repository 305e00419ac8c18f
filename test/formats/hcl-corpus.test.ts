// Differential test: our HCL parser against @cdktf/hcl2json (HashiCorp's Go parser compiled to WASM) on every
// Terraform file of the shared real-world corpus (`../shared/corpus` beside the checkout, on the team's machines only).
import { parse as hcl2json } from "@cdktf/hcl2json";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { canonicalHclTemplate, parseHcl } from "../../src/formats/hcl.js";
import { toPlain, type Plain } from "../../src/formats/tree.js";

const corpus = fileURLToPath(new URL("../../../shared/corpus/", import.meta.url));
const present = existsSync(corpus);
if (!present) console.log(`corpus not found at ${corpus}: skipping the HCL oracle test`);

const HCL_FILE = /\.(tf|tfvars|hcl)$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : HCL_FILE.test(name) ? [path] : [];
    });
}

/**
 * Brings hcl2json's JSON and our plain tree to one comparable shape; applied to both sides alike.
 * - hcl2json writes every block as an array of bodies: a one-element array of an object becomes the object
 *   (our single blocks are maps). Lossy for an attribute holding `[{...}]`, but on both sides, so still fair.
 * - hcl2json writes expressions as `${<source as written>}`, whitespace, newlines and comments included:
 *   every string with a sequence goes through canonicalHclTemplate, which re-renders each `${...}`/`%{...}`
 *   in our canonical form (hcl-render.ts) and leaves literal text alone.
 *   Where hcl2json cuts a heredoc's final newline off an expression, the newline is put back.
 * - hcl2json drops strip markers (`${~`, `~}`) and rebuilds `%{if}`/`%{for}` directives from HCL's syntax
 *   tree after whitespace stripping, so strings with a directive or a strip marker are compared with all
 *   whitespace removed (their sequences still must match exactly).
 * Not normalized, because the corpus has none (seen only in generated input): hcl2json also writes a conditional
 * interpolated inside a longer template, `"a-${c ? "x" : "y"}"`, as `a-%{if c}x%{else}y%{endif}`; such a file
 * would show up below as a mismatch to be explained.
 */
function comparable(value: unknown): Plain {
  if (Array.isArray(value)) {
    const only: unknown = value[0];
    if (value.length === 1 && typeof only === "object" && only !== null && !Array.isArray(only)) {
      return comparable(only);
    }
    return value.map(comparable);
  }
  if (typeof value === "object" && value !== null) {
    const out: { [key: string]: Plain } = {};
    for (const [key, item] of Object.entries(value)) out[comparableString(key)] = comparable(item);
    return out;
  }
  if (typeof value === "string") return comparableString(value);
  return value as Plain;
}

function comparableString(text: string): string {
  if (!text.includes("${") && !text.includes("%{")) return text;
  // An expression ending in a heredoc (`x == <<EOF ... EOF`) loses the heredoc's final newline in hcl2json's
  // source range, which leaves the heredoc unclosed: put the newline back before the closing brace.
  const canonical =
    canonicalHclTemplate(text) ?? canonicalHclTemplate(text.replace(/\}$/, "\n}")) ?? text;
  return /%\{|\$\{~|~\}/.test(canonical)
    ? canonical
        .replace(/~\}/g, "}")
        .replace(/([$%]\{)~/g, "$1")
        .replace(/\s+/g, "")
    : canonical;
}

/** Paths where the two values differ, with both sides. */
function differences(ours: Plain, theirs: Plain, path: string, out: string[]): number {
  const bothObjects =
    typeof ours === "object" && ours !== null && typeof theirs === "object" && theirs !== null;
  if (bothObjects && Array.isArray(ours) === Array.isArray(theirs)) {
    const a = ours as Record<string, Plain>;
    const b = theirs as Record<string, Plain>;
    let compared = 0;
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      compared += differences(a[key] ?? null, b[key] ?? null, `${path}/${key}`, out);
      if (!(key in a) || !(key in b))
        out.push(`${path}/${key}: only in ${key in a ? "ours" : "hcl2json"}`);
    }
    return compared;
  }
  if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
    out.push(`${path}: ours ${JSON.stringify(ours)} ≠ hcl2json ${JSON.stringify(theirs)}`);
  }
  return 1;
}

interface Outcome {
  readonly file: string;
  readonly oracleError: string | undefined;
  readonly ourProblem: string | undefined;
  readonly mismatches: string[];
  readonly compared: number;
}

async function compare(path: string): Promise<Outcome> {
  const source = readFileSync(path, "utf8");
  const file = path.slice(corpus.length);
  let theirs: unknown;
  let oracleError: string | undefined;
  try {
    theirs = await hcl2json("main.tf", source);
  } catch (error) {
    oracleError = String(error);
  }
  const ours = parseHcl(source);
  const ourProblem = ours.ok
    ? undefined
    : `${ours.problems[0]!.line}: ${ours.problems[0]!.message}`;
  const mismatches: string[] = [];
  let compared = 0;
  if (ours.ok && oracleError === undefined) {
    compared = differences(comparable(toPlain(ours.tree)), comparable(theirs), "", mismatches);
  }
  return { file, oracleError, ourProblem, mismatches, compared };
}

describe.skipIf(!present)("HCL parser against @cdktf/hcl2json on the corpus", () => {
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    for (const path of filesUnder(corpus)) outcomes.push(await compare(path));
    const agreeing = outcomes.filter(
      (o) => !o.oracleError && !o.ourProblem && o.mismatches.length === 0,
    );
    const values = outcomes.reduce((sum, o) => sum + o.compared, 0);
    console.log(
      `hcl corpus: ${agreeing.length}/${outcomes.length} files agree with hcl2json ` +
        `(${((agreeing.length / Math.max(outcomes.length, 1)) * 100).toFixed(1)}%), ${values} values compared`,
    );
    for (const o of outcomes) {
      if (o.oracleError)
        console.log(
          `  ${o.file}: hcl2json fails (${o.oracleError}); ours: ${o.ourProblem ?? "ok"}`,
        );
      else if (o.ourProblem) console.log(`  ${o.file}: OURS FAILS at ${o.ourProblem}`);
      else if (o.mismatches.length > 0) {
        console.log(`  ${o.file}: ${o.mismatches.length} mismatches`);
        for (const line of o.mismatches.slice(0, 5)) console.log(`    ${line}`);
      }
    }
  }, 120_000);

  it("finds Terraform files", () => {
    expect(outcomes.length).toBeGreaterThan(100);
  });

  it("parses every file hcl2json parses", () => {
    const failed = outcomes
      .filter((o) => !o.oracleError && o.ourProblem)
      .map((o) => `${o.file}:${o.ourProblem}`);
    expect(failed).toEqual([]);
  });

  it("agrees with hcl2json on every value", () => {
    const mismatched = outcomes
      .filter((o) => o.mismatches.length > 0)
      .map((o) => [o.file, o.mismatches]);
    expect(mismatched).toEqual([]);
    expect(outcomes.reduce((sum, o) => sum + o.compared, 0)).toBeGreaterThan(5000);
  });
});
