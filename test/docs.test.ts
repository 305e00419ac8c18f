import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generatedDocs } from "../scripts/generated-docs.js";
import { policySchema } from "../src/config/schema.js";
import { repoRoot } from "./helpers.js";

describe("generated docs", () => {
  for (const [path, content] of Object.entries(generatedDocs())) {
    it(`${path} is up to date (run \`npm run docs\`)`, () => {
      expect(readFileSync(join(repoRoot, path), "utf8")).toBe(content);
    });
  }

  it("the JSON Schema describes the policy keys", () => {
    const schema = JSON.parse(generatedDocs()["docs/changegate.schema.json"]!);
    // Every key the policy schema reads (src/config/schema.ts), not a copy of the list.
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(policySchema.shape).sort());
  });
});

describe("docs/configuration.md", () => {
  it("documents every policy key", () => {
    const text = readFileSync(join(repoRoot, "docs/configuration.md"), "utf8");
    const schema = JSON.parse(generatedDocs()["docs/changegate.schema.json"]!);
    const keys: string[] = [];
    const walk = (node: { properties?: Record<string, unknown> }, prefix: string): void => {
      for (const [name, child] of Object.entries(node.properties ?? {})) {
        keys.push(`${prefix}${name}`);
        if (prefix === "" && name !== "rules" && name !== "requirements" && name !== "custom")
          walk(child as never, `${name}.`);
      }
    };
    walk(schema, "");
    for (const key of keys) expect(text, key).toContain(`\`${key}`);
  });
});
