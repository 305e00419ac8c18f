// Which files are read to tell whether they are infrastructure: one rule by name for the App's
// loaders (candidates and context) and the CLI's context, so that "try it locally" reads what the App reads.
import { describe, expect, it } from "vitest";
import { couldBeInfraChange, couldBeInfraFile } from "../../src/engine/select.js";

const selection = (exclude: string[] = []) => ({
  include: [],
  exclude,
  formatOverride: () => undefined,
});

describe("couldBeInfraFile", () => {
  it("reads infrastructure by path and config files whose text decides", () => {
    for (const path of [
      "lb.tf",
      "lb.tf.json",
      "nginx/nginx.conf",
      "haproxy.cfg",
      "k8s/web.yaml",
      "traefik.toml",
      "cfn/stack.json",
    ])
      expect(couldBeInfraFile(path, selection()), path).toBe(true);
  });

  it("does not read package manifests, compiler settings, sources or excluded paths", () => {
    for (const path of [
      "package.json",
      "web/package-lock.json",
      "tsconfig.json",
      "composer.json",
      "src/app.ts",
      "README.md",
    ])
      expect(couldBeInfraFile(path, selection()), path).toBe(false);
    expect(couldBeInfraFile("fixtures/web.yaml", selection(["fixtures/**"]))).toBe(false);
    expect(couldBeInfraFile("k8s/web.yaml", selection(["fixtures/**"]))).toBe(true);
  });
});

describe("couldBeInfraChange", () => {
  it("reads a change by its name, or a rename by either name", () => {
    expect(couldBeInfraChange("k8s/web.yaml", undefined, selection())).toBe(true);
    expect(couldBeInfraChange("docs/web.md", "k8s/web.yaml", selection())).toBe(true);
    expect(couldBeInfraChange("k8s/web.yaml", "docs/web.md", selection())).toBe(true);
    expect(couldBeInfraChange("docs/web.md", "docs/old.md", selection())).toBe(false);
    expect(couldBeInfraChange("docs/web.md", undefined, selection())).toBe(false);
  });
});
