// Fixes on Envoy files write durations as protobuf Durations ("0.5s"), never "500ms", which Envoy
// rejects (docs/lb-facts.md "Product limits the advice respects"). The health-check rules of the lb
// family write their fixes through model/fix.ts, which knows the file is Envoy's.
import { describe, expect, it } from "vitest";
import { findingsOf } from "../rule-table.js";
import { ENVOY_PATH, timedCheck } from "./builders.js";

describe("Envoy duration fixes", () => {
  it("a timeout advised below the interval is written in seconds", () => {
    const [finding] = findingsOf(
      "lb.health-check.timeout-not-below-interval",
      ENVOY_PATH,
      timedCheck("10s", 3, "2s"),
      timedCheck("1s", 3, "1s"),
    );
    expect(finding?.fix?.replacement).toMatch(/timeout: 0\.\d+s$/);
    expect(finding?.fix?.replacement).not.toMatch(/ms$/);
  });
});
