import { policyJsonSchema } from "../src/config/json-schema.js";
import { rulesMarkdown } from "../src/render/rules-markdown.js";
import { RULES } from "../src/rules/catalog.js";

/** Every generated doc by repository path. */
export function generatedDocs(): Record<string, string> {
  return {
    "docs/rules.md": rulesMarkdown(RULES),
    "docs/changegate.schema.json": JSON.stringify(policyJsonSchema(), null, 2) + "\n",
  };
}
