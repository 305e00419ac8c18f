// What a finding reads like once rendered (src/render/analysis-markdown.ts): a change shown as
// `x` → `x` reads as no change (issue 12, item 11). ruleTable runs this over every finding of a
// firing case of the families in READABLE_FAMILIES.
import { findingLines } from "../../src/render/analysis-markdown.js";
import type { Finding } from "../../src/rules/types.js";

/**
 * Families whose firing cases are held to `unchangedShown` in ruleTable. Another family joins by
 * adding its name once its messages say what changed.
 */
export const READABLE_FAMILIES: ReadonlySet<string> = new Set([
  "haproxy",
  "nginx",
  "envoy",
  "traefik",
  "lb",
  "aws",
  "gcp",
  "azure",
  "kubernetes",
  "compose",
  "generic",
  "cross",
]);

// `x` → `x` (the finding's before/after, or a value quoted in the message), with any fence length.
const QUOTED_SAME = /(`+) ?([^`]+?) ?\1 → \1 ?\2 ?\1(?!`)/g;
// x → x in the message's prose: one token, or a key and its value (`check true → true`).
const PLAIN_SAME = /(?<![\w"'`.-])([\w."'$%/-]+(?: s| ms| %)?) → \1(?![\w"'`-]|\.\w)/g;

/** Every `x → x` the rendered finding shows: a before and after that read the same. */
export function unchangedShown(finding: Finding): string[] {
  const text = findingLines(finding)
    .join("\n")
    // The renderer escapes the message's markdown; the comparison is about what a reader sees.
    .replace(/\\([\\`*_[\]|~])/g, "$1");
  return [
    ...[...text.matchAll(QUOTED_SAME)].map((match) => match[0]),
    ...[...text.matchAll(PLAIN_SAME)].map((match) => match[0]),
  ];
}
