import { describe, expect, it } from "vitest";
import { ofADependency, takeWarnings, warningListener } from "./quiet.js";

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

describe("warnings that are not ours", () => {
  const warning = (name: string, frame: string): Error =>
    Object.assign(new Error("deprecated"), {
      name,
      stack: `${name}: deprecated\n    at node:internal/modules/cjs/loader:1:1\n    at ${frame}`,
    });

  it("lets a dependency's deprecated or experimental API pass, never our own or other warnings", () => {
    const dependency = "Object.<anonymous> (/work/main/node_modules/tr46/index.js:3:18)";
    const ours = "load (/work/main/src/github/app.ts:10:3)";
    expect(ofADependency(warning("DeprecationWarning", dependency))).toBe(true);
    expect(ofADependency(warning("ExperimentalWarning", dependency))).toBe(true);
    expect(ofADependency(warning("DeprecationWarning", ours))).toBe(false);
    expect(ofADependency(warning("TimeoutOverflowWarning", dependency))).toBe(false);
    expect(ofADependency(warning("MaxListenersExceededWarning", dependency))).toBe(false);
  });
});
