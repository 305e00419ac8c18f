import { afterEach, expect } from "vitest";

// A green `npm test` prints vitest's summary only (issue 12, item 18). Node writes every process
// warning to stderr (TimeoutOverflowWarning, MaxListenersExceededWarning, DeprecationWarning…):
// each one fails the test it was emitted in (or, emitted between tests, the next one), so a new
// one is fixed where it comes from instead of scrolling past. A deprecated or experimental API
// used by a dependency (its first frame in node_modules) is not ours to fix, and fails nothing.

const KEY = Symbol.for("changegate.test.warnings");
interface Store {
  readonly warnings: Error[];
  readonly listener: (warning: Error) => void;
}
const global = globalThis as typeof globalThis & { [KEY]?: Store };

// One listener per worker: with `isolate: false` this file runs again for every test file.
const store: Store = (global[KEY] ??= (() => {
  const warnings: Error[] = [];
  const listener = (warning: Error): void => {
    if (!ofADependency(warning)) warnings.push(warning);
  };
  process.on("warning", listener);
  return { warnings, listener };
})());

/** The guard's own listener (its test silences Node's printing listener, not this one). */
export const warningListener = store.listener;

/** A DeprecationWarning or ExperimentalWarning whose first frame outside Node is a dependency's. */
export function ofADependency(warning: Error): boolean {
  if (warning.name !== "DeprecationWarning" && warning.name !== "ExperimentalWarning") return false;
  const frames = (warning.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  const first = frames.find((frame) => !/\(?node:/.test(frame.replace(/^\s+at\s+/, "")));
  return first !== undefined && first.includes("/node_modules/");
}

/** The warnings emitted since the last call (a test that expects one takes it here). */
export function takeWarnings(): Error[] {
  return store.warnings.splice(0);
}

afterEach(() => {
  const emitted = takeWarnings().map((warning) => `${warning.name}: ${warning.message}`);
  expect(emitted, "the process emitted warnings (printed on stderr)").toEqual([]);
});
