import type { Analysis } from "../engine/analyze.js";
import { TOOL_NAME } from "../shared/names.js";
import { RULES } from "../rules/catalog.js";
import type { Severity } from "../rules/severity.js";

const LEVEL: Record<Severity, "none" | "note" | "warning" | "error"> = {
  none: "none",
  low: "note",
  medium: "warning",
  high: "error",
  critical: "error",
};

/** SARIF 2.1.0 for code-scanning tools (OASIS SARIF v2.1.0, sarifLog/run/result). */
export function analysisSarif(analysis: Analysis, version: string): object {
  const used = new Set(analysis.findings.map((finding) => finding.rule));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version,
            rules: RULES.filter((rule) => used.has(rule.id)).map((rule) => ({
              id: rule.id,
              name: rule.title,
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.description },
              defaultConfiguration: { level: LEVEL[rule.severity] },
            })),
          },
        },
        results: analysis.findings.map((finding) => ({
          ruleId: finding.rule,
          level: LEVEL[finding.severity],
          message: { text: finding.message },
          properties: { severity: finding.severity },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: finding.file },
                region: { startLine: Math.max(1, finding.line) },
              },
            },
          ],
        })),
      },
    ],
  };
}
