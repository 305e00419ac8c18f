import type { PathSegment } from "../../diff/path.js";
import { formatPath, key } from "../../diff/path.js";
import type { TreeNode } from "../../formats/tree.js";
import { defineRule, type Detection } from "../types.js";

interface Include {
  readonly target: string;
  readonly line: number;
  /** The block the include sits in (its directives merge into that block). */
  readonly block: readonly PathSegment[];
}

/** Every `include` directive of an nginx tree, with the block it is in. */
function includes(tree: TreeNode | null): Include[] {
  const out: Include[] = [];
  const walk = (node: TreeNode, block: PathSegment[]): void => {
    if (node.kind === "list") return node.items.forEach((item) => walk(item, block));
    if (node.kind !== "map") return;
    for (const [name, child] of node.entries) {
      if (name === "include") {
        for (const value of child.kind === "list" ? child.items : [child]) {
          if (value.kind === "scalar")
            out.push({ target: String(value.value), line: value.line, block });
        }
      } else if (child.kind !== "scalar") {
        walk(child, [...block, key(name)]);
      }
    }
  };
  if (tree) walk(tree, []);
  return out;
}

/** The change sets a directive of `block` itself (not of a block nested in it). */
const directlyIn = (segments: readonly PathSegment[], block: readonly PathSegment[]): boolean =>
  segments.length > block.length &&
  formatPath(segments.slice(0, block.length)) === formatPath(block) &&
  segments.slice(block.length + 1).every((segment) => segment.kind === "item");

/**
 * nginx `include` pulls in files the change does not show: the effective configuration of the
 * block is not what the reviewer reads (docs/security.md, "Ambiguous configs are findings").
 */
export default defineRule({
  id: "nginx.include.unseen",
  family: "nginx",
  title: "Included file not visible in the change",
  description:
    "An `include` is added or pointed elsewhere (medium), or the change edits a block whose directives also come from an " +
    "included file (low): the included file's directives apply, may override what the diff shows, and are not part of " +
    "this analysis unless the pull request changes them too.",
  severity: "medium",
  params: {},
  dialects: ["nginx"],
  check(file) {
    const findings: Detection[] = [];
    const before = includes(file.before);
    const after = includes(file.after);
    const known = new Set(
      before.map((include) => `${formatPath(include.block)}|${include.target}`),
    );
    for (const include of after) {
      if (known.has(`${formatPath(include.block)}|${include.target}`)) continue;
      findings.push({
        severity: "medium",
        line: include.line,
        path: formatPath([...include.block, key("include")]),
        message: `include ${include.target} is new here: its directives apply to ${formatPath(include.block) || "the top level"} but are not visible in this change.`,
        after: include.target,
        checklist: [
          `Review the contents of ${include.target} as deployed, as part of this change.`,
        ],
      });
    }
    const reported = new Set<string>();
    for (const include of after) {
      const block = formatPath(include.block);
      if (reported.has(block) || !known.has(`${block}|${include.target}`)) continue;
      const touched = file.changes.some(
        (change) => directlyIn(change.segments, include.block) && !change.path.endsWith("include"),
      );
      if (!touched) continue;
      reported.add(block);
      findings.push({
        severity: "low",
        line: include.line,
        path: formatPath([...include.block, key("include")]),
        message: `The change edits ${block || "the top level"}, which also takes directives from ${include.target}: the effective result depends on a file this change does not show.`,
        checklist: [`Check that ${include.target} does not override what this change sets.`],
      });
    }
    return findings;
  },
});
