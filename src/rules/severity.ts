/** Risk levels, lowest first. The PR's risk is its highest finding, never lowered by others. */
export const SEVERITIES = ["none", "low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function maxSeverity(severities: Iterable<Severity>): Severity {
  let highest: Severity = "none";
  for (const severity of severities)
    if (severityRank(severity) > severityRank(highest)) highest = severity;
  return highest;
}

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === "string" && (SEVERITIES as readonly string[]).includes(value);
}
