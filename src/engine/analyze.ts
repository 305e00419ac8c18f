import { diffTrees, type Change } from "../diff/semantic-diff.js";
import { textHunks, type Hunk } from "../diff/hunks.js";
import {
  detectDialect,
  detectFormat,
  hiddenActionLines,
  parseSource,
  type Dialect,
  type ParsedSide,
} from "../formats/index.js";
import type { TreeNode } from "../formats/tree.js";
import { parseYamlPair } from "../formats/yaml-pair.js";
import type { Format } from "../formats/types.js";
import { RULES } from "../rules/catalog.js";
import { maxSeverity, type Severity } from "../rules/severity.js";
import {
  isWorkspaceRule,
  type AnyRule,
  type Detection,
  type FileUnderReview,
  type Finding,
  type Params,
} from "../rules/types.js";
import {
  expandChanges,
  extractEmbedded,
  MAX_EMBEDDED,
  StandIns,
  unreadInChanges,
  type EmbeddedPair,
  type EmbeddedSide,
} from "./embedded.js";
import { mergeOverlaps } from "./overlaps.js";
import { parseReports } from "./parse-problems.js";
import { DEFAULT_SETTINGS, type EngineSettings } from "./settings.js";
import { unitView } from "./units.js";
import { workspaceFindings, type ContextFile } from "./workspace.js";

export type { ContextFile } from "./workspace.js";

/** One file of a change: its text on each side (`null` = absent on that side). */
export interface FileInput {
  readonly path: string;
  readonly before: string | null;
  readonly after: string | null;
  /** Force a format (`--as`); otherwise detected from the path and content. */
  readonly format?: Format;
  /** Force a dialect (a policy file at a custom path); otherwise detected from the path and tree. */
  readonly dialect?: Dialect;
}

export type FileStatus = "added" | "removed" | "modified";

export interface FileAnalysis {
  readonly path: string;
  readonly format: Format;
  readonly dialect: Dialect;
  readonly status: FileStatus;
  /** True for Helm templates, whose actions were neutralised before parsing. */
  readonly template: boolean;
  /**
   * True when the file, or a config embedded in it, was not read semantically (too large, not
   * text, does not parse, past the evaluation's byte budget), whether or not the policy reports
   * it: its change is then its text (the change-set fingerprint of src/gates/staleness.ts).
   */
  readonly unread: boolean;
  readonly changes: readonly Change[];
  readonly findings: readonly Finding[];
  readonly hunks: readonly Hunk[];
}

export interface Analysis {
  readonly risk: Severity;
  readonly files: readonly FileAnalysis[];
  readonly findings: readonly Finding[];
}

/** Rules whose findings say a file was not read semantically (`FileAnalysis.unread`). */
const UNREAD_RULES: readonly string[] = [
  "parse.failed",
  "file.too-large",
  "file.encoding",
  "evaluation.budget",
];

/**
 * Engine entry point: parse, diff and judge every file, then run the cross-file rules over the
 * workspace (the changed files that parsed, plus `context`: unchanged files that are never judged
 * themselves). Pure and synchronous; `onFile` is told after each file (done, total), for progress.
 */
export function analyze(
  inputs: readonly FileInput[],
  settings: EngineSettings = DEFAULT_SETTINGS,
  context: readonly ContextFile[] = [],
  onFile?: (done: number, total: number) => void,
): Analysis {
  const reading = readingAll(settings);
  // A per-evaluation budget: past it, files are reported, not parsed (hostile PRs stay bounded).
  let remaining = settings.maxTotalBytes;
  const reviews: FileUnderReview[] = [];
  const judge = (input: FileInput): FileAnalysis => {
    const bytes = byteLength(input.before ?? "") + byteLength(input.after ?? "");
    if (bytes > remaining) return asPolicySays(overBudget(input, reading, bytes), settings);
    remaining -= bytes;
    return asPolicySays(judgeFile(input, reading, reviews), settings);
  };
  let files = inputs.map((input, index) => {
    const file = judge(input);
    onFile?.(index + 1, inputs.length);
    return file;
  });
  const across = workspaceFindings(
    reviews,
    context,
    settings,
    remaining,
    new Set(inputs.map((input) => input.path)),
  );
  if (across.size > 0)
    files = files.map((file) => {
      const extra = across.get(file.path);
      if (!extra) return file;
      across.delete(file.path);
      return { ...file, findings: mergeOverlaps(sortFindings([...file.findings, ...extra])) };
    });
  const findings = files.flatMap((file) => file.findings);
  return { risk: maxSeverity(findings.map((finding) => finding.severity)), files, findings };
}

