/** Fault injection: make the next matching requests fail, slow down, or be rate limited. */
import { STATUS_CODES } from "node:http";

export interface FaultSpec {
  /** HTTP method to match (any when omitted). */
  method?: string;
  /** A RegExp tested against the path (`/repos/o/r/pulls/1`), or an exact path. */
  path?: RegExp | string;
  /** Match by operationId instead of (or as well as) the path, e.g. `checks/create`. */
  operationId?: string;
  /** Answer with this status (omit for a pure delay). */
  status?: number;
  /** How many matching requests to affect (default 1; `Infinity` for all). */
  times?: number;
  /** Wait this long before answering (or before handling normally when no status). */
  delayMs?: number;
  /** Adds `retry-after`; with 403/429 the default message is GitHub's secondary rate limit. */
  retryAfter?: number;
  /** Response body (default: a GitHub-like error message for the status). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ActiveFault extends FaultSpec {
  remaining: number;
  hits: number;
}

export interface FaultResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export class Faults {
  private active: ActiveFault[] = [];

  add(spec: FaultSpec): ActiveFault {
    if (spec.path === undefined && spec.operationId === undefined)
      throw new Error("emulator: a fault needs a path or an operationId");
    const fault: ActiveFault = { ...spec, remaining: spec.times ?? 1, hits: 0 };
    this.active.push(fault);
    return fault;
  }

  clear(): void {
    this.active = [];
  }

  /** The first fault matching this request, consumed once. */
  take(method: string, path: string, operationId: string | null): ActiveFault | undefined {
    const fault = this.active.find(
      (f) =>
        f.remaining > 0 &&
        (!f.method || f.method.toUpperCase() === method.toUpperCase()) &&
        (f.operationId === undefined || f.operationId === operationId) &&
        (f.path === undefined ||
          (typeof f.path === "string" ? f.path === path : f.path.test(path))),
    );
    if (!fault) return undefined;
    fault.remaining--;
    fault.hits++;
    this.active = this.active.filter((f) => f.remaining > 0);
    return fault;
  }
}

export function faultResponse(fault: FaultSpec): FaultResponse | undefined {
  if (fault.status === undefined) return undefined;
  const headers: Record<string, string> = { ...(fault.headers ?? {}) };
  if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
  let message = STATUS_CODES[fault.status] ?? "Error";
  if ((fault.status === 403 || fault.status === 429) && fault.retryAfter !== undefined) {
    message =
      "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";
  } else if (fault.status === 422) message = "Validation Failed";
  else if (fault.status === 502) message = "Server Error";
  const body = fault.body ?? {
    message,
    documentation_url: "https://docs.github.com/rest",
    status: String(fault.status),
  };
  return { status: fault.status, body, headers };
}
