import { defineConfig } from "vitest/config";

// CI sets CHANGEGATE_VITEST_REPORT so .ci/run can print "N passed, N failed" from vitest's JSON report.
const report = process.env.CHANGEGATE_VITEST_REPORT;

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "tools/*/test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: report ? ["default", ["json", { outputFile: report }]] : ["default"],
  },
});