export function analyzeFile(
  input: FileInput,
  settings: EngineSettings = DEFAULT_SETTINGS,
): FileAnalysis {
  return asPolicySays(judgeFile(input, readingAll(settings)), settings);
}

/** The settings with every unread rule on, so that `unread` is known whatever the policy turns off. */
function readingAll(settings: EngineSettings): EngineSettings {
  if (UNREAD_RULES.every((rule) => settings.rules[rule]?.enabled !== false)) return settings;
  const rules = { ...settings.rules };
  for (const rule of UNREAD_RULES) rules[rule] = { ...rules[rule], enabled: true };
  return { ...settings, rules };
}

/** A file judged with every unread rule on, marked `unread` and with what the policy turned off dropped. */
function asPolicySays(file: Omit<FileAnalysis, "unread">, settings: EngineSettings): FileAnalysis {
  const unread = file.findings.some((finding) => UNREAD_RULES.includes(finding.rule));
  const findings = file.findings.filter(
    (finding) =>
      !UNREAD_RULES.includes(finding.rule) || settings.rules[finding.rule]?.enabled !== false,
  );
  return { ...file, unread, findings };
}

/** Judges one file; the file as rules read it (when its head parsed) is added to `reviews`. */
function judgeFile(
  input: FileInput,
  settings: EngineSettings,
  reviews?: FileUnderReview[],
): Omit<FileAnalysis, "unread"> {
  const status = statusOf(input);
  const format =
    input.format ??
    settings.formatOverride(input.path) ??
    detectFormat(input.path, input.after ?? input.before) ??
    "yaml";
  const base = { path: input.path, status };

  const oversized = [input.before, input.after].find(
    (text) => text !== null && byteLength(text) > settings.maxFileBytes,
  );
  if (oversized !== undefined && oversized !== null) {
    const finding = system(settings, "file.too-large", input.path, {
      severity: "high",
      line: 1,
      message: `${input.path} is ${byteLength(oversized)} bytes, over the ${settings.maxFileBytes}-byte limit: it was not analyzed and needs a manual review. Safe: split it into files under ${settings.maxFileBytes} bytes.`,
      checklist: [`Review ${input.path} by hand: it is too large for Changegate to analyze.`],
    });
    return notAnalyzed(input, format, finding);
  }

  const binaryAfter = input.after?.includes("\u0000") === true;
  const binaryBefore = input.before?.includes("\u0000") === true;
  if (binaryAfter || binaryBefore) {
    // Blame the side that holds them: a text file replacing a binary one is not binary itself.
    const finding = system(settings, "file.encoding", input.path, {
      severity: "high",
      line: 1,
      message: binaryAfter
        ? `${input.path} holds NUL bytes: it is binary, not a configuration file Changegate can read, and needs a manual review. Safe: keep configuration as UTF-8 text, without NUL (\`\\0\`) bytes.`
        : `${input.path} held NUL bytes before this change: the version it replaces is binary, so Changegate cannot compare the two, and the change needs a manual review.`,
      checklist: [
        `Review ${input.path} by hand: ${binaryAfter ? "it is" : "its previous version is"} not text.`,
      ],
    });
    return notAnalyzed(input, format, finding);
  }

  // A large multi-document YAML file: the after side's unchanged documents are not parsed again.
  const pair =
    format === "yaml" && input.before !== null && input.after !== null
      ? parseYamlPair(input.before, input.after, input.path)
      : undefined;
  const before =
    input.before === null ? null : (pair?.before ?? parseSource(format, input.before, input.path));
  const after =
    input.after === null ? null : (pair?.after ?? parseSource(format, input.after, input.path));
  const parsedFormat = after?.format ?? before?.format ?? format;
  const template = Boolean(after?.template || before?.template);
  const findings: Finding[] = [
    ...encodingFindings(settings, input),
    ...parseReports(
      input.path,
      { side: before, text: input.before },
      { side: after, text: input.after },
    ).flatMap(({ rule, detection }) => system(settings, rule, input.path, detection)),
  ];
  const hunks = textHunks(input.before ?? "", input.after ?? "");
  findings.push(...unreadableTemplateFindings(settings, input.path, before, after, hunks));

  const beforeTree = treeOf(before);
  const afterTree = treeOf(after);
  if (after && !after.ok) {
    // The head cannot be read: nothing can be judged beyond the failure itself (fail closed).
    const dialect = input.dialect ?? detectDialect(input.path, parsedFormat, beforeTree);
    return {
      ...base,
      format: parsedFormat,
      dialect,
      template,
      changes: textChanges(hunks, template),
      findings,
      hunks,
    };
  }
  const dialect = input.dialect ?? detectDialect(input.path, parsedFormat, afterTree ?? beforeTree);
  const embedded = embeddedConfigs(input, parsedFormat, beforeTree, afterTree);
  const outerChanges = diffTrees(
    embedded.before?.tree ?? beforeTree,
    embedded.after?.tree ?? afterTree,
    dialect,
  );
  const { changes, pairs } = embedded.found
    ? expandChanges(outerChanges, embedded.before, embedded.after)
    : { changes: outerChanges, pairs: [] };
  if (template) {
    const actions = actionHunks(input, before, after, hunks);
    changes.push(...textChanges(actions, true));
    findings.push(...actionFindings(settings, input.path, actions));
  }
  if (changes.length === 0) {
    reviews?.push({
      ...base,
      format: parsedFormat,
      dialect,
      before: beforeTree,
      after: afterTree,
      changes,
    });
    return { ...base, format: parsedFormat, dialect, template, changes, findings, hunks: [] };
  }
  // In a template, placeholders for actions may be what keeps an embedded config from parsing.
  if (!template) findings.push(...embeddedProblemFindings(settings, input.path, embedded));
  findings.push(...unreadEmbeddedFindings(settings, input.path, changes, embedded));

  const file: FileUnderReview = {
    path: input.path,
    format: parsedFormat,
    dialect,
    status,
    before: beforeTree,
    after: afterTree,
    changes,
    ...(input.after !== null ? { afterText: input.after } : {}),
  };
  reviews?.push(file);
  const view = embedded.found
    ? file
    : unitView(
        file,
        Math.max(byteLength(input.before ?? ""), byteLength(input.after ?? "")),
        settings.unitViewMinBytes,
      );
  for (const rule of [...RULES, ...settings.extraRules])
    findings.push(...runRule(rule, view, settings));
  for (const pair of pairs) findings.push(...embeddedFindings(pair, file, settings, findings));
  return {
    ...base,
    format: parsedFormat,
    dialect,
    template,
    changes,
    findings: mergeOverlaps(sortFindings(findings)),
    hunks,
  };
}

