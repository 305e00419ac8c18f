/** An event as a request to the gate: what it queues, `/changegate` commands, how a burst coalesces. */
import { WRITE_PERMISSIONS, type Permission, type Pusher } from "../gates/snapshot.js";

const COMMAND = /^\/changegate\s+(\S+)/m;

export const COMMANDS = ["recheck", "explain"] as const;

/** Parses `/changegate recheck` and `/changegate explain` (first command of a comment). */
export function parseCommand(body: string): string | undefined {
  return COMMAND.exec(body)?.[1]?.toLowerCase();
}

export const isWriter = (permission: string): boolean =>
  WRITE_PERMISSIONS.includes(permission as Permission);

/** One edit of the sticky comment: GitHub's `changes.body.from` and the new body. */
export interface ChecklistEdit {
  /** The edited comment: only an edit of the App's own sticky comment counts. */
  readonly commentId: number;
  readonly previousBody: string;
  readonly newBody: string;
  readonly sender: string;
}

/** Why an evaluation runs, and what the event adds to it. */
export interface GateRequest {
  readonly reason: string;
  /**
   * The event's head. The evaluation reads the PR's current head (an event may be old, e.g. a
   * redelivery); this one is the fail-closed fallback when the PR cannot be read at all.
   */
  readonly headSha?: string;
  /** People edited the sticky comment's checklist, in order (coalesced events keep every edit). */
  readonly tickEdits?: readonly ChecklistEdit[];
  /** `/changegate explain`: also post the detailed breakdown and the snapshot. */
  readonly explain?: boolean;
  /** Who pushed: the senders of `opened` / `synchronize` (kept in the sticky comment's state). */
  readonly pushers?: readonly Pusher[];
  /** A `labeled` delivery: the label and the head it was applied on (the override binds to it). */
  readonly labeled?: { readonly label: string; readonly headSha: string };
  /**
   * The sticky comment as it was before a person edited or deleted it (GitHub's
   * `changes.body.from`, the deleted comment's body): the pushers its state recorded, when the
   * App signed it, still count.
   */
  readonly stickyBefore?: readonly string[];
}

/** A `/changegate` command: accepted from writers only, refused with a reply otherwise. */
export interface CommandRequest {
  readonly name: string;
  readonly sender: string;
}

/** Merges two queued requests for one PR: the latest event wins, explain and every checklist edit are kept. */
export function mergeRequests(previous: GateRequest, next: GateRequest): GateRequest {
  const tickEdits = [...(previous.tickEdits ?? []), ...(next.tickEdits ?? [])];
  return {
    ...next,
    ...(previous.explain || next.explain ? { explain: true } : {}),
    ...(tickEdits.length > 0 ? { tickEdits } : {}),
    ...coalescedDelivery(previous, next),
  };
}

/**
 * Every pusher is kept, and every earlier body of the sticky comment; a label applied earlier in
 * the burst stays tied to its own head.
 */
function coalescedDelivery(previous: GateRequest, next: GateRequest): Partial<GateRequest> {
  const pushers = [...(previous.pushers ?? []), ...(next.pushers ?? [])];
  const labeled = next.labeled ?? previous.labeled;
  const stickyBefore = [...(previous.stickyBefore ?? []), ...(next.stickyBefore ?? [])];
  return {
    ...(pushers.length > 0 ? { pushers } : {}),
    ...(labeled ? { labeled } : {}),
    ...(stickyBefore.length > 0 ? { stickyBefore } : {}),
  };
}
