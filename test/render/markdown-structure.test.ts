import fc from "fast-check";
import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import type { Evaluation } from "../../src/gates/verdict.js";
import { evaluate } from "../../src/gates/evaluate.js";
import { analysisMarkdown } from "../../src/render/analysis-markdown.js";
import { checkRunOutput } from "../../src/render/check-run.js";
import { commentBody, followUpIssue } from "../../src/render/comment.js";
import { AFTER_TF, BEFORE_TF, lbFile, snapshot } from "../gates/builders.js";

// Issue 12, item 9: the check run, the sticky comment and `--format markdown` parsed by a
// CommonMark renderer, asserting the blocks people see: each file its own block, each finding its
// own list item, nothing folded into the previous item, names from the pull request shown as
// written. GitHub's markdown is CommonMark plus tables (https://github.github.com/gfm/).
const commonmark = new MarkdownIt("commonmark");
const gfm = new MarkdownIt("commonmark").enable("table");
type Token = ReturnType<typeof commonmark.parse>[number];

/** A block of the parsed document: its tag, its inline tokens (if a leaf) and its children. */
interface Block {
  readonly type: string;
  readonly inline: readonly Token[];
  readonly children: Block[];
}

function parse(markdown: string, md: typeof commonmark = commonmark): Block[] {
  const root: Block = { type: "root", inline: [], children: [] };
  const stack = [root];
  for (const token of md.parse(markdown, {})) {
    const top = stack[stack.length - 1]!;
    if (token.nesting === 1) {
      const block: Block = { type: token.type.replace(/_open$/, ""), inline: [], children: [] };
      top.children.push(block);
      stack.push(block);
    } else if (token.nesting === -1) stack.pop();
    else if (token.type === "inline") (top.inline as Token[]).push(...(token.children ?? []));
    else top.children.push({ type: token.type, inline: [], children: [] });
  }
  return root.children;
}

/** The text a reader sees (code spans' content included), zero-width spaces removed. */
function textOf(block: Block): string {
  const own = block.inline
    .map((token) =>
      token.type === "softbreak" || token.type === "hardbreak" ? "\n" : token.content,
    )
    .join("");
  return (own + block.children.map(textOf).join("")).replace(/\u200b/g, "");
}

/** The text outside code spans: where markup left behind (`**`, a backtick) would show. */
function proseOf(block: Block): string {
  return (
    block.inline
      .filter((token) => token.type === "text")
      .map((token) => token.content)
      .join("") + block.children.map(proseOf).join("")
  ).replace(/\u200b/g, "");
}

/** The inline token types of a leaf block: `strong_open code_inline strong_close`. */
const shape = (block: Block): string =>
  block.inline
    .filter((token) => token.type !== "text" || token.content !== "")
    .map((token) => token.type)
    .join(" ");

const codeText = (block: Block): string[] =>
  block.inline
    .filter((token) => token.type === "code_inline")
    .map((token) => token.content.replace(/\u200b/g, ""));

const html = (blocks: readonly Block[]): string[] =>
  blocks.flatMap((block) => [
    ...(block.type === "html_block" ? [block.type] : []),
    ...block.inline.filter((token) => token.type === "html_inline").map((token) => token.content),
    ...html(block.children),
  ]);

/** The postmortem change in two files, its target group named `name`. */
function twoFiles(paths: readonly [string, string], name = "webapp"): Evaluation {
  const label = (text: string): string =>
    text.replace('"aws_lb_target_group" "webapp"', `"aws_lb_target_group" ${JSON.stringify(name)}`);
  return evaluate(
    snapshot({
      files: paths.map((path) =>
        lbFile({ path, before: label(BEFORE_TF), after: label(AFTER_TF) }),
      ),
    }),
  );
}

const NASTY_PATHS = [
  "infra/*a*_b_<x>|y|.tf",
  "infra/`tick`` **bold** [l](u) &amp; @team.tf",
] as const;
const NASTY_NAME = "web*app_<b>|`x`|[y](z)";

