import type { Analysis } from "../engine/analyze.js";

/** The stable JSON contract of `changegate diff|analyze --format json` (docs/output.md). */
export function analysisJson(analysis: Analysis): object {
  return {
    risk: analysis.risk,
    files: analysis.files.map((file) => ({
      path: file.path,
      format: file.format,
      dialect: file.dialect,
      status: file.status,
      ...(file.template ? { template: true } : {}),
      changes: file.changes.map((change) => ({
        path: change.path,
        kind: change.kind,
        ...(change.before !== undefined ? { before: change.before } : {}),
        ...(change.after !== undefined ? { after: change.after } : {}),
        line: change.afterLine ?? change.beforeLine ?? null,
        ...(change.beforeLine !== undefined ? { beforeLine: change.beforeLine } : {}),
        ...(change.afterLine !== undefined ? { afterLine: change.afterLine } : {}),
      })),
    })),
    findings: analysis.findings.map((finding) => ({
      rule: finding.rule,
      severity: finding.severity,
      file: finding.file,
      line: finding.line,
      message: finding.message,
      checklist: finding.checklist,
      ...(finding.path !== undefined ? { path: finding.path } : {}),
      ...(finding.before !== undefined ? { before: finding.before } : {}),
      ...(finding.after !== undefined ? { after: finding.after } : {}),
      ...(finding.figures !== undefined ? { figures: finding.figures } : {}),
      ...(finding.fix !== undefined ? { fix: finding.fix } : {}),
      ...(finding.alsoRules !== undefined ? { alsoRules: finding.alsoRules } : {}),
      ...(finding.reasons !== undefined ? { reasons: finding.reasons } : {}),
    })),
  };
}
