/**
 * Bounds every GitHub request the App sends, so a slow or silent GitHub never holds an evaluation
 * (and the PR's queue) forever, and waits out secondary rate limits.
 *
 * - @octokit/request 10 has no `timeout` option, only `signal`, and one signal set in the defaults
 *   would be shared by every request; so each attempt's fetch gets its own timer. Probot's retry
 *   plugin retries a timed-out attempt like a 5xx (up to 3 times): only for requests that do the
 *   same when sent twice (see `retrySafe`); a comment, issue or check run created by an attempt
 *   whose answer was lost is found again by the next evaluation (marker, head SHA), never doubled.
 * - Probot 14's throttle handlers retry a primary rate limit twice (waiting until the reset, which
 *   can be an hour away) and never retry a secondary one. GitHub asks to wait `retry-after`
 *   seconds (else at least a minute, growing) and to give up after a few tries ("Rate limits for
 *   the REST API"); the wrapper does that, within the deadline.
 * - The deadline bounds the whole call (retries and waits included): the call then fails, and its
 *   remaining attempts fail at once instead of reaching GitHub.
 */

/** Per attempt. GitHub itself ends a REST request it cannot process in 10 s ("Troubleshooting the REST API"). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;
/** Per call, retries and rate-limit waits included. */
export const DEFAULT_REQUEST_DEADLINE_MS = 10 * 60_000;
/** Secondary rate limits waited out per call before giving up. */
export const DEFAULT_SECONDARY_RETRIES = 3;
/** Without `retry-after`, GitHub asks to wait at least one minute. */
const SECONDARY_FALLBACK_WAIT_MS = 60_000;

export interface RequestLimits {
  readonly timeoutMs: number;
  readonly deadlineMs: number;
  readonly secondaryRetries?: number;
}

type Fetch = typeof globalThis.fetch;
type RequestOptions = { request?: { fetch?: Fetch } & Record<string, unknown> } & Record<
  string,
  unknown
>;
interface Hookable {
  hook: {
    wrap(
      name: "request",
      wrapper: (request: (options: never) => Promise<unknown>, options: never) => Promise<unknown>,
    ): void;
  };
}

/**
 * Thrown when GitHub does not answer in time; it carries no request data (no headers, no token)
 * beyond `request`, "METHOD /path" of the attempt that timed out (absent at the deadline).
 */
export class GitHubTimeoutError extends Error {
  override readonly name = "TimeoutError";
  readonly request?: string;
  constructor(message: string, request?: string) {
    super(message);
    if (request !== undefined) this.request = request;
  }
}

const limited = new WeakSet<object>();

/**
 * Adds the limits to an Octokit instance (once). The wrapper is registered last, so it is the
 * outermost: the throttling and retry plugins re-send the same options, and each attempt goes
 * through the timed fetch with a fresh timer. At the deadline the call's retries are set to 0 (the
 * retry plugin reads `request.retries` when an attempt fails), so what runs on behind it ends.
 */
export function limitRequests<T extends object>(octokit: T, limits: RequestLimits): T {
  if (limited.has(octokit)) return octokit;
  limited.add(octokit);
  const secondaryRetries = limits.secondaryRetries ?? DEFAULT_SECONDARY_RETRIES;
  (octokit as unknown as Hookable).hook.wrap("request", (async (
    request: (options: RequestOptions) => Promise<unknown>,
    options: RequestOptions,
  ) => {
    const deadline = Date.now() + limits.deadlineMs;
    const what = `${String(options.method ?? "GET")} ${String(options.url ?? "")}`;
    const requestOptions: NonNullable<RequestOptions["request"]> = { ...options.request };
    const stop = (): GitHubTimeoutError => {
      requestOptions.retries = 0;
      return new GitHubTimeoutError(
        `GitHub request ${what} gave up after ${seconds(limits.deadlineMs)} (retries and rate-limit waits included)`,
      );
    };
    requestOptions.fetch = timedFetch(
      requestOptions.fetch ?? globalThis.fetch,
      limits.timeoutMs,
      deadline,
      stop,
    );
    if (!retrySafe(options)) requestOptions.retries = 0;
    options.request = requestOptions;
    for (let attempt = 0; ; attempt++) {
      try {
        return await beforeDeadline(request(options), deadline, stop);
      } catch (error) {
        const wait = secondaryRateLimitWait(error, attempt);
        if (wait === undefined || attempt >= secondaryRetries || Date.now() + wait >= deadline)
          throw error;
        await new Promise((resolve) => setTimeout(resolve, wait).unref());
      }
    }
  }) as never);
  return octokit;
}

/**
 * Whether a request may be sent again after an attempt that failed without a clear refusal (a
 * timeout, a 5xx: GitHub may have done it). GET, PUT and DELETE are idempotent; a POST creates
 * something each time (a comment, an issue, a check run), except GraphQL queries (Changegate sends
 * no mutation) and installation tokens; a PATCH of a check run with annotations appends them again
 * (https://docs.github.com/en/rest/checks/runs#update-a-check-run).
 */
export function retrySafe(options: Readonly<Record<string, unknown>>): boolean {
  const method = String(options.method ?? "GET").toUpperCase();
  const url = String(options.url ?? "");
  if (method === "POST")
    return url === "/graphql" || /^\/app\/installations\/[^/]+\/access_tokens$/.test(url);
  if (method === "PATCH") {
    const annotations = (options.output as { annotations?: unknown[] } | undefined)?.annotations;
    return !annotations || annotations.length === 0;
  }
  return true;
}

/** How long to wait before retrying a secondary rate limit, or undefined for any other error. */
function secondaryRateLimitWait(error: unknown, attempt: number): number | undefined {
  const { status, message, response } = error as {
    status?: number;
    message?: string;
    response?: { headers?: Record<string, string | undefined> };
  };
  if (status !== 403 && status !== 429) return undefined;
  const headers = response?.headers ?? {};
  if (headers["x-ratelimit-remaining"] === "0") return undefined; // primary: the throttle plugin's
  const retryAfter = Number(headers["retry-after"]);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
  if (!/secondary rate limit/i.test(message ?? "")) return undefined;
  return SECONDARY_FALLBACK_WAIT_MS * 2 ** attempt;
}

/** The call's result, or the deadline's error if it comes first (the call is left to end by itself). */
function beforeDeadline<T>(
  call: Promise<T>,
  deadline: number,
  stop: () => GitHubTimeoutError,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(stop()), Math.max(0, deadline - Date.now()));
    timer.unref();
  });
  return Promise.race([call, expired]).finally(() => clearTimeout(timer));
}

/**
 * A fetch whose every attempt is aborted after `timeoutMs` (or at the deadline, if sooner), and
 * that refuses to start once the deadline has passed.
 */
function timedFetch(
  inner: Fetch,
  timeoutMs: number,
  deadline: number,
  stop: () => Error,
): Fetch {
  return async (input, init) => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw stop();
    const timeout = AbortSignal.timeout(Math.min(timeoutMs, remaining));
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      return await inner(input, { ...init, signal });
    } catch (error) {
      if (!timeout.aborted) throw error;
      if (Date.now() >= deadline) throw stop();
      const request = `${init?.method ?? "GET"} ${pathOf(input)}`;
      throw new GitHubTimeoutError(
        `GitHub did not answer ${request} within ${timeoutMs} ms`,
        request,
      );
    }
  };
}

/** "0.2 s", "30 s". */
export function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** The path only: a URL's query string could carry a credential. */
function pathOf(input: Parameters<Fetch>[0]): string {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  try {
    return new URL(url).pathname;
  } catch {
    return "(request)";
  }
}
