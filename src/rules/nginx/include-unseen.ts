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
            out.push({
              target: String(value.value)
                .trim()
                .replace(/^(["'])(.*)\1$/, "$2"),
              line: value.line,
              block,
            });
        }
      } else if (child.kind !== "scalar") {
        walk(child, [...block, key(name)]);
      }
    }
  };
  if (tree) walk(tree, []);
  return out;
}

/**
 * An include of `http` or `stream` that loads virtual hosts: a glob or a directory of site files
 * (`sites-enabled/*`, `conf.d/*.conf`, `vhosts/`). Only those contexts hold `server` blocks.
 */
const loadsServers = (include: Include): boolean => {
  const last = include.block.at(-1);
  return (
    last?.kind === "key" &&
    (last.key === "http" || last.key === "stream") &&
    (include.target.includes("*") ||
      /(^|\/)(sites-(enabled|available)|conf\.d|vhosts?|servers|sites)(\/|$)/.test(include.target))
  );
};

// Where a relative include path is read from: the directory of nginx.conf (https://nginx.org/en/docs/ngx_core_module.html#include),
// /usr/local/nginx/conf when built from source (https://nginx.org/en/docs/configure.html, --conf-path), /etc/nginx in
// distribution packages and the official image, /usr/local/etc/nginx in FreeBSD ports and Homebrew.
const CONF_DIRS = ["/etc/nginx/", "/usr/local/nginx/conf/", "/usr/local/etc/nginx/"];

/**
 * Does the glob `now` load every file `old` loaded? A relative path is compared with an absolute one under a usual
 * configuration directory (`conf.d/*.conf` = `/etc/nginx/conf.d/*.conf`); `old`'s own text must match `now` as a
 * pattern (`sites-enabled/*` covers `sites-enabled/*.conf`, not the other way round).
 */
function covers(now: string, old: string): boolean {
  const relative = (path: string): string => {
    const dir = CONF_DIRS.find((prefix) => path.startsWith(prefix));
    return dir ? path.slice(dir.length) : path;
  };
  const [a, b] =
    now.startsWith("/") === old.startsWith("/") ? [now, old] : [relative(now), relative(old)];
  const pattern = a
    .split("")
    .map((c) =>
      c === "*" ? "[^/]*" : c === "?" ? "[^/*]" : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${pattern}$`).test(b);
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
    "this analysis unless the pull request changes them too. An include of `http` or `stream` that loads server blocks " +
    "(a glob such as `sites-enabled/*` or `conf.d/*.conf`) removed or swapped for another is high: unless every site " +
    "file moved with it, those server blocks are no longer loaded, and a glob that matches nothing is silently accepted. " +
    "Swapped for one that loads every file the old one did (quoted, written from the configuration directory, or " +
    "widened) is medium.",
  severity: "high",
  params: {},
  dialects: ["nginx"],
  check(file) {
    const findings: Detection[] = [];
    const before = includes(file.before);
    const after = includes(file.after);
    const known = new Set(
      before.map((include) => `${formatPath(include.block)}|${include.target}`),
    );
    const kept = new Set(after.map((include) => `${formatPath(include.block)}|${include.target}`));
    // Server-block includes that the new version no longer has, by the block they were in.
    const dropped = before.filter(
      (include) =>
        loadsServers(include) && !kept.has(`${formatPath(include.block)}|${include.target}`),
    );
    const swapped = new Set<Include>();
    for (const include of after) {
      if (known.has(`${formatPath(include.block)}|${include.target}`)) continue;
      const replaced = dropped.find(
        (old) => !swapped.has(old) && formatPath(old.block) === formatPath(include.block),
      );
      if (replaced && loadsServers(include)) {
        swapped.add(replaced);
      }
      // Swapped for a path that loads a different set of files: the old sites may no longer load.
      if (replaced && loadsServers(include) && !covers(include.target, replaced.target)) {
        findings.push({
          severity: "high",
          line: include.line,
          path: formatPath([...include.block, key("include")]),
          message:
            `include ${replaced.target} is replaced by include ${include.target} in ${formatPath(include.block)}: the server blocks it loaded are no longer loaded unless every site file moved to ${include.target} in the same release (a glob that matches nothing is silently accepted), so their hosts and ports stop being served. ` +
            `Safe: keep \`include ${replaced.target};\` next to \`include ${include.target};\` until the files have moved.`,
          before: replaced.target,
          after: include.target,
          checklist: [
            `Confirm every file that ${replaced.target} matched is deployed where ${include.target} matches.`,
          ],
        });
        continue;
      }
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
    for (const old of dropped) {
      if (swapped.has(old)) continue;
      findings.push({
        severity: "high",
        line: old.line,
        path: formatPath([...old.block, key("include")]),
        message:
          `include ${old.target} is removed from ${formatPath(old.block)}: the server blocks it loaded are no longer loaded, so their hosts and ports stop being served. ` +
          `Safe: keep \`include ${old.target};\` until those sites are served elsewhere.`,
        before: old.target,
        after: null,
        checklist: [`Confirm no site that ${old.target} loaded is still in use.`],
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
