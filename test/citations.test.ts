// Facts travel with the code: a comment that cites a document cites one in this repository
// (docs/lb-facts.md, docs/architecture.md …) or a vendor's page, never a file a contributor
// cannot open.
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { sourceFiles } from "./architecture/import-graph.js";
import { repoRoot } from "./helpers.js";

const root = repoRoot;
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

/** Where a cited document may live: from the repository root, under docs/, or beside the file. */
function resolves(file: string, cited: string): boolean {
  if (isAbsolute(cited)) return false; // a path of one machine, not of the checkout
  return [join(root, cited), join(root, "docs", cited), join(root, dirname(file), cited)].some(
    (candidate) => existsSync(candidate),
  );
}

/**
 * Why a comment's citation cannot be followed from a checkout, or null when it can: every
 * document it names resolves in the repository, and a section it cites (`§5a`) belongs to a
 * document it names or to a vendor's page it links.
 */
export function brokenCitation(file: string, comment: string): string | null {
  // Paths in backticks are examples (`docs/*` owns `docs/a.md`), not citations; links are pages.
  const prose = comment.replace(/`[^`\n]*`/g, "").replace(/https?:\/\/\S+/g, "");
  const cited = [...prose.matchAll(/(?<![\w.:-])([\w./-]*[\w-]\.md)\b/g)].map((match) => match[1]!);
  const missing = cited.find((document) => !resolves(file, document));
  if (missing) return `cites ${missing}, which is not in the repository`;
  // A vendor's manual cited by its section ("HAProxy manual §5.2", "RFC 9110 §15") can be followed.
  const ownSections = prose.replace(/\b(manual|doc|documentation|RFC \d+)\s+§/gi, "");
  if (ownSections.includes("§") && cited.length === 0 && !/https?:\/\//.test(comment)) {
    return "cites a section of no document of the repository or page";
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
        if (!/\.md\b|§/.test(text)) continue;
        for (const comment of commentsOf(file, text)) {
          const problem = brokenCitation(file, comment.text);
          if (problem) broken.push(`${file}:${comment.line}: ${problem}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("tells a citation of an outside file from one of the repository's docs", () => {
    expect(brokenCitation("src/x.ts", "// NOTES.md §5a")).toMatch(/NOTES\.md/);
    expect(brokenCitation("src/x.ts", "// see ../elsewhere/README.md")).toMatch(/elsewhere/);
    expect(brokenCitation("src/x.ts", "// see /srv/notes/README.md")).toMatch(/srv/);
    expect(brokenCitation("src/x.ts", "// docs/missing-page.md")).toMatch(/missing-page/);
    expect(brokenCitation("src/x.ts", '// the facts, §7 "Capacity"')).toMatch(/section/);
    expect(brokenCitation("src/x.ts", "// docs/architecture.md, rules.md")).toBeNull();
    expect(brokenCitation("src/x.ts", "// docs/lb-facts.md §P7 Capacity")).toBeNull();
    expect(
      brokenCitation("src/x.ts", "// https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md"),
    ).toBeNull();
    expect(
      brokenCitation("src/x.ts", "// HAProxy manual §5.1 (https://docs.haproxy.org/)"),
    ).toBeNull();
    expect(brokenCitation("src/x.ts", "// the design of the model")).toBeNull();
    expect(brokenCitation("src/x.ts", "// `docs/*` owns `docs/a.md`")).toBeNull();
  });

  it("reads comments, not strings", () => {
    const comments = commentsOf(
      "a.ts",
      'const a = "// NOTES.md"; // one\n/** two */\nfunction f() {\n  return 1; /* three */\n}\n// four\n',
    );
    expect(comments.map((comment) => comment.text)).toEqual([
      "// one",
      "/** two */",
      "/* three */",
      "// four",
    ]);
  });
});
