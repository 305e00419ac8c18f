import { afterEach, describe, expect, it, vi } from "vitest";
import { CheckRunWriter } from "../../src/github/check-run.js";
import type { GitHubClient } from "../../src/github/client.js";

// Node keeps a timer's delay in a 32-bit signed integer: a longer one (Infinity included) fires
// after 1 ms with a TimeoutOverflowWarning on stderr
// (https://nodejs.org/api/timers.html#settimeoutcallback-delay-args).
const MAX_TIMER_MS = 2 ** 31 - 1;

const locator = { owner: "acme", repo: "web", number: 1 };

/** A client that records what it is asked and answers nothing useful (no request is expected). */
function recordingClient(requests: string[]): GitHubClient {
  const request = (route: string) => {
    requests.push(route);
    return Promise.resolve({ data: { id: 1 } });
  };
  return { request, paginate: request, graphql: request } as unknown as GitHubClient;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("CheckRunWriter's in-progress timer", () => {
  it.each([Infinity, MAX_TIMER_MS + 1, 30 * 24 * 3_600_000])(
    "arms no timer Node cannot hold when the run shows in_progress after %d ms (never)",
    async (after) => {
      const setTimeoutSpy = vi.spyOn(globalThis, "setTimeout");
      const warnings: Error[] = [];
      const onWarning = (warning: Error): void => {
        warnings.push(warning);
      };
      process.on("warning", onWarning);
      try {
        const requests: string[] = [];
        const writer = new CheckRunWriter(
          recordingClient(requests),
          locator,
          "abc123",
          Promise.resolve(undefined),
          after,
        );
        // Long enough for an overflowing timer to fire (after 1 ms) and its warning to be emitted.
        await new Promise((resolve) => setTimeout(resolve, 20));
        writer.stop();
        const delays = setTimeoutSpy.mock.calls.map((call) => Number(call[1] ?? 0));
        expect(delays.filter((delay) => delay > MAX_TIMER_MS)).toEqual([]);
        expect(warnings.map((warning) => warning.name)).toEqual([]);
        expect(requests).toEqual([]); // never marked in_progress
      } finally {
        process.off("warning", onWarning);
      }
    },
  );

  it("still marks the run in_progress after a finite delay Node can hold", async () => {
    const requests: string[] = [];
    const writer = new CheckRunWriter(
      recordingClient(requests),
      locator,
      "abc123",
      Promise.resolve(undefined),
      5,
    );
    await vi.waitFor(() => expect(requests).toContain("POST /repos/{owner}/{repo}/check-runs"));
    writer.stop();
  });
});
