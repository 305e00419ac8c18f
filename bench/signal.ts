// Signal benchmark (`npm run signal`, also part of `npm run bench`): the engine's risk on real changes against
// labels written by reading each change against docs/risk.md before the engine ran on it
// (test/corpus/labels/<format>.json). Recall is the share of high/critical-labelled changes the engine rates high
// or critical; false alarms are the share of none/low-labelled changes it rates high or critical; medium-labelled
// changes count in neither (docs/risk.md, "How signal is measured"). Prints a table per format, then every miss and
// every alarm with the label's reason and the engine's top finding. The changes live in the shared corpus beside
// the checkout (CHANGEGATE_CORPUS overrides the place); without it the benchmark says so and measures nothing.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DEFAULT_POLICY } from "../src/config/policy.js";
import { engineSettings } from "../src/config/settings.js";
import { analyze, type Analysis } from "../src/engine/analyze.js";
import { isInfraFile } from "../src/engine/select.js";
import { SEVERITIES, severityRank, type Severity } from "../src/rules/severity.js";

export const LABELS_DIR = fileURLToPath(new URL("../test/corpus/labels/", import.meta.url));
export const CORPUS_DIR =
  process.env.CHANGEGATE_CORPUS ?? fileURLToPath(new URL("../../shared/corpus/", import.meta.url));

export const CONSEQUENCES = [
  "eject",
  "sessions",
  "nowhere",
  "capacity",
  "draining",
  "connections",
  "exposure",
  "tls",
  "sections",
  "other",
] as const;
export type Consequence = (typeof CONSEQUENCES)[number];

/** One labelled change: the level its most serious consequence deserves, and why. */
export interface Label {
  readonly label: Severity;
  readonly consequences: readonly Consequence[];
  readonly why: string;
}

export interface Judged {
  /** `<format>/<change folder>`. */
  readonly key: string;
  readonly format: string;
  readonly label: Label;
  readonly risk: Severity;
  /** The engine's most severe finding, `rule: message` (empty when it found nothing). */
  readonly top: string;
  /** False when the App would not judge the file at all (not infrastructure by the default policy). */
  readonly selected: boolean;
}

export interface FormatFigures {
  readonly changes: number;
  readonly risky: number;
  readonly caught: number;
  readonly benign: number;
  readonly alarms: number;
}

export interface SignalReport {
  readonly judged: readonly Judged[];
  readonly perFormat: Readonly<Record<string, FormatFigures>>;
  readonly total: FormatFigures;
  /** Caught ÷ risky (1 when nothing is risky). */
  readonly recall: number;
  /** Alarms ÷ benign (0 when nothing is benign). */
  readonly falseAlarmRate: number;
}

const isRisky = (level: Severity): boolean => severityRank(level) >= severityRank("high");
const isBenign = (level: Severity): boolean => severityRank(level) <= severityRank("low");

/** Reads test/corpus/labels/*.json, checking each entry's shape; a bad entry throws naming its file and key. */
export function readLabels(dir: string = LABELS_DIR): Map<string, Label> {
  const labels = new Map<string, Label>();
  for (const name of readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort()) {
    const format = name.slice(0, -".json".length);
    const file = join(dir, name);
    const entries = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    for (const [folder, value] of Object.entries(entries)) {
      labels.set(`${format}/${folder}`, checkLabel(value, `${file}: ${folder}`));
    }
  }
  return labels;
}

function checkLabel(value: unknown, where: string): Label {
  const entry = value as Partial<Label> | null;
  if (entry === null || typeof entry !== "object") throw new Error(`${where}: not an object`);
  if (!SEVERITIES.includes(entry.label as Severity))
    throw new Error(`${where}: label ${JSON.stringify(entry.label)} is not a severity`);
  if (!Array.isArray(entry.consequences)) throw new Error(`${where}: consequences must be a list`);
  for (const consequence of entry.consequences)
    if (!CONSEQUENCES.includes(consequence))
      throw new Error(`${where}: unknown consequence ${JSON.stringify(consequence)}`);
  if (typeof entry.why !== "string" || entry.why.trim().length < 10)
    throw new Error(`${where}: why must say in a sentence why`);
  return { label: entry.label as Severity, consequences: entry.consequences, why: entry.why };
}

interface CorpusChange {
  readonly origin: string;
  readonly before: string | null;
  readonly after: string | null;
}

/** One change folder: the path it had in its repository (what format detection sees) and both sides. */
export function readChange(corpus: string, key: string): CorpusChange {
  const dir = join(corpus, key);
  const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8")) as { path: string };
  const side = (prefix: string): string | null => {
    const file = readdirSync(dir).find((entry) => entry.startsWith(prefix));
    return file === undefined ? null : readFileSync(join(dir, file), "utf8");
  };
  return { origin: meta.path, before: side("before."), after: side("after.") };
}