function runRule(rule: AnyRule, file: FileUnderReview, settings: EngineSettings): Finding[] {
  if (isWorkspaceRule(rule)) return [];
  const setting = settings.rules[rule.id];
  if (setting?.enabled === false) return [];
  if (rule.dialects !== "any" && !rule.dialects.includes(file.dialect)) return [];
  const params: Params = {};
  for (const [name, spec] of Object.entries(rule.params))
    params[name] = setting?.params?.[name] ?? spec.default;
  return rule
    .check(file, params)
    .map((detection) => toFinding(rule.id, file.path, detection, setting?.severity));
}

function toFinding(
  rule: string,
  file: string,
  detection: Detection,
  severity: Severity | undefined,
): Finding {
  return { rule, file, ...detection, severity: severity ?? detection.severity };
}

function system(
  settings: EngineSettings,
  rule: string,
  file: string,
  detection: Detection,
): Finding[] {
  const setting = settings.rules[rule];
  if (setting?.enabled === false) return [];
  return [toFinding(rule, file, detection, setting?.severity)];
}

/** Proxy configs carried as strings, on each side (only formats whose strings can hold a file). */
function embeddedConfigs(
  input: FileInput,
  format: Format,
  beforeTree: TreeNode | null,
  afterTree: TreeNode | null,
): { before?: EmbeddedSide; after?: EmbeddedSide; found: boolean } {
  if (format === "nginx" || format === "haproxy" || format === "text") return { found: false };
  const standIns = new StandIns(beforeTree, afterTree);
  const before =
    beforeTree && input.before !== null
      ? extractEmbedded(beforeTree, input.before, standIns)
      : undefined;
  const after =
    afterTree && input.after !== null
      ? extractEmbedded(afterTree, input.after, standIns)
      : undefined;
  const found = (before?.configs.size ?? 0) + (after?.configs.size ?? 0) > 0;
  return { ...(before ? { before } : {}), ...(after ? { after } : {}), found };
}

/** A string named as an nginx or HAProxy config that does not parse as one: the new version fails closed. */
function embeddedProblemFindings(
  settings: EngineSettings,
  path: string,
  embedded: { before?: EmbeddedSide; after?: EmbeddedSide },
): Finding[] {
  const brokenBefore = new Set((embedded.before?.problems ?? []).map((problem) => problem.name));
  return (embedded.after?.problems ?? []).flatMap(({ name, format, problem }) =>
    system(settings, "parse.failed", path, {
      severity: brokenBefore.has(name) ? "low" : "high",
      line: problem.line,
      message: `${name} embedded in ${path} does not parse as ${format} (${problem.message})${brokenBefore.has(name) ? ", as before the change; it cannot be judged" : `; it cannot be judged. Safe: fix line ${problem.line} of ${name} so that it parses as ${format}`}.`,
      checklist: [`Fix ${name} in ${path} so that it parses, or review it by hand.`],
    }),
  );
}

