import type { Permission } from "../gates/snapshot.js";
import { WRITE_PERMISSIONS } from "../gates/snapshot.js";
import type { ChecklistItemState } from "../gates/verdict.js";
import { tickedLines, type CommentState } from "./comment-state.js";
import { escapeText } from "./escape.js";

/**
 * Hidden in the checklist the comment shows: the change set its items were rendered for, so a
 * tick is bound to the change its ticker was shown, not to one pushed while they looked.
 */
export function checklistMarker(changeSet: string): string {
  return `<!-- changegate:checklist ${changeSet} -->`;
}

/** The change set a body's checklist was rendered for; undefined when it names none. */
export function shownChangeSet(body: string): string | undefined {
  return /<!-- changegate:checklist ([0-9a-f]{64}) -->/.exec(body)?.[1];
}

/** Bound to no change set: a tick on a checklist shown for another change never counts. */
const NO_CHANGE_SET = "";

export interface TickEdit {
  readonly previousBody: string;
  readonly newBody: string;
  readonly sender: string;
  readonly permission: Permission;
  readonly headSha: string;
  /** The change set the tick is made on (`verdict.changeSet`); a later change re-opens it. */
  readonly changeSet?: string | undefined;
}

/**
 * Applies a person's edit of the sticky comment's checklist to the recorded state: ticks and
 * unticks by writers are recorded (who, at which head); a non-writer's changes are not, and are
 * named so the next render can say the tick was reverted.
 */
export function applyTickEdit(
  state: CommentState,
  items: readonly ChecklistItemState[],
  edit: TickEdit,
): CommentState {
  const before = tickedLines(edit.previousBody);
  const after = tickedLines(edit.newBody);
  const writer = WRITE_PERMISSIONS.includes(edit.permission);
  // Ticked on a checklist shown for another change set (a push landed meanwhile): re-opened.
  const shown = shownChangeSet(edit.newBody);
  const changeSet =
    edit.changeSet === undefined || shown === undefined || shown === edit.changeSet
      ? edit.changeSet
      : NO_CHANGE_SET;
  let ticks = [...state.ticks];
  const rejected: { item: string; by: string; permission: string }[] = [];
  for (const item of items) {
    const rendered = escapeText(item.item);
    const was = before.get(rendered);
    const now = after.get(rendered);
    if (now === undefined || was === now) continue;
    if (!writer) {
      rejected.push({ item: item.item, by: edit.sender, permission: edit.permission });
      continue;
    }
    ticks = ticks.filter((tick) => tick.item !== item.item);
    if (now)
      ticks.push({
        item: item.item,
        checkedBy: edit.sender,
        permission: edit.permission,
        headSha: edit.headSha,
        ...(changeSet !== undefined ? { changeSet } : {}),
      });
  }
  return { ...state, ticks, rejectedTicks: rejected };
}
