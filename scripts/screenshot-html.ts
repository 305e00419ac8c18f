// The pages `npm run screenshot` shoots: the sticky comment and the check run as GitHub shows them,
// rendered from Changegate's real markdown with markdown-it (CommonMark, raw HTML allowed as on
// GitHub) and a small GitHub-like stylesheet of our own. No browser here: scripts/screenshot.ts
// hands these pages to headless Chromium, and the test suite checks them without one.
import MarkdownIt from "markdown-it";

const md = new MarkdownIt({ html: true });

/** The check run as the screenshot shows it (what the GitHub API returns as `output`). */
export interface ShotCheckRun {
  readonly name: string;
  readonly conclusion: string | null;
  readonly title: string;
  readonly summary: string;
  readonly text: string;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"]/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[char]!,
  );

/**
 * Markdown as GitHub renders it in a comment or a check run: HTML comments dropped and task-list
 * items (`- [ ]`, `- [x]`) shown as disabled checkboxes.
 */
export function githubMarkdown(markdown: string): string {
  return md
    .render(markdown)
    .replace(/<!--[\s\S]*?-->\n?/g, "")
    .replace(
      /<li>\[([ xX])\] /g,
      (_, mark: string) =>
        `<li class="task"><input type="checkbox" disabled${mark === " " ? "" : " checked"}> `,
    );
}

const STYLE = `
* { box-sizing: border-box; }
body { margin: 0; padding: 16px; background: #ffffff; color: #1f2328;
  font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", "Liberation Sans", Helvetica, Arial, sans-serif, "Noto Color Emoji"; }
.box { border: 1px solid #d0d7de; border-radius: 6px; overflow: hidden; }
.head { display: flex; align-items: center; gap: 8px; padding: 8px 16px; background: #f6f8fa;
  border-bottom: 1px solid #d0d7de; color: #59636e; }
.head strong { color: #1f2328; }
.avatar { width: 24px; height: 24px; border-radius: 6px; background: #1f6feb; color: #fff;
  font-weight: 600; font-size: 13px; display: inline-flex; align-items: center; justify-content: center; }
.label { border: 1px solid #d0d7de; border-radius: 2em; padding: 0 7px; font-size: 12px; font-weight: 500; }
.status { width: 20px; height: 20px; border-radius: 50%; color: #fff; font-size: 12px; font-weight: 700;
  display: inline-flex; align-items: center; justify-content: center; }
.status.failure { background: #d1242f; }
.status.success { background: #1a7f37; }
.status.other { background: #9a6700; }
.check-title { padding: 16px 16px 0; font-size: 20px; font-weight: 600; margin: 0; }
.markdown { padding: 16px; word-wrap: break-word; }
.markdown > :first-child { margin-top: 0; }
.markdown > :last-child { margin-bottom: 0; }
.markdown h1, .markdown h2 { padding-bottom: .3em; border-bottom: 1px solid #d1d9e0b3; }
.markdown h1 { font-size: 2em; } .markdown h2 { font-size: 1.5em; } .markdown h3 { font-size: 1.25em; }
.markdown h1, .markdown h2, .markdown h3 { margin: 24px 0 16px; font-weight: 600; line-height: 1.25; }
.markdown p, .markdown ul, .markdown ol, .markdown table, .markdown details, .markdown pre { margin: 0 0 16px; }
.markdown ul, .markdown ol { padding-left: 2em; }
.markdown li + li, .markdown li > ul { margin-top: .25em; }
.markdown li.task { list-style: none; margin-left: -1.6em; }
.markdown li.task input { margin: 0 .3em .25em 0; vertical-align: middle; }
.markdown code { font: 85%/1.45 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  padding: .2em .4em; border-radius: 6px; background: #818b981f; }
.markdown pre { padding: 16px; background: #f6f8fa; border-radius: 6px; overflow: auto; }
.markdown pre code { padding: 0; background: none; font-size: 85%; }
.markdown table { border-collapse: collapse; }
.markdown th, .markdown td { border: 1px solid #d1d9e0; padding: 6px 13px; }
.markdown th { font-weight: 600; }
.markdown tr:nth-child(2n) { background: #f6f8fa; }
.markdown summary { cursor: pointer; }
.markdown a { color: #0969da; text-decoration: none; }
`;

function page(title: string, body: string): string {
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    `</head><body>${body}</body></html>`,
    "",
  ].join("\n");
}

/** The sticky comment as a pull request's conversation shows it. */
export function commentPage(body: string): string {
  return page(
    "Changegate sticky comment",
    [
      '<div class="box">',
      '<div class="head"><span class="avatar">C</span><strong>changegate</strong>',
      '<span class="label">bot</span><span>commented</span></div>',
      `<div class="markdown">${githubMarkdown(body)}</div>`,
      "</div>",
    ].join("\n"),
  );
}

/** The check run as the pull request's Checks tab shows it. */
export function checkRunPage(run: ShotCheckRun): string {
  const conclusion = run.conclusion ?? "pending";
  const kind = conclusion === "failure" || conclusion === "success" ? conclusion : "other";
  const icon = { failure: "✕", success: "✓", other: "•" }[kind];
  return page(
    `${run.name} check run`,
    [
      '<div class="box">',
      `<div class="head"><span class="status ${kind}">${icon}</span><strong>${escapeHtml(run.name)}</strong>`,
      `<span>${escapeHtml(conclusion)}</span></div>`,
      `<h1 class="check-title">${escapeHtml(run.title)}</h1>`,
      `<div class="markdown">${githubMarkdown([run.summary, run.text].join("\n\n"))}</div>`,
      "</div>",
    ].join("\n"),
  );
}
