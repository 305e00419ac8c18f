// Every file of the shared real-world corpus (`../shared/corpus` beside the checkout, on the team's machines only) through format detection and
// parsing, and every change folder through the whole engine. Prints a parse table, every failure with its reason,
// and the noise report (findings per severity and rule on real changes); asserts that nothing throws, that each
// folder parses at least its measured share and that every failure has a known reason.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { analyze, type Analysis } from "../../src/engine/analyze.js";
import { DEFAULT_SETTINGS } from "../../src/engine/settings.js";
import { detectFormat, parseSource, type ParsedSide } from "../../src/formats/index.js";
import type { Format } from "../../src/formats/types.js";
import { SEVERITIES, type Severity } from "../../src/rules/severity.js";

const corpus = fileURLToPath(new URL("../../../shared/corpus/", import.meta.url));
const exists = existsSync(corpus);
if (!exists) console.log(`shared corpus not found at ${corpus}: skipping the corpus tests`);

const FOLDERS = [
  "hcl",
  "cloudformation",
  "nginx",
  "haproxy",
  "envoy",
  "kubernetes",
  "helm",
  "traefik",
  "other",
] as const;
type Folder = (typeof FOLDERS)[number];

/**
 * Share of each folder's detected files that parse (Helm templates analyzed as text count as handled), as measured
 * on the corpus snapshot of 2026-08. Raise a floor when a parser gets better; never lower it silently.
 */
const FLOORS: Record<Folder, number> = {
  hcl: 1,
  cloudformation: 1,
  nginx: 112 / 118,
  haproxy: 1,
  envoy: 1,
  kubernetes: 1,
  helm: 1,
  traefik: 102 / 105,
  other: 1,
};

/** Files that do not parse as stored, each with the reason (checked by hand against the file). */
const EXPECTED_FAILURES: Record<string, string> = {
  "nginx/033-nginxdemos-consul-template-demo-nginx-more-consul-demo-changes/before.conf":
    "consul-template source: `{{range services}}` actions, nginx only after rendering",
  "nginx/033-nginxdemos-consul-template-demo-nginx-more-consul-demo-changes/after.conf":
    "consul-template source: `{{range services}}` actions, nginx only after rendering",
  "nginx/049-nginxdemos-consul-template-demo-nginx-service-discovery-demos-ng/before.conf":
    "consul-template source: `{{range services}}` actions, nginx only after rendering",
  "nginx/049-nginxdemos-consul-template-demo-nginx-service-discovery-demos-ng/after.conf":
    "consul-template source: `{{range services}}` actions, nginx only after rendering",
  "nginx/files/nginxdemos-consul-template-demo-nginx-nginx.conf":
    "consul-template source: `{{range services}}` actions, nginx only after rendering",
  "nginx/048-nginxdemos-consul-api-demo-app-service-discovery-demos-nginx-s-r/after.conf":
    "real syntax error in the source commit: the first server block is never closed (nginx -t rejects it too)",
  "traefik/028-traefik-acme-acme-tls-dynamic-new-api-security/before.toml":
    "Go-templated TOML test fixture: `{{range $name, $resolvers := .Acme }}` and `[certificatesResolvers.{{ $name }}.acme]`",
  "traefik/028-traefik-acme-acme-tls-dynamic-new-api-security/after.toml":
    "Go-templated TOML test fixture: `{{range $name, $resolvers := .Acme }}` and `[certificatesResolvers.{{ $name }}.acme]`",
  "traefik/files/traefik-integration-fixtures-tracing-simple-opentelemetry.toml":
    "Go-templated TOML test fixture: `{{if .IsHTTP}}` blocks between tables",
};

interface CorpusFile {
  readonly folder: Folder;
  /** Path inside the corpus: `nginx/033-.../after.conf`. */
  readonly file: string;
  /** Path in the source repository (meta.json / SOURCES.json), which format detection sees in real use. */
  readonly origin: string;
  readonly text: string;
}

interface ParseOutcome {
  readonly file: CorpusFile;
  readonly format: Format | undefined;
  readonly parsed?: ParsedSide;
  readonly thrown?: string;
}

