import type { Finding } from "../rules/types.js";
import { failed, notRequired, passed, type GateOutcome } from "./outcome.js";
import { WRITE_PERMISSIONS, type ChecklistTick } from "./snapshot.js";
import type { ChecklistItemState } from "./verdict.js";

export interface ChecklistOutcome extends GateOutcome {
  readonly items: readonly ChecklistItemState[];
}

/** The distinct checklist items of the findings, in finding order, each with the rules that ask. */
export function checklistItems(findings: readonly Finding[]): { item: string; rules: string[] }[] {
  const items = new Map<string, string[]>();
  for (const finding of findings) {
    for (const item of finding.checklist) {
      const rules = items.get(item) ?? [];
      if (!rules.includes(finding.rule)) rules.push(finding.rule);
      items.set(item, rules);
    }
  }
  return [...items].map(([item, rules]) => ({ item, rules }));
}

/** The checklist gate: each item ticked (exactly that text) by someone with write access. */
export function evaluateChecklist(
  findings: readonly Finding[],
  ticks: readonly ChecklistTick[],
  required: boolean,
): ChecklistOutcome {
  const items = checklistItems(findings).map(({ item, rules }): ChecklistItemState => {
    const tick = ticks.find(
      (candidate) => candidate.item === item && WRITE_PERMISSIONS.includes(candidate.permission),
    );
    return tick
      ? { item, rules, checked: true, checkedBy: tick.checkedBy, headSha: tick.headSha }
      : { item, rules, checked: false };
  });
  const ticked = items.filter((item) => item.checked).length;
  const count = `${ticked} of ${items.length} items ticked`;
  if (!required)
    return { ...notRequired("checklist", `not required at this risk (${count})`), items };
  if (items.length === 0) return { ...passed("checklist", "no checklist items"), items };
  const extra = { required: String(items.length), present: String(ticked) };
  if (ticked === items.length) return { ...passed("checklist", count, extra), items };
  return {
    ...failed("checklist", count, `checklist ${ticked} of ${items.length} ticked`, {
      ...extra,
      missing: String(items.length - ticked),
    }),
    items,
  };
}
