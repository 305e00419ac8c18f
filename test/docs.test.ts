import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generatedDocs } from "../src/docs/generated.js";
import { repoRoot } from "./helpers.js";

describe("generated docs", () => {
  for (const [path, content] of Object.entries(generatedDocs())) {
    it(`${path} is up to date (run \`npm run docs\`)`, () => {
      expect(readFileSync(join(repoRoot, path), "utf8")).toBe(content);
    });
  }

  it("the JSON Schema describes the policy keys", () => {
    const schema = JSON.parse(generatedDocs()["docs/changegate.schema.json"]!);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        "files",
        "rules",
        "custom",
        "requirements",
        "testPlan",
        "rollbackPlan",
        "emergency",
        "approvals",
        "limits",
      ]),
    );
  });
});
