// The workspace view (docs/architecture.md, "The workspace view"): cross-file rules read every
// changed file of the evaluation that parsed, plus unchanged context files, parsed once here.
import { detectDialect, detectFormat, parseSource } from "../formats/index.js";
import { RULES } from "../rules/catalog.js";
import {
  isWorkspaceRule,
  type AnyWorkspaceRule,
  type FileUnderReview,
  type Finding,
  type Params,
  type Workspace,
  type WorkspaceFile,
} from "../rules/types.js";
import type { EngineSettings } from "./settings.js";

/**
 * An unchanged infrastructure file given for context (same directory, same chart): cross-file
 * rules read it, but it is not part of the change and never gets findings of its own.
 */
export interface ContextFile {
  readonly path: string;
  readonly text: string;
}

/** The cross-file rules the policy leaves on. */
function enabledWorkspaceRules(settings: EngineSettings): AnyWorkspaceRule[] {
  return [...RULES, ...settings.extraRules]
    .filter(isWorkspaceRule)
    .filter((rule) => settings.rules[rule.id]?.enabled !== false);
}

/**
 * The findings of the cross-file rules, by the changed file they belong to. Nothing runs (and no
 * context file is parsed) unless the workspace holds two files or more and a changed file is of a
 * dialect some enabled cross-file rule reads. `budget` is what is left of the evaluation's byte
 * budget: context files past it, over `maxFileBytes`, not text or not parsable are skipped, and so
 * is one at a path the change holds (`changedPaths`: every file of the change, also those the
 * engine could not read, which context must never stand in for).
 */
export function workspaceFindings(
  changed: readonly FileUnderReview[],
  context: readonly ContextFile[],
  settings: EngineSettings,
  budget: number,
  changedPaths: ReadonlySet<string> = new Set(changed.map((file) => file.path)),
): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  if (changed.length === 0 || changed.length + context.length < 2) return out;
  const rules = enabledWorkspaceRules(settings).filter(
    (rule) =>
      rule.dialects === "any" || changed.some((file) => rule.dialects.includes(file.dialect)),
  );
  if (rules.length === 0) return out;
  const files: WorkspaceFile[] = [
    ...changed,
    ...parseContext(changedPaths, context, settings, budget),
  ];
  if (files.length < 2) return out;
  const workspace: Workspace = { files };
  for (const rule of rules) {
    const setting = settings.rules[rule.id];
    const params: Params = {};
    for (const [name, spec] of Object.entries(rule.params))
      params[name] = setting?.params?.[name] ?? spec.default;
    for (const detection of rule.check(workspace, params)) {
      // A finding belongs to the change: one that names a context file is the rule's mistake.
      if (!changedPaths.has(detection.file)) continue;
      const finding: Finding = {
        ...detection,
        rule: rule.id,
        severity: setting?.severity ?? detection.severity,
      };
      const list = out.get(detection.file);
      if (list) list.push(finding);
      else out.set(detection.file, [finding]);
    }
  }
  return out;
}

function parseContext(
  changedPaths: ReadonlySet<string>,
  context: readonly ContextFile[],
  settings: EngineSettings,
  budget: number,
): WorkspaceFile[] {
  const seen = new Set(changedPaths);
  const out: WorkspaceFile[] = [];
  let remaining = budget;
  for (const file of context) {
    if (seen.has(file.path)) continue;
    seen.add(file.path);
    const bytes = Buffer.byteLength(file.text, "utf8");
    if (bytes > settings.maxFileBytes || bytes > remaining) continue;
    if (file.text.includes("\u0000")) continue;
    const format = settings.formatOverride(file.path) ?? detectFormat(file.path, file.text);
    if (!format || format === "text") continue;
    remaining -= bytes;
    const parsed = parseSource(format, file.text, file.path);
    if (!parsed.ok) continue;
    const dialect = detectDialect(file.path, parsed.format, parsed.tree);
    if (dialect === "generic") continue;
    out.push({
      path: file.path,
      format: parsed.format,
      dialect,
      status: "unchanged",
      before: parsed.tree,
      after: parsed.tree,
      changes: [],
    });
  }
  return out;
}
