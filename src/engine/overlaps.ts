// One finding per consequence (docs/output.md "Merged findings"): rules that describe the same
// consequence of the same entity report it once, as the most severe of them, with every rule's reason.
import { severityRank } from "../rules/severity.js";
import type { Finding } from "../rules/types.js";

/**
 * Pairs of rules that describe one consequence when they report the same line, and the same path
 * (a finding without one, as cross-file findings, matches any; `line` pairs need only the line).
 */
export const OVERLAPPING_RULES: readonly (readonly [string, string, string, "line"?])[] = [
  // A probe that restarts sooner: the liveness floor and the relative drop of the same budget.
  ["kubernetes.liveness.aggressive", "lb.health-check.detection-too-fast", "restarts sooner"],
  ["kubernetes.startup.budget-too-small", "lb.health-check.detection-too-fast", "restarts sooner"],
  // A bare HAProxy number read as milliseconds is the timeout cut or the check sped up it causes.
  ["haproxy.duration.unit-suspect", "haproxy.timeout.cut", "connections cut"],
  ["haproxy.duration.unit-suspect", "lb.health-check.detection-too-fast", "ejects sooner"],
  // A PodDisruptionBudget deleted: evictions may take every pod it protected.
  ["kubernetes.workload-deleted", "kubernetes.pdb.changed", "evictions unbounded"],
  // A deleted upstream or backend that another file still uses: the route it served fails.
  ["cross.upstream.reference-broken", "generic.lb-resource.deleted", "route fails"],
  // A world-open rule on a security group in front of a public load balancer or instance.
  ["cross.security-group.public-attachment", "generic.ingress.world-open", "exposure"],
  // A server replaced: the pool re-addressed and the old address gone are one move (paths name each address).
  ["lb.pool.readdressed", "nginx.upstream.server-removed", "servers replaced", "line"],
];

/** For each rule, its partners and whether the pair needs only the same line. */
const PARTNERS = new Map<string, Map<string, boolean>>();
for (const [one, other, , lineOnly] of OVERLAPPING_RULES) {
  if (!PARTNERS.has(one)) PARTNERS.set(one, new Map());
  if (!PARTNERS.has(other)) PARTNERS.set(other, new Map());
  PARTNERS.get(one)!.set(other, lineOnly === "line");
  PARTNERS.get(other)!.set(one, lineOnly === "line");
}

/** A finding's rules: its own and, once merged, the others' it carries. */
const rulesOf = (finding: Finding): readonly string[] => [
  finding.rule,
  ...(finding.alsoRules ?? []),
];

/**
 * Whether `candidate` describes the same consequence of the same entity as every member, and as
 * every rule a member merged already (the workspace's findings join a file's merged ones).
 */
function joins(group: readonly Finding[], candidate: Finding): boolean {
  return group.every((member) =>
    rulesOf(member).every((memberRule) =>
      rulesOf(candidate).every((rule) => {
        const lineOnly = PARTNERS.get(memberRule)?.get(rule);
        if (lineOnly === undefined || memberRule === rule) return false;
        return (
          lineOnly ||
          member.path === undefined ||
          candidate.path === undefined ||
          member.path === candidate.path
        );
      }),
    ),
  );
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
      if (candidate.file !== finding.file || !joins(group, candidate)) continue;
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
  // A member merged before brings its own rules and reasons along.
  const reasonsOf = (finding: Finding) =>
    finding.reasons ?? [
      { rule: finding.rule, severity: finding.severity, message: finding.message },
    ];
  return {
    ...primary,
    alsoRules: [...(primary.alsoRules ?? []), ...rest.flatMap(rulesOf)],
    reasons: [primary, ...rest].flatMap(reasonsOf),
    checklist: [...new Set(group.flatMap((finding) => finding.checklist))],
    ...(fix ? { fix } : {}),
  };
}
