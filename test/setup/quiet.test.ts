import { describe, expect, it } from "vitest";
import { takeWarnings, warningListener } from "./quiet.js";

describe("the quiet-run guard (test/setup/quiet.ts)", () => {
  it("records every process warning, so the test that emitted it fails", async () => {
    // Node's own listener would print the warning: only the guard's listens while it is emitted.
    const others = process.listeners("warning").filter((listener) => listener !== warningListener);
    for (const listener of others) process.off("warning", listener);
    try {
      expect(process.listeners("warning")).toContain(warningListener);
      process.emitWarning("a timer too long", "TimeoutOverflowWarning");
      await new Promise((resolve) => setImmediate(resolve)); // Node emits it on the next tick
    } finally {
      for (const listener of others) process.on("warning", listener);
    }
    const taken = takeWarnings(); // taken here, so this test itself passes
    expect(taken.map((warning) => [warning.name, warning.message])).toEqual([
      ["TimeoutOverflowWarning", "a timer too long"],
    ]);
    expect(takeWarnings()).toEqual([]);
  });
});