/**
 * The findings section (check run text, comment, follow-up issue): per file a paragraph that is
 * the path alone in bold code, then a list with one item per finding, nothing else between.
 */
function expectFindingsByFile(
  blocks: readonly Block[],
  evaluation: Evaluation,
  name = NASTY_NAME,
): void {
  const files = evaluation.analysis.files.filter((file) => file.findings.length > 0);
  expect(files.length).toBe(2);
  expect(blocks.map((block) => block.type)).toEqual(
    files.flatMap(() => ["paragraph", "bullet_list"]),
  );
  files.forEach((file, index) => {
    // Several findings per file: the case a missing blank line folded into the previous item.
    expect(file.findings.length).toBeGreaterThan(1);
    const [title, list] = [blocks[index * 2]!, blocks[index * 2 + 1]!];
    expect(shape(title)).toBe("strong_open code_inline strong_close");
    expect(codeText(title)).toEqual([file.path]);
    expect(list.children.map((item) => item.type)).toEqual(file.findings.map(() => "list_item"));
    list.children.forEach((item, at) => {
      const finding = file.findings[at]!;
      // The item is the finding: its rule, its message, never another file's name.
      expect(codeText(item.children[0]!)[0]).toBe(finding.rule);
      expect(textOf(item)).toContain(finding.message.replace(/\u200b/g, ""));
      for (const other of files) expect(textOf(item)).not.toContain(other.path);
      // Markup never shows; the name may hold `**` itself, shown as written.
      expect(proseOf(item).replaceAll(name, "")).not.toMatch(/\*\*|`/);
    });
  });
}

/** The blocks after the heading `title` up to the next heading (or the end). */
function section(blocks: readonly Block[], title: string): Block[] {
  const start = blocks.findIndex((block) => block.type === "heading" && textOf(block) === title);
  expect(start).toBeGreaterThanOrEqual(0);
  const rest = blocks.slice(start + 1);
  const end = rest.findIndex((block) => block.type === "heading");
  return end === -1 ? rest : rest.slice(0, end);
}

/** "**How to pass:**" is a paragraph of its own and each step its own list item. */
function expectHowToPass(blocks: readonly Block[], steps: number): void {
  const at = blocks.findIndex((block) => textOf(block) === "How to pass:");
  expect(at).toBeGreaterThanOrEqual(0);
  expect(shape(blocks[at]!)).toBe("strong_open text strong_close");
  expect(blocks[at + 1]!.type).toBe("bullet_list");
  expect(blocks[at + 1]!.children).toHaveLength(steps);
}

describe("the check run's markdown, parsed as CommonMark", () => {
  const evaluation = twoFiles(NASTY_PATHS, NASTY_NAME);
  const output = checkRunOutput(evaluation);

  it("keeps each file its own block and each finding its own list item", () => {
    const blocks = parse(output.text);
    expect(blocks[0]!.type).toBe("heading");
    expect(textOf(blocks[0]!)).toBe("Findings");
    expectFindingsByFile(blocks.slice(1), evaluation);
    expect(html(blocks)).toEqual([]);
  });

  it("shows the pull request's names as written, no markup left over", () => {
    const blocks = parse(output.text);
    expect(textOf({ type: "root", inline: [], children: blocks })).toContain(
      `target group "${NASTY_NAME}"`,
    );
    const prose = proseOf({ type: "root", inline: [], children: blocks }).replaceAll(
      NASTY_NAME,
      "",
    );
    expect(prose).not.toMatch(/\*\*|`/);
  });

  it("keeps the summary's heading, gates and how to pass apart", () => {
    const blocks = parse(output.summary);
    expect(blocks.map((block) => block.type)).toEqual([
      "paragraph",
      "bullet_list",
      "paragraph",
      "bullet_list",
    ]);
    expect(blocks[1]!.children).toHaveLength(evaluation.verdict.gates.length);
    expectHowToPass(blocks, 3);
  });
});

describe("the sticky comment, parsed as GitHub's markdown", () => {
  const evaluation = twoFiles(NASTY_PATHS, NASTY_NAME);
  const blocks = parse(commentBody({ evaluation, state: { ticks: [] } }), gfm);

  it("groups the findings by file, one list item per finding", () => {
    expectFindingsByFile(section(blocks, "Findings"), evaluation);
  });

  it("lists every gate, then how to pass as its own list", () => {
    const gates = section(blocks, "Gates");
    expect(gates.map((block) => block.type)).toEqual(["bullet_list"]);
    expect(gates[0]!.children).toHaveLength(evaluation.verdict.gates.length);
    expectHowToPass(section(blocks, "Checklist"), 3);
  });

  it("shows the names as written", () => {
    const text = textOf({ type: "root", inline: [], children: section(blocks, "Findings") });
    expect(text).toContain(`target group "${NASTY_NAME}"`);
  });
});

describe("the follow-up issue after an emergency merge, parsed as GitHub's markdown", () => {
  it("groups the findings by file, one list item per finding", () => {
    const evaluation = twoFiles(NASTY_PATHS, NASTY_NAME);
    const { body } = followUpIssue(7, evaluation, { mergeCommitSha: "f00", mergedBy: "bob" });
    expectFindingsByFile(section(parse(body, gfm), "Findings"), evaluation);
  });
});

describe("`--format markdown`, parsed as CommonMark", () => {
  const evaluation = twoFiles(NASTY_PATHS, NASTY_NAME);
  const blocks = parse(analysisMarkdown(evaluation.analysis, { hunks: false }));

  it("gives each file a heading naming its path, then its findings as a list", () => {
    const files = evaluation.analysis.files;
    const headings = blocks.filter((block) => block.type === "heading").slice(1);
    expect(headings.map((heading) => codeText(heading)[0])).toEqual(files.map((f) => f.path));
    for (const file of files) {
      const at = blocks.findIndex((block) => codeText(block)[0] === file.path);
      expect(blocks[at + 1]!.type).toBe("bullet_list");
      expect(blocks[at + 1]!.children).toHaveLength(file.findings.length);
      expect(proseOf(blocks[at + 1]!).replaceAll(NASTY_NAME, "")).not.toMatch(/\*\*|`/);
    }
  });
});

describe("random names never break the structure", () => {
  // What a path or a resource name may hold: markdown's punctuation, HTML, mentions, spaces.
  const piece = fc.constantFrom(
    ..."*_`<>|[]()~#!&;:/\\@-+=. ".split(""),
    "a",
    "b",
    "**",
    "``",
    "<!--",
    "-->",
    "&amp;",
    "://",
  );
  const text = (min: number) =>
    fc.array(piece, { minLength: min, maxLength: 12 }).map((parts) => parts.join(""));
  // HCL strings cannot hold `"`, a backslash or `${`/`%{` unescaped: resource names go without them.
  const name = text(1).map((value) => `n${value.replace(/["\\$%]/g, "")}`);

  it("in the check run, the comment and `--format markdown`", () => {
    fc.assert(
      fc.property(text(0), text(0), name, (a, b, label) => {
        const paths = [`x/${a}.tf`, `y/${b}.tf`] as const;
        const evaluation = twoFiles(paths, label);
        expectFindingsByFile(parse(checkRunOutput(evaluation).text).slice(1), evaluation, label);
        const comment = parse(commentBody({ evaluation, state: { ticks: [] } }), gfm);
        expectFindingsByFile(section(comment, "Findings"), evaluation, label);
        const cli = parse(analysisMarkdown(evaluation.analysis, { hunks: false }));
        expect(cli.filter((block) => block.type === "heading").length).toBe(3);
        const text = textOf({ type: "root", inline: [], children: cli });
        expect(text).toContain(`"${label}"`);
      }),
      { numRuns: 40 },
    );
  });
});
