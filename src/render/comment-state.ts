import { createHmac, timingSafeEqual } from "node:crypto";
import type { ChecklistTick, EmergencyBinding, Pusher } from "../gates/snapshot.js";
import { samePush } from "../gates/snapshot.js";

/** Hidden marker that identifies Changegate's sticky comment (never the bot's login). */
export const STICKY_MARKER = "<!-- changegate:sticky -->";

const STATE_PATTERN = /<!-- changegate:state ([A-Za-z0-9+/=]*)(?: ([0-9a-f]{64}))? -->/;

/**
 * What signs a state block: the App's key and the pull request the block belongs to. Anyone with
 * write access can edit the App's comment, so only a block whose HMAC verifies was written by
 * the App, for this pull request (a block copied from another PR does not verify).
 */
export interface StateSeal {
  /** A secret only the App has (app.ts derives it from the webhook secret). */
  readonly key: string;
  /** `owner/repo#number` */
  readonly pull: string;
}

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
  /**
   * The comment held a state block the App did not sign (edited by hand, or written before
   * blocks were signed): its ticks, override binding and follow-up issue were dropped.
   */
  readonly unverified?: boolean;
}

const EMPTY_STATE: CommentState = { ticks: [] };

/**
 * Base64 JSON: no PR-supplied text can close the HTML comment that carries it. With a seal, the
 * block carries its HMAC-SHA256; without one it is unsigned, and never trusted to weaken the gate.
 */
export function encodeState(state: CommentState, seal?: StateSeal): string {
  // Only what must persist, in a fixed shape: the same state always encodes the same (no needless edits).
  // Keys added later are written only when set, so an older state encodes as it did.
  const stored = {
    v: 1,
    ticks: state.ticks,
    followUpIssue: state.followUpIssue ?? null,
    ...(state.override ? { override: state.override } : {}),
    ...(state.pushers?.length ? { pushers: state.pushers } : {}),
  };
  const encoded = Buffer.from(JSON.stringify(stored), "utf8").toString("base64");
  return `<!-- changegate:state ${encoded}${seal ? ` ${stateMac(encoded, seal)}` : ""} -->`;
}

/**
 * The state a comment body records, as far as it can be trusted. A block whose signature verifies
 * for `seal` is taken whole. Any other block (edited by hand, unsigned, copied from another PR, or
 * read without the key) counts only where it adds requirements: its pushers are kept, its ticks,
 * override binding and follow-up issue are not (docs/security.md, the sticky comment's state block).
 */
export function decodeState(body: string | null | undefined, seal?: StateSeal): CommentState {
  const match = body ? STATE_PATTERN.exec(body) : null;
  if (!match) return EMPTY_STATE;
  const verified = seal !== undefined && match[2] !== undefined && macMatches(match, seal);
  try {
    const data = JSON.parse(
      Buffer.from(match[1]!, "base64").toString("utf8"),
    ) as Partial<CommentState> & { v?: number };
    const pushers = Array.isArray(data.pushers) ? data.pushers.filter(isPusher) : [];
    if (!verified) return { ticks: [], ...(pushers.length ? { pushers } : {}), unverified: true };
    const ticks = Array.isArray(data.ticks) ? data.ticks.filter(isTick) : [];
    return {
      ticks,
      followUpIssue: typeof data.followUpIssue === "number" ? data.followUpIssue : null,
      ...(isBinding(data.override) ? { override: data.override } : {}),
      ...(pushers.length ? { pushers } : {}),
    };
  } catch {
    return verified ? EMPTY_STATE : { ...EMPTY_STATE, unverified: true };
  }
}

/** The state block of a body as written (to tell whether an edit changed it), or null. */
export function stateBlock(body: string | null | undefined): string | null {
  return (body ? STATE_PATTERN.exec(body)?.[0] : undefined) ?? null;
}

/** HMAC-SHA256 over the pull request and the encoded state, with a label of its own. */
function stateMac(encoded: string, seal: StateSeal): string {
  return createHmac("sha256", seal.key)
    .update(`changegate:state:v1\n${seal.pull.toLowerCase()}\n${encoded}`)
    .digest("hex");
}

function macMatches(match: RegExpExecArray, seal: StateSeal): boolean {
  const expected = Buffer.from(stateMac(match[1]!, seal), "hex");
  return timingSafeEqual(expected, Buffer.from(match[2]!, "hex"));
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
  for (const push of pushes)
    if (
      push.login.toLowerCase() !== author.toLowerCase() &&
      !known.some((other) => samePush(other, push))
    )
      known.push({
        login: push.login,
        headSha: push.headSha,
        ...(push.before ? { before: push.before } : {}),
      });
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
