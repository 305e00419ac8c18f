import { describe, expect, it, vi } from "vitest";
import { MemoryTimedStore } from "../../src/github/coordination/index.js";
import {
  timedEntry,
  TimedSweep,
  timedSweepFromEnv,
  WINDOW_OPENED,
  type TimedEntry,
} from "../../src/github/timed-sweep.js";

const log = { error: vi.fn() };

describe("TimedSweep", () => {
  it("queues exactly the due PRs with the reason schedule.window-opened, by the injected clock", async () => {
    const store = new MemoryTimedStore<TimedEntry>();
    const due = { owner: "acme", repo: "web", number: 1 };
    const later = { owner: "acme", repo: "web", number: 2 };
    await store.due(timedEntry(7, due), 1_000);
    await store.due(timedEntry(7, later), 5_000);
    const evaluate = vi.fn();
    let now = 2_000;
    const sweep = new TimedSweep({ store, evaluate, log }, { intervalMs: 60_000, now: () => now });
    expect(await sweep.sweep()).toBe(1);
    expect(evaluate.mock.calls).toEqual([[7, due, { reason: WINDOW_OPENED }]]);
    expect(await sweep.sweep()).toBe(0);
    now = 5_000;
    expect(await sweep.sweep()).toBe(1);
    expect(evaluate.mock.calls[1]).toEqual([7, later, { reason: WINDOW_OPENED }]);
  });

  it("logs a store that fails and queues nothing", async () => {
    const failing = {
      due: () => Promise.resolve(),
      clear: () => Promise.resolve(),
      take: () => Promise.reject(new Error("Redis is down")),
    };
    const evaluate = vi.fn();
    const errors = vi.fn();
    const sweep = new TimedSweep(
      { store: failing, evaluate, log: { error: errors } },
      { intervalMs: 60_000, now: () => 0 },
    );
    expect(await sweep.sweep()).toBe(0);
    expect(evaluate).not.toHaveBeenCalled();
    expect(errors.mock.calls[0]![0]).toEqual({ reason: "Redis is down" });
  });

  it("runs on an unref'd timer until stopped", async () => {
    vi.useFakeTimers();
    try {
      const store = new MemoryTimedStore<TimedEntry>();
      const take = vi.spyOn(store, "take");
      const sweep = new TimedSweep(
        { store, evaluate: vi.fn(), log },
        { intervalMs: 1_000, now: () => 0 },
      );
      sweep.start();
      await vi.advanceTimersByTimeAsync(3_000);
      expect(take).toHaveBeenCalledTimes(3);
      sweep.stop();
      await vi.advanceTimersByTimeAsync(3_000);
      expect(take).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("CHANGEGATE_TIMED_SWEEP_MS", () => {
  it("defaults, turns off with 0 or off, and refuses what is no interval", () => {
    expect(timedSweepFromEnv({})).toEqual({});
    expect(timedSweepFromEnv({ CHANGEGATE_TIMED_SWEEP_MS: "30000" })).toEqual({
      intervalMs: 30_000,
    });
    expect(timedSweepFromEnv({ CHANGEGATE_TIMED_SWEEP_MS: "0" })).toBe(false);
    expect(timedSweepFromEnv({ CHANGEGATE_TIMED_SWEEP_MS: "off" })).toBe(false);
    expect(() => timedSweepFromEnv({ CHANGEGATE_TIMED_SWEEP_MS: "5s" })).toThrow(
      'CHANGEGATE_TIMED_SWEEP_MS must be a number of milliseconds ≥ 1000, or 0 to turn the timed sweep off (got "5s")',
    );
  });
});
