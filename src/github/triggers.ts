import type { GateRequest } from "./run-gate.js";
import type { PullLocator } from "./client.js";

/** What an event asks for: an evaluation of one PR, a reply to a command, or nothing. */
export type Trigger =
  | { readonly kind: "evaluate"; readonly locator: PullLocator; readonly request: GateRequest }
  | { readonly kind: "reply"; readonly locator: PullLocator; readonly body: string }
  | { readonly kind: "ignore"; readonly why: string };

const COMMAND = /^\/changegate\s+(\S+)/m;

export const COMMANDS = ["recheck", "explain"] as const;

/** Parses `/changegate recheck` and `/changegate explain` (first command of a comment). */
export function parseCommand(body: string): string | undefined {
  return COMMAND.exec(body)?.[1]?.toLowerCase();
}

export const isWriter = (permission: string): boolean =>
  ["admin", "maintain", "write"].includes(permission);

/** Merges two queued requests for one PR: the latest event wins, but explain and ticks are kept. */
export function mergeRequests(previous: GateRequest, next: GateRequest): GateRequest {
  return {
    ...next,
    ...(previous.explain || next.explain ? { explain: true } : {}),
    ...((next.tickEdit ?? previous.tickEdit)
      ? { tickEdit: next.tickEdit ?? previous.tickEdit }
      : {}),
  };
}
