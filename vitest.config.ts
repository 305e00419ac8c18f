import { configDefaults, defineConfig } from "vitest/config";

// CI sets CHANGEGATE_VITEST_REPORT so .ci/run can print "N passed, N failed" from vitest's JSON report.
const report = process.env.CHANGEGATE_VITEST_REPORT;

// The pure core's tests share no state (no mocks, timers, env or servers), so a worker runs many
// of them in one module graph instead of loading the engine again per file: with one file per
// rule that halves the suite's import time. Everything that starts servers, talks to the
// emulator or the CLI process stays isolated.
const CORE = [
  "test/rules/**/*.test.ts",
  "test/formats/**/*.test.ts",
  "test/diff/**/*.test.ts",
  "test/gates/**/*.test.ts",
  "test/render/**/*.test.ts",
  "test/config/**/*.test.ts",
  "test/properties/**/*.test.ts",
  "test/corpus/**/*.test.ts",
  "test/*.test.ts",
];

// A green run prints vitest's summary only (issue 12, item 18): what tests write to the console
// (the corpus tables, the property tallies, a skipped suite's reason) shows for failing tests,
// or for all with CHANGEGATE_TEST_REPORTS=1; a process warning fails the test (test/setup/quiet.ts).
const reports = process.env.CHANGEGATE_TEST_REPORTS === "1";

export default defineConfig({
  test: {
    silent: reports ? false : "passed-only",
    setupFiles: ["test/setup/quiet.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: report ? ["default", ["json", { outputFile: report }]] : ["default"],
    projects: [
      { extends: true, test: { name: "core", include: CORE, isolate: false } },
      {
        extends: true,
        test: {
          name: "app",
          include: ["test/**/*.test.ts", "tools/*/test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...CORE],
        },
      },
    ],
  },
});