/** Judges every labelled change as the App would with the embedded default policy. */
export function measureSignal(
  labels: ReadonlyMap<string, Label>,
  corpus: string = CORPUS_DIR,
): SignalReport {
  const settings = engineSettings(DEFAULT_POLICY);
  const selection = { ...DEFAULT_POLICY.files, formatOverride: settings.formatOverride };
  const judged: Judged[] = [];
  for (const [key, label] of labels) {
    const change = readChange(corpus, key);
    const selected =
      isInfraFile(change.origin, change.after, selection) ||
      isInfraFile(change.origin, change.before, selection);
    const analysis: Analysis | undefined = selected
      ? analyze([{ path: change.origin, before: change.before, after: change.after }], settings)
      : undefined;
    const findings = [...(analysis?.findings ?? [])].sort(
      (a, b) => severityRank(b.severity) - severityRank(a.severity),
    );
    const first = findings[0];
    judged.push({
      key,
      format: key.split("/")[0] ?? key,
      label,
      risk: analysis?.risk ?? "none",
      top: first ? `${first.rule} (${first.severity}): ${first.message}` : "",
      selected,
    });
  }
  const figures = (rows: readonly Judged[]): FormatFigures => ({
    changes: rows.length,
    risky: rows.filter((row) => isRisky(row.label.label)).length,
    caught: rows.filter((row) => isRisky(row.label.label) && isRisky(row.risk)).length,
    benign: rows.filter((row) => isBenign(row.label.label)).length,
    alarms: rows.filter((row) => isBenign(row.label.label) && isRisky(row.risk)).length,
  });
  const formats = [...new Set(judged.map((row) => row.format))];
  const perFormat = Object.fromEntries(
    formats.map((format) => [format, figures(judged.filter((row) => row.format === format))]),
  );
  const total = figures(judged);
  return {
    judged,
    perFormat,
    total,
    recall: total.risky === 0 ? 1 : total.caught / total.risky,
    falseAlarmRate: total.benign === 0 ? 0 : total.alarms / total.benign,
  };
}

const percent = (part: number, whole: number): string =>
  whole === 0 ? "–" : `${((part / whole) * 100).toFixed(1)}%`;

export function printSignal(report: SignalReport): void {
  console.log("signal on labelled real changes (docs/risk.md; labels in test/corpus/labels/)");
  const row = (figures: FormatFigures) => ({
    changes: figures.changes,
    "labelled high+": figures.risky,
    "rated high+": figures.caught,
    recall: percent(figures.caught, figures.risky),
    "labelled low-": figures.benign,
    "false alarms": figures.alarms,
    "false-alarm rate": percent(figures.alarms, figures.benign),
  });
  console.table({
    ...Object.fromEntries(
      Object.entries(report.perFormat).map(([format, figures]) => [format, row(figures)]),
    ),
    total: row(report.total),
  });
  const misses = report.judged.filter((row) => isRisky(row.label.label) && !isRisky(row.risk));
  const alarms = report.judged.filter((row) => isBenign(row.label.label) && isRisky(row.risk));
  console.log(`misses (${misses.length}): labelled high or critical, rated below high`);
  for (const miss of misses)
    console.log(
      `  ${miss.key}: labelled ${miss.label.label}, rated ${miss.risk}${miss.selected ? "" : " (not selected as infrastructure)"}\n    why: ${miss.label.why}\n    top: ${miss.top || "(no finding)"}`,
    );
  console.log(`false alarms (${alarms.length}): labelled low or none, rated high or critical`);
  for (const alarm of alarms)
    console.log(
      `  ${alarm.key}: labelled ${alarm.label.label}, rated ${alarm.risk}\n    why: ${alarm.label.why}\n    top: ${alarm.top}`,
    );
}

export interface SignalFigures {
  readonly signalRecall: number | null;
  readonly signalFalseAlarmRate: number | null;
}

/** The benchmark's part: prints the report and returns the headline figures (null without the corpus). */
export function runSignalBench(): SignalFigures {
  if (!existsSync(CORPUS_DIR)) {
    console.log(`signal: no corpus at ${CORPUS_DIR} (set CHANGEGATE_CORPUS): not measured`);
    return { signalRecall: null, signalFalseAlarmRate: null };
  }
  const report = measureSignal(readLabels());
  printSignal(report);
  return {
    signalRecall: Number(report.recall.toFixed(3)),
    signalFalseAlarmRate: Number(report.falseAlarmRate.toFixed(3)),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(JSON.stringify(runSignalBench()));
}
