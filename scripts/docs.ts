// Regenerates the docs that come from code: docs/rules.md (the catalog) and
// docs/changegate.schema.json (the policy schema). `npm run docs`; test/docs.test.ts fails when stale.
import { writeFileSync } from "node:fs";
import { generatedDocs } from "./generated-docs.js";

for (const [path, content] of Object.entries(generatedDocs())) {
  writeFileSync(new URL(`../${path}`, import.meta.url), content);
  console.log(`wrote ${path}`);
}
