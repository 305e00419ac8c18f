// Facts travel with the code: a comment that cites a document cites one in this repository
// (docs/lb-facts.md, docs/architecture.md …) or a vendor's page, never a file a contributor
// cannot open.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { repositoryRoot, sourceFiles } from "./architecture/import-graph.js";

const root = repositoryRoot();
const FOLDERS = ["src", "test", "tools", "scripts", "bench"].filter((folder) =>
  existsSync(join(root, folder)),
);

/** The text of every comment of a TypeScript file, with the line it starts on. */
export function commentsOf(file: string, text: string): { line: number; text: string }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const seen = new Set<number>();
  const comments: { line: number; text: string }[] = [];
  const collect = (ranges: readonly ts.CommentRange[] | undefined): void => {
    for (const range of ranges ?? []) {
      if (seen.has(range.pos)) continue;
      seen.add(range.pos);
      comments.push({
        line: source.getLineAndCharacterOfPosition(range.pos).line + 1,
        text: text.slice(range.pos, range.end),
      });
    }
  };
  const visit = (node: ts.Node): void => {
    collect(ts.getLeadingCommentRanges(text, node.getFullStart()));
    collect(ts.getTrailingCommentRanges(text, node.getEnd()));
    ts.forEachChild(node, visit);
  };
  visit(source);
  collect(ts.getLeadingCommentRanges(text, source.endOfFileToken.getFullStart()));
  return comments;
}

/**
 * Documents outside the repository that comments used to cite, and absolute paths of a machine.
 * (The corpus tests may name `../shared/corpus`: they read it when it is there, and skip without.)
 */
const OUTSIDE = /\b(LB-FACTS|DESIGN|SIGNAL|STACK|STYLE)(\.md)?\b(?![-\w])|\/work\//;

/** Why a comment's citation cannot be followed from a checkout, or null when it can. */
export function brokenCitation(file: string, comment: string): string | null {
  const outside = OUTSIDE.exec(comment);
  if (outside) return `cites ${outside[0]}, which is not in the repository`;
  // Paths in backticks are examples (`docs/*` owns `docs/a.md`), not citations.
  const prose = comment.replace(/`[^`\n]*`/g, "");
  for (const match of prose.matchAll(/(?<![\w/.:-])([\w./-]*[\w-]\.md)\b/g)) {
    const cited = match[1]!;
    const candidates = [
      join(root, cited),
      join(root, "docs", cited),
      join(root, dirname(file), cited),
    ];
    if (!candidates.some((candidate) => existsSync(candidate))) {
      return `cites ${cited}, which is not in the repository`;
    }
  }
  return null;
}

describe("citations in comments", () => {
  it("cite only documents of this repository", () => {
    const broken: string[] = [];
    for (const folder of FOLDERS) {
      for (const file of sourceFiles(root, folder)) {
        if (file.includes("/node_modules/")) continue;
        const text = readFileSync(join(root, file), "utf8");
        if (!/\.md\b|LB-FACTS|DESIGN|SIGNAL|STACK|STYLE|shared\/|\/work\//.test(text)) continue;
        for (const comment of commentsOf(file, text)) {
          const problem = brokenCitation(file, comment.text);
          if (problem) broken.push(`${file}:${comment.line}: ${problem}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("tells a citation of an outside file from one of the repository's docs", () => {
    expect(brokenCitation("src/x.ts", "// LB-FACTS.md §5a")).toMatch(/LB-FACTS/);
    expect(brokenCitation("src/x.ts", '// DESIGN "Gates"')).toMatch(/DESIGN/);
    expect(brokenCitation("src/x.ts", "// see /work/shared/corpus/README.md")).toMatch(/work/);
    expect(brokenCitation("src/x.ts", "// docs/missing-page.md")).toMatch(/missing-page/);
    expect(brokenCitation("src/x.ts", "// docs/architecture.md, rules.md")).toBeNull();
    expect(
      brokenCitation("src/x.ts", "// https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md"),
    ).toBeNull();
    expect(brokenCitation("src/x.ts", "// the design of the model")).toBeNull();
    expect(brokenCitation("src/x.ts", "// `docs/*` owns `docs/a.md`")).toBeNull();
  });

  it("reads comments, not strings", () => {
    const comments = commentsOf(
      "a.ts",
      'const a = "// LB-FACTS.md"; // one\n/** two */\nfunction f() {\n  return 1; /* three */\n}\n// four\n',
    );
    expect(comments.map((comment) => comment.text)).toEqual([
      "// one",
      "/** two */",
      "/* three */",
      "// four",
    ]);
  });
});
