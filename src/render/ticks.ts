import type { Permission } from "../gates/snapshot.js";
import { WRITE_PERMISSIONS } from "../gates/snapshot.js";
import type { ChecklistItemState } from "../gates/verdict.js";
import { tickedLines, type CommentState } from "./comment-state.js";
import { escapeText } from "./escape.js";

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
        ...(edit.changeSet !== undefined ? { changeSet: edit.changeSet } : {}),
      });
  }
  return { ...state, ticks, rejectedTicks: rejected };
}
