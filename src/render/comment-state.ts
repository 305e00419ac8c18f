import type { ChecklistTick, EmergencyBinding } from "../gates/snapshot.js";

/** Hidden marker that identifies Changegate's sticky comment (never the bot's login). */
export const STICKY_MARKER = "<!-- changegate:sticky -->";

const STATE_PATTERN = /<!-- changegate:state ([A-Za-z0-9+/=]*) -->/;

/** What the sticky comment remembers between evaluations: checklist ticks and the follow-up issue. */
export interface CommentState {
  readonly ticks: readonly ChecklistTick[];
  readonly followUpIssue?: number | null;
  /** The change set the accepted emergency label was applied to (gates/emergency.ts). */
  readonly override?: EmergencyBinding | null;
  /** Who pushed to the PR's branch (senders of `opened` / `synchronize`), in first-seen order. */
  readonly pushers?: readonly string[];
  /** Notes about ticks that were not accepted (shown once, in the next render). */
  readonly rejectedTicks?: readonly {
    readonly item: string;
    readonly by: string;
    readonly permission: string;
  }[];
}

export const EMPTY_STATE: CommentState = { ticks: [] };

/** Base64 JSON: no PR-supplied text can close the HTML comment that carries it. */
export function encodeState(state: CommentState): string {
  // Only what must persist, in a fixed shape: the same state always encodes the same (no needless edits).
  // Keys added later are written only when set, so an older state encodes as it did.
  const stored = {
    v: 1,
    ticks: state.ticks,
    followUpIssue: state.followUpIssue ?? null,
    ...(state.override ? { override: state.override } : {}),
    ...(state.pushers?.length ? { pushers: state.pushers } : {}),
  };
  return `<!-- changegate:state ${Buffer.from(JSON.stringify(stored), "utf8").toString("base64")} -->`;
}

export function decodeState(body: string | null | undefined): CommentState {
  const match = body ? STATE_PATTERN.exec(body) : null;
  if (!match) return EMPTY_STATE;
  try {
    const data = JSON.parse(
      Buffer.from(match[1]!, "base64").toString("utf8"),
    ) as Partial<CommentState> & { v?: number };
    const ticks = Array.isArray(data.ticks) ? data.ticks.filter(isTick) : [];
    const pushers = Array.isArray(data.pushers)
      ? data.pushers.filter((login): login is string => typeof login === "string")
      : [];
    return {
      ticks,
      followUpIssue: typeof data.followUpIssue === "number" ? data.followUpIssue : null,
      ...(isBinding(data.override) ? { override: data.override } : {}),
      ...(pushers.length ? { pushers } : {}),
    };
  } catch {
    return EMPTY_STATE;
  }
}

function isTick(value: unknown): value is ChecklistTick {
  const tick = value as ChecklistTick;
  return (
    Boolean(tick) &&
    typeof tick.item === "string" &&
    typeof tick.checkedBy === "string" &&
    typeof tick.headSha === "string"
  );
}

function isBinding(value: unknown): value is EmergencyBinding {
  const binding = value as EmergencyBinding | null | undefined;
  return (
    Boolean(binding) &&
    typeof binding!.actor === "string" &&
    (binding!.createdAt === null || typeof binding!.createdAt === "string") &&
    typeof binding!.changeSet === "string"
  );
}

/**
 * Adds who pushed (the sender of an `opened` / `synchronize` delivery) to the state, once each;
 * the PR's author is not recorded (the author never counts as an approver anyway).
 */
export function withPushers(
  state: CommentState,
  logins: readonly string[],
  author: string,
): CommentState {
  const known = [...(state.pushers ?? [])];
  const seen = (login: string): boolean =>
    [author, ...known].some((other) => other.toLowerCase() === login.toLowerCase());
  for (const login of logins) if (!seen(login)) known.push(login);
  return known.length === (state.pushers ?? []).length ? state : { ...state, pushers: known };
}

export function isStickyComment(body: string | null | undefined): boolean {
  return Boolean(body?.includes(STICKY_MARKER));
}

/** The `- [x] item` lines of a comment body, by their rendered item text. */
export function tickedLines(body: string): Map<string, boolean> {
  const lines = new Map<string, boolean>();
  for (const match of body.matchAll(/^- \[( |x|X)\] (.+?)(?: — ticked by .*)?$/gm)) {
    lines.set(match[2]!.trim(), match[1] !== " ");
  }
  return lines;
}