interface ChangeFolder {
  readonly folder: Folder;
  readonly name: string;
  readonly origin: string;
  readonly before: string | null;
  readonly after: string | null;
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"));
const read = (path: string): string => readFileSync(path, "utf8");
const isDirectory = (path: string): boolean => statSync(path).isDirectory();

function changeFolders(folder: Folder): ChangeFolder[] {
  return readdirSync(join(corpus, folder))
    .sort()
    .filter((name) => existsSync(join(corpus, folder, name, "meta.json")))
    .map((name) => {
      const dir = join(corpus, folder, name);
      const meta = readJson(join(dir, "meta.json")) as { path: string };
      const side = (prefix: string): string | null => {
        const file = readdirSync(dir).find((entry) => entry.startsWith(prefix));
        return file === undefined ? null : read(join(dir, file));
      };
      return { folder, name, origin: meta.path, before: side("before."), after: side("after.") };
    });
}

function corpusFiles(folder: Folder): CorpusFile[] {
  const files: CorpusFile[] = [];
  for (const name of readdirSync(join(corpus, folder)).sort()) {
    const dir = join(corpus, folder, name);
    if (!isDirectory(dir)) continue;
    const sources =
      name === "files" && existsSync(join(dir, "SOURCES.json"))
        ? (readJson(join(dir, "SOURCES.json")) as Record<string, { path: string }>)
        : {};
    const meta = existsSync(join(dir, "meta.json"))
      ? (readJson(join(dir, "meta.json")) as { path: string })
      : undefined;
    for (const entry of readdirSync(dir).sort()) {
      if (entry === "meta.json" || entry === "SOURCES.json" || isDirectory(join(dir, entry)))
        continue;
      const file = `${folder}/${name}/${entry}`;
      const origin = meta?.path ?? sources[entry]?.path ?? file;
      files.push({ folder, file, origin, text: read(join(dir, entry)) });
    }
  }
  return files;
}

function parseOne(file: CorpusFile): ParseOutcome {
  const format = detectFormat(file.origin, file.text);
  if (format === undefined) return { file, format };
  try {
    return { file, format, parsed: parseSource(format, file.text) };
  } catch (error) {
    return {
      file,
      format,
      thrown: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
}

const failed = (outcome: ParseOutcome): boolean =>
  outcome.parsed !== undefined && !outcome.parsed.ok && outcome.parsed.format !== "text";

interface FolderRow {
  files: number;
  undetected: number;
  parsed: number;
  failed: number;
  templates: number;
  rate: number;
}

function summarize(outcomes: readonly ParseOutcome[]): Record<Folder, FolderRow> {
  const rows = {} as Record<Folder, FolderRow>;
  for (const folder of FOLDERS) {
    const mine = outcomes.filter((outcome) => outcome.file.folder === folder);
    const detected = mine.filter((outcome) => outcome.format !== undefined);
    const failures = detected.filter((outcome) => failed(outcome) || outcome.thrown !== undefined);
    rows[folder] = {
      files: mine.length,
      undetected: mine.length - detected.length,
      parsed: detected.filter((outcome) => outcome.parsed?.ok).length,
      failed: failures.length,
      templates: detected.filter(
        (outcome) => outcome.parsed?.template === true || outcome.parsed?.format === "text",
      ).length,
      rate: detected.length === 0 ? 1 : (detected.length - failures.length) / detected.length,
    };
  }
  return rows;
}

describe.skipIf(!exists)("shared corpus: parsing", () => {
  let outcomes: ParseOutcome[] = [];
  let rows = {} as Record<Folder, FolderRow>;

  beforeAll(() => {
    outcomes = FOLDERS.flatMap((folder) => corpusFiles(folder)).map(parseOne);
    rows = summarize(outcomes);
    console.log(
      "corpus parse table (rate = detected files that parse or are analyzed as template text):",
    );
    console.table(
      Object.fromEntries(
        FOLDERS.map((folder) => [
          folder,
          { ...rows[folder], rate: `${(rows[folder].rate * 100).toFixed(1)}%` },
        ]),
      ),
    );
    for (const outcome of outcomes.filter(failed)) {
      const reason = EXPECTED_FAILURES[outcome.file.file] ?? "UNEXPLAINED";
      for (const problem of (outcome.parsed as Extract<ParsedSide, { ok: false }>).problems)
        console.log(`  ${outcome.file.file}:${problem.line}: ${problem.message} [${reason}]`);
    }
    const undetected = outcomes.filter((outcome) => outcome.format === undefined);
    if (undetected.length > 0) {
      console.log(
        `undetected (detectFormat returns undefined for their repository path and content):`,
      );
      for (const outcome of undetected)
        console.log(`  ${outcome.file.file} (${outcome.file.origin})`);
    }
    const stale = Object.keys(EXPECTED_FAILURES).filter(
      (file) => !outcomes.some((outcome) => outcome.file.file === file && failed(outcome)),
    );
    if (stale.length > 0) console.log(`expected failures that now parse: ${stale.join(", ")}`);
  }, 60_000);

  it("finds files in every folder", () => {
    for (const folder of FOLDERS) expect(rows[folder].files, folder).toBeGreaterThan(0);
  });

  it("never throws in a parser", () => {
    const thrown = outcomes.filter((outcome) => outcome.thrown !== undefined);
    expect(thrown.map((outcome) => `${outcome.file.file}: ${outcome.thrown}`)).toEqual([]);
  });

  it.each(FOLDERS)("parses at least the measured share of %s", (folder) => {
    expect(rows[folder].rate).toBeGreaterThanOrEqual(FLOORS[folder]);
  });

  it("fails only on files with a known reason", () => {
    const unexplained = outcomes
      .filter((outcome) => failed(outcome) && !(outcome.file.file in EXPECTED_FAILURES))
      .map(
        (outcome) =>
          `${outcome.file.file}: ${JSON.stringify((outcome.parsed as { problems: unknown }).problems)}`,
      );
    expect(unexplained).toEqual([]);
  });

  it("gives every problem a code and a line inside its file", () => {
    for (const outcome of outcomes.filter(failed)) {
      const lines = outcome.file.text.split("\n").length;
      for (const problem of (outcome.parsed as Extract<ParsedSide, { ok: false }>).problems) {
        expect(problem.code).toMatch(/^(parse|file)\./);
        expect(problem.line).toBeGreaterThanOrEqual(1);
        expect(problem.line).toBeLessThanOrEqual(lines);
      }
    }
  });
});

describe.skipIf(!exists)("shared corpus: noise report", () => {
  const analyses: { change: ChangeFolder; analysis?: Analysis; thrown?: string }[] = [];
  /** Each change's findings with every file read through its unit view (src/engine/units.ts). */
  const viewed = new Map<ChangeFolder, Analysis>();

  beforeAll(() => {
    for (const folder of FOLDERS) {
      for (const change of changeFolders(folder)) {
        try {
          const input = { path: change.origin, before: change.before, after: change.after };
          const analysis = analyze([input]);
          analyses.push({ change, analysis });
          viewed.set(change, analyze([input], { ...DEFAULT_SETTINGS, unitViewMinBytes: 0 }));
        } catch (error) {
          analyses.push({
            change,
            thrown: error instanceof Error ? (error.stack ?? error.message) : String(error),
          });
        }
      }
    }
    const bySeverity: Record<string, Record<string, number>> = {};
    const byRule: Record<string, Record<string, number>> = {};
    for (const folder of FOLDERS) {
      const mine = analyses.filter((entry) => entry.change.folder === folder);
      const findings = mine.flatMap((entry) => entry.analysis?.findings ?? []);
      const row: Record<string, number> = {
        pairs: mine.length,
        "pairs with findings": mine.filter((entry) => (entry.analysis?.findings.length ?? 0) > 0)
          .length,
      };
      for (const severity of SEVERITIES.filter((s): s is Exclude<Severity, "none"> => s !== "none"))
        row[severity] = findings.filter((finding) => finding.severity === severity).length;
      bySeverity[folder] = row;
      for (const finding of findings) {
        const rules = (byRule[finding.rule] ??= {});
        rules[folder] = (rules[folder] ?? 0) + 1;
      }
    }
    console.log("noise report: findings on the corpus's real changes, per folder and severity");
    console.table(bySeverity);
    console.log("findings per rule and folder");
    console.table(byRule);
  }, 60_000);

  it("analyzes every change folder without throwing", () => {
    expect(analyses.length).toBeGreaterThan(0);
    expect(
      analyses
        .filter((entry) => entry.thrown !== undefined)
        .map((entry) => `${entry.change.folder}/${entry.change.name}: ${entry.thrown}`),
    ).toEqual([]);
  });

  it("finds the same on every change when every file is read through its unit view", () => {
    const differing = analyses
      .filter(({ change, analysis }) => {
        const view = viewed.get(change);
        return (
          analysis && view && JSON.stringify(view.findings) !== JSON.stringify(analysis.findings)
        );
      })
      .map(({ change }) => `${change.folder}/${change.name}`);
    expect(viewed.size).toBe(analyses.length);
    expect(differing).toEqual([]);
  });
});
