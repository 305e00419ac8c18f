// One finding per consequence (docs/output.md "Merged findings"): rules that describe the same
// consequence of the same entity report it once, as the most severe of them, with every rule's reason.
import { severityRank } from "../rules/severity.js";
import type { Finding } from "../rules/types.js";

/** Pairs of rules that describe one consequence when they report the same line and path. */
export const OVERLAPPING_RULES: readonly (readonly [string, string, string])[] = [
  // A probe that restarts sooner: the liveness floor and the relative drop of the same budget.
  ["kubernetes.liveness.aggressive", "lb.health-check.detection-too-fast", "restarts sooner"],
  ["kubernetes.startup.budget-too-small", "lb.health-check.detection-too-fast", "restarts sooner"],
  // A bare HAProxy number read as milliseconds is the timeout cut or the check sped up it causes.
  ["haproxy.duration.unit-suspect", "haproxy.timeout.cut", "connections cut"],
  ["haproxy.duration.unit-suspect", "lb.health-check.detection-too-fast", "ejects sooner"],
];

const PARTNERS = new Map<string, Set<string>>();
for (const [one, other] of OVERLAPPING_RULES) {
  if (!PARTNERS.has(one)) PARTNERS.set(one, new Set());
  if (!PARTNERS.has(other)) PARTNERS.set(other, new Set());
  PARTNERS.get(one)!.add(other);
  PARTNERS.get(other)!.add(one);
}

/**
 * Merges the findings of one file that describe the same consequence: the most severe stays (the
 * first in order on a tie), carrying the others' rule ids, every reason, the union of the
 * checklists and the first fix. Settings were applied per rule before.
 */
export function mergeOverlaps(findings: readonly Finding[]): Finding[] {
  const merged = new Set<number>();
  const out: Finding[] = [];
  findings.forEach((finding, index) => {
    if (merged.has(index)) return;
    const partners = PARTNERS.get(finding.rule);
    if (!partners) return void out.push(finding);
    const group = [finding];
    for (let other = index + 1; other < findings.length; other++) {
      const candidate = findings[other]!;
      if (merged.has(other) || candidate.line !== finding.line) continue;
      if (candidate.file !== finding.file || candidate.path !== finding.path) continue;
      if (group.some((member) => member.rule === candidate.rule)) continue;
      if (!group.every((member) => PARTNERS.get(member.rule)?.has(candidate.rule))) continue;
      group.push(candidate);
      merged.add(other);
    }
    out.push(group.length === 1 ? finding : mergeGroup(group));
  });
  return out;
}

function mergeGroup(group: readonly Finding[]): Finding {
  const primary = group.reduce((best, finding) =>
    severityRank(finding.severity) > severityRank(best.severity) ? finding : best,
  );
  const rest = group.filter((finding) => finding !== primary);
  const fix = primary.fix ?? rest.find((finding) => finding.fix)?.fix;
  return {
    ...primary,
    alsoRules: rest.map((finding) => finding.rule),
    reasons: [primary, ...rest].map(({ rule, severity, message }) => ({ rule, severity, message })),
    checklist: [...new Set(group.flatMap((finding) => finding.checklist))],
    ...(fix ? { fix } : {}),
  };
}
