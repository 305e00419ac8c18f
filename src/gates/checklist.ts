import type { Finding } from "../rules/types.js";
import { failed, notRequired, passed, sameLogin, type GateOutcome } from "./outcome.js";
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

/** Which ticks acknowledge: whose, and on which change. */
export interface TickContext {
  /** The PR's author, whose own ticks count only with `checklist.allowAuthor`. */
  readonly author: string;
  readonly allowAuthor: boolean;
  /** The change set now (`changeSetId`): a tick made on another one re-opens its item. */
  readonly changeSet: string;
  readonly headSha: string;
}

/**
 * The checklist gate: each item ticked (exactly that text) by someone with write access other
 * than the author (unless allowed) and not a bot, on the change set as it is now.
 */
export function evaluateChecklist(
  findings: readonly Finding[],
  ticks: readonly ChecklistTick[],
  required: boolean,
  context: TickContext,
): ChecklistOutcome {
  const notes = new Set<string>();
  const counts = (tick: ChecklistTick): boolean => {
    if (!WRITE_PERMISSIONS.includes(tick.permission)) return false;
    // As with approvals: a bot acknowledges nothing (a workflow the author can edit runs as one).
    if (tick.checkedBy.endsWith("[bot]")) {
      notes.add("a bot's ticks do not count");
      return false;
    }
    if (!context.allowAuthor && sameLogin(tick.checkedBy, context.author)) {
      notes.add("the author's own ticks do not count (checklist.allowAuthor)");
      return false;
    }
    // A tick recorded before ticks carried their change set holds on the commit it was made on only.
    const current =
      tick.changeSet !== undefined
        ? tick.changeSet === context.changeSet
        : tick.headSha === context.headSha;
    if (!current) notes.add("ticks made before the infrastructure change changed are re-opened");
    return current;
  };
  const items = checklistItems(findings).map(({ item, rules }): ChecklistItemState => {
    const tick = ticks.find((candidate) => candidate.item === item && counts(candidate));
    return tick
      ? { item, rules, checked: true, checkedBy: tick.checkedBy, headSha: tick.headSha }
      : { item, rules, checked: false };
  });
  const ticked = items.filter((item) => item.checked).length;
  const count = [`${ticked} of ${items.length} items ticked`, ...notes].join("; ");
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