/** A changed string named as a config that the bounds left unread: not judged, so fail closed. */
function unreadEmbeddedFindings(
  settings: EngineSettings,
  path: string,
  changes: readonly Change[],
  embedded: { before?: EmbeddedSide; after?: EmbeddedSide },
): Finding[] {
  const unread = unreadInChanges(changes, embedded.before, embedded.after);
  if (unread.length === 0) return [];
  const names = unread.map((skipped) => skipped.name);
  const named =
    names.length <= 3
      ? names.join(", ")
      : `${names.slice(0, 3).join(", ")} and ${names.length - 3} more`;
  return system(settings, "evaluation.budget", path, {
    severity: "high",
    line: unread[0]!.line,
    message: `${named} embedded in ${path} ${names.length === 1 ? "was not read as a config" : "were not read as configs"}: the file carries more embedded configs than one evaluation reads (${MAX_EMBEDDED} a side, and no more text than the file's own). ${names.length === 1 ? "Its change was" : "Their changes were"} not judged. Safe: keep at most ${MAX_EMBEDDED} embedded configs a side in ${path}, or move them to files of their own.`,
    checklist: [`Review ${named} in ${path} by hand.`],
  });
}

/**
 * The rules of an embedded config's dialect, run on it as on a file of its own (its lines are the
 * outer file's); a finding the outer run already made is not repeated.
 */
