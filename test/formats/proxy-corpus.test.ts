// Parses every nginx and HAProxy file of the shared real-world corpus (`../shared/corpus` beside the checkout, on the team's machines only).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseHaproxy } from "../../src/formats/haproxy.js";
import { parseNginx } from "../../src/formats/nginx.js";
import type { Parser, Problem } from "../../src/formats/types.js";

const corpus = fileURLToPath(new URL("../../../shared/corpus/", import.meta.url));
const present = existsSync(corpus);
if (!present) console.log(`proxy corpus not found at ${corpus}: skipping the corpus tests`);

/** Files that are not valid configuration as stored, with the reason (checked by hand). */
const KNOWN_INVALID: Record<string, string> = {
  // The first `server` block never gets its closing brace (a `}` of `location /` is missing); nginx -t rejects it too.
  "nginx/048-nginxdemos-consul-api-demo-app-service-discovery-demos-nginx-s-r/after.conf":
    "unbalanced braces in the source",
};

/** consul-template / Go-template files (`{{range services}}`) are not nginx until rendered; format detection treats them as text. */
const isTemplate = (text: string): boolean => /\{\{[\s\S]*?\}\}/.test(text);

interface Outcome {
  readonly file: string;
  readonly problems: Problem[] | undefined;
  readonly template: boolean;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

function parseAll(format: string, parse: Parser): Outcome[] {
  return filesUnder(join(corpus, format))
    .filter((path) => !path.endsWith("meta.json") && !path.endsWith("SOURCES.json"))
    .map((path) => {
      const text = readFileSync(path, "utf8");
      const result = parse(text);
      return {
        file: path.slice(corpus.length),
        problems: result.ok ? undefined : result.problems,
        template: isTemplate(text),
      };
    });
}

describe.skipIf(!present).each([
  // Reached on the corpus snapshot of 2026-08: 112 of 118 nginx files, all 89 HAProxy files.
  { format: "nginx", parse: parseNginx, minimumRate: 112 / 118 },
  { format: "haproxy", parse: parseHaproxy, minimumRate: 1 },
])("$format corpus", ({ format, parse, minimumRate }) => {
  const outcomes = present ? parseAll(format, parse) : [];
  const failures = outcomes.filter((outcome) => outcome.problems !== undefined);
  const rate = outcomes.length === 0 ? 0 : (outcomes.length - failures.length) / outcomes.length;
  console.log(
    `${format}: ${outcomes.length - failures.length}/${outcomes.length} parsed (${(rate * 100).toFixed(1)}%)`,
  );
  for (const failure of failures) {
    for (const problem of failure.problems!) {
      const reason = failure.template ? "template" : (KNOWN_INVALID[failure.file] ?? "UNEXPLAINED");
      console.log(`  ${failure.file}:${problem.line}: ${problem.message} [${reason}]`);
    }
  }

  it("has files to parse", () => {
    expect(outcomes.length).toBeGreaterThan(0);
  });

  it(`parses at least ${(minimumRate * 100).toFixed(1)}% of the files`, () => {
    expect(rate).toBeGreaterThanOrEqual(minimumRate);
  });

  it("fails only on templates and files known to be invalid", () => {
    const unexplained = failures.filter(
      (failure) => !failure.template && !(failure.file in KNOWN_INVALID),
    );
    expect(
      unexplained.map((failure) => `${failure.file}: ${JSON.stringify(failure.problems)}`),
    ).toEqual([]);
  });

  it("gives every problem a code and a line inside the file", () => {
    for (const failure of failures) {
      for (const problem of failure.problems!) {
        expect(problem.code).toMatch(/^parse\./);
        expect(problem.line).toBeGreaterThanOrEqual(1);
      }
    }
  });
});
