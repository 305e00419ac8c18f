import { describe, expect, it } from "vitest";
import { isCandidate } from "../../../src/github/snapshot/shared.js";

const selection = { include: [], exclude: ["vendor/**"], formatOverride: () => undefined };
const file = (filename: string, status: string, previous_filename?: string) =>
  ({ filename, status, ...(previous_filename ? { previous_filename } : {}) }) as Parameters<
    typeof isCandidate
  >[0];

describe("which changed files the App reads: the CLI's name rule (couldBeInfraFile), for every status", () => {
  it("reads a removed or renamed-away file whose name may be infrastructure", () => {
    expect(isCandidate(file("deploy/lb.yaml", "removed"), selection)).toBe(true);
    expect(isCandidate(file("docs/readme.md", "renamed", "deploy/lb.yaml"), selection)).toBe(true);
  });

  it("does not read a removed package.json, tsconfig.json or excluded file: none can be infrastructure", () => {
    expect(isCandidate(file("package.json", "removed"), selection)).toBe(false);
    expect(isCandidate(file("web/tsconfig.json", "removed"), selection)).toBe(false);
    expect(isCandidate(file("vendor/chart/values.yaml", "removed"), selection)).toBe(false);
    expect(isCandidate(file("docs/pkg.md", "renamed", "package.json"), selection)).toBe(false);
  });
});