function embeddedFindings(
  pair: EmbeddedPair,
  outer: FileUnderReview,
  settings: EngineSettings,
  already: readonly Finding[],
): Finding[] {
  if (pair.innerChanges.length === 0) return [];
  const config = (pair.after ?? pair.before)!;
  const file: FileUnderReview = {
    path: outer.path,
    ...(outer.afterText !== undefined ? { afterText: outer.afterText } : {}),
    format: config.format,
    dialect: config.dialect,
    status: !pair.before ? "added" : !pair.after ? "removed" : "modified",
    before: pair.before?.tree ?? null,
    after: pair.after?.tree ?? null,
    changes: pair.innerChanges,
  };
  const seen = new Set(already.map(findingKey));
  return RULES.flatMap((rule) => runRule(rule, file, settings))
    .map((finding) =>
      finding.path === undefined
        ? { ...finding, path: pair.path }
        : {
            ...finding,
            path: finding.path.startsWith("[")
              ? `${pair.path}${finding.path}`
              : `${pair.path}.${finding.path}`,
          },
    )
    .filter((finding) => {
      const key = findingKey(finding);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

function findingKey(finding: Finding): string {
  return `${finding.rule}\u0000${finding.line}\u0000${finding.message}`;
}

/** A side that is a template the engine could not read (its actions set aside, it still did not parse). */
function unreadableTemplate(side: ParsedSide | null): boolean {
  return side !== null && !side.ok && side.template && side.problems.length === 0;
}

/**
 * A changed template the engine cannot read is reported, never taken as "no risk": high when this
 * change made a readable file unreadable, medium when it was never readable here.
 */
function unreadableTemplateFindings(
  settings: EngineSettings,
  path: string,
  before: ParsedSide | null,
  after: ParsedSide | null,
  hunks: readonly Hunk[],
): Finding[] {
  if (hunks.length === 0) return [];
  if (!unreadableTemplate(after) && !unreadableTemplate(before)) return [];
  const madeUnreadable = unreadableTemplate(after) && before !== null && before.ok;
  const first = hunks[0]!;
  const line = after === null ? 1 : Math.max(1, firstChangedLine(first));
  const side = unreadableTemplate(after) ? "new" : "base";
  return system(settings, "template.unreadable", path, {
    severity: madeUnreadable ? "high" : "medium",
    line,
    message: madeUnreadable
      ? `The new version of ${path} is a template Changegate cannot read (the base version could be read): nothing in it can be judged. Safe: keep the template readable as YAML once its actions are set aside, as the base version was (check with \`helm template\`).`
      : `The ${side} version of ${path} is a template Changegate cannot read: its changes were not judged and need a review by hand.`,
    checklist: [
      `Review the changes to ${path} by hand (render the template, e.g. \`helm template\`, and compare).`,
    ],
  });
}

/**
 * The hunks that change a template action the tree does not show (hidden-action lines removed
 * from the base or added in the head): what they render is not in the semantic diff.
 */
function actionHunks(
  input: FileInput,
  before: ParsedSide | null,
  after: ParsedSide | null,
  hunks: readonly Hunk[],
): Hunk[] {
  const hiddenBefore =
    before?.template && input.before !== null ? hiddenActionLines(input.before) : new Set();
  const hiddenAfter =
    after?.template && input.after !== null ? hiddenActionLines(input.after) : new Set();
  return hunks.filter((hunk) => {
    let beforeLine = hunk.beforeStart;
    let afterLine = hunk.afterStart;
    for (const text of hunk.lines) {
      if (text.startsWith("-")) {
        if (hiddenBefore.has(beforeLine)) return true;
        beforeLine++;
      } else if (text.startsWith("+")) {
        if (hiddenAfter.has(afterLine)) return true;
        afterLine++;
      } else {
        beforeLine++;
        afterLine++;
      }
    }
    return false;
  });
}

function actionFindings(settings: EngineSettings, path: string, hunks: readonly Hunk[]): Finding[] {
  return hunks.flatMap((hunk) => {
    const line = Math.max(1, firstChangedLine(hunk));
    return system(settings, "template.action-changed", path, {
      severity: "medium",
      line,
      message: `${path} changes template actions near line ${line}: Changegate does not evaluate what they render, so this change was not judged.`,
      checklist: [
        `Render ${path} before and after (e.g. \`helm template\`) and review what the changed actions produce.`,
      ],
    });
  });
}

/** The first added or removed line of a hunk, on the new side. */
function firstChangedLine(hunk: Hunk): number {
  let line = hunk.afterStart;
  for (const text of hunk.lines) {
    if (text.startsWith("+") || text.startsWith("-")) return line;
    line++;
  }
  return hunk.afterStart;
}

/** Bytes that were not valid UTF-8 arrive as U+FFFD: the reviewer may not see what tools read. */
function encodingFindings(settings: EngineSettings, input: FileInput): Finding[] {
  const after = input.after ?? "";
  const index = after.indexOf("\uFFFD");
  if (index < 0) return [];
  const line = after.slice(0, index).split("\n").length;
  return system(settings, "file.encoding", input.path, {
    severity: "medium",
    line,
    message: `${input.path} line ${line} holds bytes that are not valid UTF-8: tools may read it differently from what the review shows.`,
    checklist: [`Re-save ${input.path} as UTF-8.`],
  });
}

function overBudget(
  input: FileInput,
  settings: EngineSettings,
  bytes: number,
): Omit<FileAnalysis, "unread"> {
  const format =
    input.format ?? settings.formatOverride(input.path) ?? detectFormat(input.path, null) ?? "yaml";
  const findings = system(settings, "evaluation.budget", input.path, {
    severity: "high",
    line: 1,
    message: `${input.path} (${bytes} bytes) was not analyzed: this pull request exceeds the ${settings.maxTotalBytes}-byte evaluation budget. Safe: split the pull request so that its files total under ${settings.maxTotalBytes} bytes.`,
    checklist: [`Review ${input.path} by hand, or split the pull request.`],
  });
  return notAnalyzed(input, format, findings);
}

function statusOf(input: FileInput): FileStatus {
  return input.before === null ? "added" : input.after === null ? "removed" : "modified";
}

/** A file reported instead of read (too large, binary, over budget): only the engine's finding about it. */
function notAnalyzed(
  input: FileInput,
  format: Format,
  findings: Finding[],
): Omit<FileAnalysis, "unread"> {
  return {
    path: input.path,
    status: statusOf(input),
    format,
    dialect: "generic",
    template: false,
    changes: [],
    findings,
    hunks: [],
  };
}

function treeOf(side: ParsedSide | null): TreeNode | null {
  return side?.ok ? side.tree : null;
}

/** Files analyzed as text get one change per hunk, so the change is still listed. */
function textChanges(hunks: readonly Hunk[], template: boolean): Change[] {
  if (!template) return [];
  return hunks.map((hunk) => ({
    kind: "modified" as const,
    path: `lines ${hunk.afterStart}-${hunk.afterStart + Math.max(0, hunk.afterLines - 1)}`,
    segments: [],
    before: hunk.lines
      .filter((line) => line.startsWith("-"))
      .map((line) => line.slice(1))
      .join("\n"),
    after: hunk.lines
      .filter((line) => line.startsWith("+"))
      .map((line) => line.slice(1))
      .join("\n"),
    beforeLine: hunk.beforeStart,
    afterLine: hunk.afterStart,
  }));
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
