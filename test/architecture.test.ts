// The map is a test: the folder table of docs/architecture.md says which folder may import which,
// and src/ holds no import cycle, not even a type-only one.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkMap,
  describeViolation,
  findCycles,
  importGraph,
  importsOf,
  parseMap,
  type ModuleImports,
} from "./architecture/import-graph.js";
import { repoRoot } from "./helpers.js";

const root = repoRoot;
const map = parseMap(readFileSync(join(root, "docs/architecture.md"), "utf8"));
const graph = importGraph(root, "src");

describe("src/ against docs/architecture.md", () => {
  it("maps every module and imports only what its row allows", () => {
    expect(graph.length).toBeGreaterThan(100);
    expect(checkMap(map, graph).map(describeViolation)).toEqual([]);
  });

  it("fails when a forbidden import or a cycle is added to the real graph", () => {
    const withForbidden = [
      ...graph,
      { file: "src/formats/peek.ts", local: ["src/github/app.ts"] },
      {
        file: "src/rules/model/back.ts",
        local: ["src/rules/aws/health-check-disabled.ts"],
      },
      {
        file: "src/rules/gcp/cross.ts",
        local: ["src/rules/aws/health-check-disabled.ts"],
      },
    ];
    expect(checkMap(map, withForbidden).map(describeViolation)).toEqual([
      "src/formats/peek.ts imports src/github/app.ts: formats may import shared",
      "src/rules/model/back.ts imports src/rules/aws/health-check-disabled.ts: rules/model may import shared, formats, diff, rules",
      "src/rules/gcp/cross.ts imports src/rules/aws/health-check-disabled.ts: rules/gcp may import shared, formats, diff, rules, rules/model",
    ]);
    const shared = graph.find((module) => module.file === "src/shared/assert-never.ts")!;
    const withCycle = graph.map((module) =>
      module === shared ? { ...module, local: [...module.local, "src/formats/tree.ts"] } : module,
    );
    expect(findCycles(withCycle)).toContainEqual([
      "src/formats/tree.ts",
      "src/shared/assert-never.ts",
    ]);
  });

  it("has no import cycle", () => {
    expect(findCycles(graph).map((cycle) => `a cycle among ${cycle.join(", ")}`)).toEqual([]);
  });
});

describe("the map checker", () => {
  const rows = parseMap(`
| folder | job | may import |
| --- | --- | --- |
| \`src/shared/\` | names | |
| \`src/formats/\` | parsers | \`shared\` |
| \`src/rules/\` | catalog | \`formats\`, \`rules/model\`, \`rules/*\` |
| \`src/rules/model/\` | entities | \`formats\` |
| \`src/rules/*/\` | a family | \`rules\`, \`rules/model\` |
| \`src/github/\` | I/O | \`formats\`, \`rules\` |
`);
  const module = (file: string, ...local: string[]): ModuleImports => ({
    file,
    local,
  });

  it("reads the rows and their allowed imports", () => {
    expect(rows.map((row) => row.key)).toEqual([
      "shared",
      "formats",
      "rules",
      "rules/model",
      "rules/*",
      "github",
    ]);
    expect(rows[0]!.mayImport).toEqual([]);
    expect(rows[2]!.mayImport).toEqual(["formats", "rules/model", "rules/*"]);
  });

  it("fails a forbidden import: the pure core importing the App's I/O", () => {
    const violations = checkMap(rows, [
      module("src/formats/yaml.ts", "src/shared/names.ts"),
      module("src/formats/hcl.ts", "src/github/app.ts"),
      module("src/github/app.ts", "src/formats/yaml.ts"),
      module("src/shared/names.ts"),
    ]);
    expect(violations.map(describeViolation)).toEqual([
      "src/formats/hcl.ts imports src/github/app.ts: formats may import shared",
    ]);
  });

  it("treats each folder of a * row as its own group, and the most specific row as the owner", () => {
    const violations = checkMap(rows, [
      module(
        "src/rules/aws/a.ts",
        "src/rules/aws/b.ts",
        "src/rules/types.ts",
        "src/rules/model/x.ts",
      ),
      module("src/rules/aws/b.ts", "src/rules/gcp/c.ts"),
      module("src/rules/model/x.ts", "src/rules/aws/a.ts"),
      module("src/rules/gcp/c.ts"),
      module("src/rules/types.ts"),
    ]);
    expect(violations.map(describeViolation)).toEqual([
      "src/rules/aws/b.ts imports src/rules/gcp/c.ts: rules/aws may import rules, rules/model",
      "src/rules/model/x.ts imports src/rules/aws/a.ts: rules/model may import formats",
    ]);
  });

  it("fails a module no row holds, an import out of src/, and a row naming an unknown row", () => {
    const broken = [...rows, { key: "cli", mayImport: ["emulator"] }];
    const violations = checkMap(broken, [
      module("src/demo/stack.ts"),
      module("src/github/app.ts", "tools/github-emulator/src/index.ts"),
    ]);
    expect(violations.map(describeViolation)).toEqual([
      "row cli: may import names emulator, which is no row",
      "src/demo/stack.ts: no row of docs/architecture.md holds it",
      "src/github/app.ts imports tools/github-emulator/src/index.ts: outside src/",
    ]);
  });

  it("reads type-only, re-export and dynamic imports as edges, and finds a cycle through them", () => {
    const a = importsOf(
      "src/gates/a.ts",
      `import type { B } from "./b.js";\nexport * from "../shared/names.js";\nconst c = await import("./c.js");\nimport { parse } from "yaml";`,
    );
    expect(a.local).toEqual(["src/gates/b.ts", "src/shared/names.ts", "src/gates/c.ts"]);
    const cycles = findCycles([
      a,
      module("src/gates/b.ts", "src/gates/c.ts"),
      module("src/gates/c.ts", "src/gates/a.ts"),
      module("src/shared/names.ts"),
      module("src/gates/self.ts", "src/gates/self.ts"),
    ]);
    expect(cycles).toEqual([
      ["src/gates/a.ts", "src/gates/b.ts", "src/gates/c.ts"],
      ["src/gates/self.ts"],
    ]);
  });
});
