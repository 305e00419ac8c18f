import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { snapshotSchema } from "../../src/gates/snapshot-schema.js";
import { repoRoot } from "../helpers.js";

// docs/snapshot.md names every field `changegate evaluate --snapshot` reads (src/gates/snapshot-schema.ts).

/** Every key of the schema, as `parent.key` paths (`[]` for list items). */
function keys(schema: z.ZodType, path: string): string[] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })
    ._zod.def;
  switch (def.type) {
    case "object":
      return Object.entries(def.shape as Record<string, z.ZodType>).flatMap(([key, value]) => [
        path ? `${path}.${key}` : key,
        ...keys(value, path ? `${path}.${key}` : key),
      ]);
    case "optional":
    case "nullable":
    case "default":
      return keys(def.innerType as z.ZodType, path);
    case "pipe":
      return keys(def.in as z.ZodType, path);
    case "array":
      return keys(def.element as z.ZodType, `${path}[]`);
    case "record":
      return keys(def.valueType as z.ZodType, `${path}{}`);
    default:
      return [];
  }
}

describe("docs/snapshot.md", () => {
  const doc = readFileSync(join(repoRoot, "docs/snapshot.md"), "utf8");

  it("names every snapshot field", () => {
    const all = keys(snapshotSchema, "");
    expect(all).toContain("labelEvents[].headSha");
    // Named in a code span: `key`, `list[].key` or `{ key, other }`.
    const named = (key: string): boolean =>
      doc.includes(`"${key}"`) || new RegExp(`\`[^\`\n]*\\b${key}\\b[^\`\n]*\``).test(doc);
    const missing = all
      .map((path) =>
        path
          .split(".")
          .at(-1)!
          .replace(/[[\]{}]/g, ""),
      )
      .filter((key) => !named(key));
    expect(missing).toEqual([]);
  });
});
