import { describe, expect, it } from "vitest";
import {
  hourlyBudget,
  largestEventRate,
  largestOrganisation,
  requestsPerEvent,
  type EventCost,
  type SweepModel,
} from "../../bench/org-model.js";

const mix: EventCost[] = [
  { event: "synchronize", share: 0.5, requests: 10 },
  { event: "review submitted", share: 0.3, requests: 8 },
  { event: "comment (no command)", share: 0.2, requests: 0 },
];

const sweeps: SweepModel = {
  recoverySweepsPerHour: 12,
  recoveryQuietRequests: 5,
  recoveryRequestsPerEvent: 2,
  recoveryColdRequests: 1_205,
  recoveryColdSweepsPerHour: 1 / 12,
  timedPassRequests: 0,
  timedPassesPerHour: 60,
  timedEvaluationsPerHour: 10,
  timedEvaluationRequests: 9,
};

describe("the org-scale request budget", () => {
  it("averages the requests of an event over the mix", () => {
    expect(requestsPerEvent(mix)).toBeCloseTo(7.4);
  });

  it("adds the events, the recovery sweeps (quiet, per event, cold) and the timed sweep", () => {
    expect(hourlyBudget(1_000, mix, sweeps)).toEqual({
      events: 7_400,
      // 12 × 5 quiet + 1,000 × 2 per event + (1,205 − 5) / 12 for a cold sweep every 12 h
      recovery: 60 + 2_000 + 100,
      timed: 90,
      total: 7_400 + 2_160 + 90,
    });
  });

  it("finds the event rate at which the budget reaches a limit", () => {
    // (5,000 − 160 − 90) / (7.4 + 2) = 505.3
    expect(largestEventRate(5_000, mix, sweeps)).toBe(505);
    expect(hourlyBudget(505, mix, sweeps).total).toBeLessThanOrEqual(5_000);
    expect(hourlyBudget(506, mix, sweeps).total).toBeGreaterThan(5_000);
  });

  it("serves no event when the sweeps alone reach the limit", () => {
    expect(largestEventRate(200, mix, sweeps)).toBe(0);
  });

  it("scales an organisation's events and per-PR sweep costs with its open pull requests", () => {
    // At 1,000 events/h over 2,000 open PRs: 9,650 requests, of which 60 quiet-sweep ones stay.
    const open = largestOrganisation(5_000, 1_000, 2_000, mix, sweeps);
    expect(open).toBe(Math.floor((5_000 - 60) / ((9_650 - 60) / 2_000)));
  });
});
