import type { GateRequest } from "./run-gate.js";
import { WRITE_PERMISSIONS, type Permission } from "../gates/snapshot.js";

const COMMAND = /^\/changegate\s+(\S+)/m;

export const COMMANDS = ["recheck", "explain"] as const;

/** Parses `/changegate recheck` and `/changegate explain` (first command of a comment). */
export function parseCommand(body: string): string | undefined {
  return COMMAND.exec(body)?.[1]?.toLowerCase();
}

export const isWriter = (permission: string): boolean =>
  WRITE_PERMISSIONS.includes(permission as Permission);

/** Merges two queued requests for one PR: the latest event wins, explain and every checklist edit are kept. */
export function mergeRequests(previous: GateRequest, next: GateRequest): GateRequest {
  const tickEdits = [...(previous.tickEdits ?? []), ...(next.tickEdits ?? [])];
  return {
    ...next,
    ...(previous.explain || next.explain ? { explain: true } : {}),
    ...(tickEdits.length > 0 ? { tickEdits } : {}),
  };
}
