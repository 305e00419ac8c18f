// `changegate analyze` gives the engine the unchanged infrastructure files beside the changes
// (same directory; a Helm template's whole chart), read at the head commit, within bounds.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { localContext } from "../../src/git/context.js";
import { deployment, service } from "../rules/cross/builders.js";
import { analyzeBranch, run, tempRepo } from "./cli-helpers.js";

const selection = { include: [], exclude: [], formatOverride: () => undefined };
const RULE = "cross.service.workload-mismatch";

let repo: string;
let git: (...args: string[]) => string;

function write(path: string, text: string): void {
  mkdirSync(join(repo, path, ".."), { recursive: true });
  writeFileSync(join(repo, path), text);
}

beforeAll(() => {
  ({ dir: repo, git } = tempRepo("cg-context-"));
  write("k8s/deployment.yaml", deployment());
  write("k8s/service.yaml", service());
  write("k8s/README.md", "# manifests\n");
  write("other/service.yaml", service({ name: "other" }));
  write("chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n");
  write("chart/values.yaml", "replicaCount: 3\n");
  write(
    "chart/templates/deployment.yaml",
    deployment().replace("replicas: 3", "replicas: {{ .Values.replicaCount }}"),
  );
  write("chart/templates/extra/service.yaml", service());
  git("add", ".");
  git("commit", "-qm", "base");
  git("checkout", "-qb", "change");
  write("k8s/deployment.yaml", deployment({ labels: "app: web-v2" }));
  write(
    "chart/templates/deployment.yaml",
    deployment({ labels: "app: web-v2" }).replace(
      "replicas: 3",
      "replicas: {{ .Values.replicaCount }}",
    ),
  );
  git("commit", "-qam", "relabel");
});

describe("changegate analyze: the workspace's context", () => {
  it("joins a changed Deployment with the unchanged Service of its directory", async () => {
    const analysis = await analyzeBranch(repo, "change");
    // Context files are not part of the change.
    expect(analysis.files.map((file) => file.path).sort()).toEqual([
      "chart/templates/deployment.yaml",
      "k8s/deployment.yaml",
    ]);
    expect(analysis.findings.filter((finding) => finding.rule === RULE)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: "k8s/deployment.yaml", severity: "critical" }),
      ]),
    );
  });

  it("reads the directory of each change and the whole chart of a template, infrastructure only", async () => {
    const inputs = [
      { path: "k8s/deployment.yaml", before: "", after: "" },
      { path: "chart/templates/deployment.yaml", before: "", after: "" },
    ];
    const context = await localContext(repo, "change", inputs, selection);
    // In the order of the changes: the directory, then the chart (Chart.yaml is not a manifest).
    expect(context.files.map((file) => file.path)).toEqual([
      "k8s/service.yaml",
      "chart/templates/extra/service.yaml",
      "chart/values.yaml",
    ]);
    expect(context.files.map((file) => file.path)).not.toContain("other/service.yaml");
    expect(context.files.map((file) => file.path)).not.toContain("k8s/README.md");
    expect(context.skipped).toBe(0);
  });

  it("reads the directory of a deleted file too (what still uses it lies there), as the App does", async () => {
    const inputs = [{ path: "k8s/gone.yaml", before: service({ name: "gone" }), after: null }];
    const context = await localContext(repo, "change", inputs, selection);
    expect(context.files.map((file) => file.path)).toEqual([
      "k8s/deployment.yaml",
      "k8s/service.yaml",
    ]);
  });

  it("reads a changed values.yaml with its chart's templates, as the App does", async () => {
    const inputs = [{ path: "chart/values.yaml", before: "replicaCount: 2\n", after: "" }];
    const context = await localContext(repo, "change", inputs, selection);
    expect(context.files.map((file) => file.path)).toEqual(
      expect.arrayContaining(["chart/templates/deployment.yaml"]),
    );
  });

  it("stops at its bounds and says how many files it left", async () => {
    const inputs = [{ path: "chart/templates/deployment.yaml", before: "", after: "" }];
    const context = await localContext(repo, "change", inputs, selection, {
      maxFiles: 2,
      maxBytes: 1 << 20,
    });
    // The chart holds two candidates beside the change: the first is read, the other counted.
    expect(context.files.map((file) => file.path)).toEqual(["chart/templates/extra/service.yaml"]);
    expect(context.skipped).toBe(1);
  });

  it("prints the cut on stderr when a directory holds more than 200 candidate files", async () => {
    const { dir, git: gitIn } = tempRepo("cg-context-many-");
    const put = (path: string, text: string): void => {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    put("k8s/deployment.yaml", deployment());
    for (let index = 0; index < 205; index++)
      put(`k8s/svc-${index}.yaml`, service({ name: `s${index}` }));
    gitIn("add", ".");
    gitIn("commit", "-qm", "base");
    gitIn("checkout", "-qb", "change");
    put("k8s/deployment.yaml", deployment({ labels: "app: web-v2" }));
    gitIn("commit", "-qam", "relabel");
    const { code, err } = await run("analyze", "--repo", dir, "--base", "main", "--head", "change");
    expect(code).toBe(0);
    expect(err).toMatch(
      /context bounded to 200 files and 4 MB: 5 more files beside the changes were not read/,
    );
  });
});
