import { RULES } from "../rules/catalog.js";
import { rulesMarkdown } from "../render/rules-markdown.js";

/** The catalog as data: `changegate rules --format json`. */
export function catalogJson(): object[] {
  return RULES.map((rule) => ({
    id: rule.id,
    family: rule.family,
    severity: rule.severity,
    title: rule.title,
    description: rule.description,
    parameters: Object.fromEntries(
      Object.entries(rule.params).map(([name, spec]) => [
        name,
        { default: spec.default, description: spec.description },
      ]),
    ),
  }));
}

export function rulesCommand(format: "json" | "markdown" | "sarif"): string {
  return format === "json" ? JSON.stringify(catalogJson(), null, 2) + "\n" : rulesMarkdown(RULES);
}
