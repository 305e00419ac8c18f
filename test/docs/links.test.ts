// The README's pictures and the docs' links to files of this repository point at files that exist
// (a newcomer on GitHub sees a broken image or a 404 otherwise).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers.js";

const DOCS = [
  "README.md",
  "docs/install.md",
  "docs/deployment.md",
  "docs/architecture.md",
  "docs/output.md",
  "docs/reviewing.md",
  "examples/postmortem/README.md",
];

/** The targets of `[text](target)` and `![alt](target)` that are paths in this repository. */
function localTargets(markdown: string): string[] {
  return [...markdown.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^(https?:|mailto:|#)/.test(target))
    .map((target) => target.replace(/#.*$/, ""));
}

describe("links to files of the repository", () => {
  it("finds the README's pictures", () => {
    expect(localTargets(readFileSync(join(repoRoot, "README.md"), "utf8"))).toEqual(
      expect.arrayContaining(["docs/images/sticky-comment.png", "docs/images/check-run.png"]),
    );
  });

  it.each(DOCS)("%s: every link and picture resolves", (doc) => {
    const targets = localTargets(readFileSync(join(repoRoot, doc), "utf8"));
    const missing = targets.filter((target) => !existsSync(join(repoRoot, dirname(doc), target)));
    expect(missing).toEqual([]);
  });
});
