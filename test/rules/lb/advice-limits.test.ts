// Advice stays within what each product accepts (docs/lb-facts.md "Product limits the advice respects"):
// the safer timing the health-check rules advise, for every product the limits table knows.
import { describe, expect, it } from "vitest";
import type { CheckProvider, HealthCheck } from "../../../src/rules/model/health-check.js";
import { saferTiming } from "../../../src/rules/model/hair-trigger.js";
import { CHECK_LIMITS, clampTo, within } from "../../../src/rules/model/limits.js";

const figure = (value: number) => ({ value, line: 1, explicit: true });

const check = (provider: CheckProvider, interval: number, threshold: number): HealthCheck => ({
  key: "k",
  label: "check",
  provider,
  path: "p",
  line: 1,
  intervalSeconds: figure(interval),
  unhealthyThreshold: figure(threshold),
  ejectAfterSeconds: interval * threshold,
  timeoutRule: "none",
});

describe("saferTiming keeps to each product's limits", () => {
  for (const [provider, limits] of Object.entries(CHECK_LIMITS)) {
    it(provider, () => {
      for (const interval of [1, 2, 4, 5, 30, 400])
        for (const threshold of [1, 2, 3, 10, 30])
          for (const target of [5, 12, 20, 90]) {
            const timing = saferTiming(
              check(provider as CheckProvider, interval, threshold),
              target,
            )!;
            const shown = `${provider} ${interval} s × ${threshold} → ${timing.interval} s × ${timing.threshold}`;
            expect(within(timing.interval, limits.interval), shown).toBe(true);
            expect(within(timing.threshold, limits.unhealthyThreshold), shown).toBe(true);
            expect(Number.isInteger(timing.interval), shown).toBe(true);
          }
    });
  }

  it("raises an AWS interval to 5 s where 12 s over a threshold of 3 would give 4 s", () => {
    expect(saferTiming(check("aws-elbv2", 1, 2), 12)).toEqual({ interval: 5, threshold: 3 });
  });

  it("leaves a product the table does not know as it was (HAProxy counts fractions of a second)", () => {
    expect(saferTiming(check("haproxy", 0.5, 1), 5)).toEqual({ interval: 2, threshold: 3 });
  });
});

describe("clampTo", () => {
  it("moves a value into its range, rounding up to whole seconds when asked", () => {
    expect(clampTo(4, { min: 5, max: 300 })).toBe(5);
    expect(clampTo(400, { min: 5, max: 300 })).toBe(300);
    expect(clampTo(1.5, { min: 1 }, true)).toBe(2);
    expect(clampTo(0.5)).toBe(0.5);
  });
});
