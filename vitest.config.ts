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

export default defineConfig({
  test: {
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
