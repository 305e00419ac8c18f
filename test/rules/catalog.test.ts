// The catalog, the rule folders and the rule tests agree: every rule of a family lives in
// src/rules/<family>/<name>.ts (its id without the family, dots as dashes), is listed in the
// catalog, and has test/rules/<family>/<name>.test.ts that passes the rule to ruleTable. A family folder holds
// its rules and its index.ts, nothing else (helpers live in src/rules/model/).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RULES } from "../../src/rules/catalog.js";
import { SYSTEM_RULES } from "../../src/rules/system.js";
import { FAMILIES } from "../../src/rules/types.js";
import { repoRoot } from "../helpers.js";

const root = repoRoot;
const familyRules = RULES.filter((rule) => !SYSTEM_RULES.includes(rule));
const fileName = (id: string): string => id.slice(id.indexOf(".") + 1).replaceAll(".", "-");

describe("the rule catalog", () => {
  it("holds unique ids, each under its family's prefix", () => {
    const ids = RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of familyRules)
      expect(rule.id.startsWith(`${rule.family}.`), rule.id).toBe(true);
  });

  it.each(FAMILIES.map((family) => [family]))(
    "lists exactly the rule files of src/rules/%s, and each has its ruleTable test",
    (family) => {
      const members = familyRules.filter((rule) => rule.family === family);
      expect(members.length, `${family} has rules`).toBeGreaterThan(0);
      const files = readdirSync(join(root, "src/rules", family)).filter(
        (name) => name !== "index.ts",
      );
      expect(files.sort()).toEqual(members.map((rule) => `${fileName(rule.id)}.ts`).sort());
      for (const rule of members) {
        const test = join(root, "test/rules", family, `${fileName(rule.id)}.test.ts`);
        expect(existsSync(test), `${rule.id} has ${test}`).toBe(true);
        // The test tables this rule: it imports the rule's module and passes it to ruleTable.
        const source = readFileSync(test, "utf8");
        const imported = new RegExp(
          `^import (\\w+) from "\\.\\./\\.\\./\\.\\./src/rules/${family}/${fileName(rule.id)}\\.js";$`,
          "m",
        ).exec(source)?.[1];
        expect(imported, `${test} imports ${rule.id}`).toBeDefined();
        expect(source, `${test} tables ${rule.id}`).toMatch(
          new RegExp(`^ruleTable\\(${imported}\\b`, "m"),
        );
      }
    },
  );
});
