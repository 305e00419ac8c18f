import { FAMILIES, type AnyRule, type Family } from "../rules/types.js";

const FAMILY_TITLES: Record<Family, string> = {
  lb: "Load balancers, across formats",
  aws: "AWS",
  gcp: "Google Cloud",
  azure: "Azure",
  haproxy: "HAProxy",
  nginx: "nginx",
  envoy: "Envoy",
  traefik: "Traefik",
  kubernetes: "Kubernetes",
  compose: "docker-compose",
  generic: "Generic and cross-format",
  cross: "Across files",
};

/** docs/rules.md, generated from the catalog (`npm run docs`; a test fails when it is stale). */
export function rulesMarkdown(rules: readonly AnyRule[]): string {
  const lines = [
    "# Rule catalog",
    "",
    "<!-- Generated from src/rules by `npm run docs`. Do not edit by hand. -->",
    "",
    `Changegate has ${rules.length} rules. Each finding carries its rule id, severity, file, line, the before and after values and the figures behind it.`,
    "Turn a rule off, re-rate it or change its parameters in `.github/changegate.yml` (see [configuration](configuration.md)).",
    "",
  ];
  for (const family of FAMILIES) {
    const members = rules.filter((rule) => rule.family === family);
    if (members.length === 0) continue;
    lines.push(`## ${FAMILY_TITLES[family]}`, "", "| id | severity | title |", "|---|---|---|");
    for (const rule of members)
      lines.push(`| [\`${rule.id}\`](#${anchor(rule.id)}) | ${rule.severity} | ${rule.title} |`);
    lines.push("");
    for (const rule of members) {
      lines.push(
        `### ${rule.id}`,
        "",
        `**${rule.title}** (up to ${rule.severity}).`,
        "",
        rule.description,
        "",
      );
      const params = Object.entries(rule.params);
      if (params.length > 0) {
        lines.push("| parameter | default | meaning |", "|---|---|---|");
        for (const [name, spec] of params)
          lines.push(`| \`${name}\` | \`${JSON.stringify(spec.default)}\` | ${spec.description} |`);
        lines.push("");
      }
    }
  }
  return lines.join("\n");
}

function anchor(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9 -]/g, "");
}
