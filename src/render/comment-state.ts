import type { ChecklistTick, EmergencyBinding, Pusher } from "../gates/snapshot.js";

/** Hidden marker that identifies Changegate's sticky comment (never the bot's login). */
export const STICKY_MARKER = "<!-- changegate:sticky -->";

const STATE_PATTERN = /<!-- changegate:state ([A-Za-z0-9+/=]*) -->/;

/** What the sticky comment remembers between evaluations: checklist ticks and the follow-up issue. */
export interface CommentState {
  readonly ticks: readonly ChecklistTick[];
  readonly followUpIssue?: number | null;
  /** The change set the accepted emergency label was applied to (gates/emergency.ts). */
  readonly override?: EmergencyBinding | null;
  /** Who pushed to the PR's branch (senders of `opened` / `synchronize`) and the head each push made. */
  readonly pushers?: readonly Pusher[];
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
    const pushers = Array.isArray(data.pushers) ? data.pushers.filter(isPusher) : [];
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

function isPusher(value: unknown): value is Pusher {
  const pusher = value as Pusher | null | undefined;
  return (
    Boolean(pusher) && typeof pusher!.login === "string" && typeof pusher!.headSha === "string"
  );
}

/**
 * Adds pushes (the sender of an `opened` / `synchronize` delivery and the head it made) to the
 * state, once each; the PR's author's are not recorded (the author never counts as an approver).
 */
export function withPushers(
  state: CommentState,
  pushes: readonly Pusher[],
  author: string,
): CommentState {
  const known = [...(state.pushers ?? [])];
  const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
  for (const push of pushes)
    if (
      !same(push.login, author) &&
      !known.some((other) => same(other.login, push.login) && other.headSha === push.headSha)
    )
      known.push({ login: push.login, headSha: push.headSha });
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
