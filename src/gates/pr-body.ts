import { assertNever } from "../shared/assert-never.js";

// Sections of a pull-request description, read the way GitHub renders markdown: `#`..`######`
// and setext headings, plus the informal headings people type (a line that is only bold text,
// `**Test plan:** ...`, `Test plan:` on its own line). Shared by the test-plan and rollback gates.

/** GitHub caps a PR description at 65,536 characters; anything longer is not a real body. */
const MAX_BODY = 65_536;

/** Informal headings (bold lines, `Label:` lines) rank below every markdown heading. */
const INFORMAL_LEVEL = 7;

/** A body repeating a heading thousands of times gets its first few sections read. */
const MAX_SECTIONS = 20;

/** Where an HTML comment was: kept as one character so a section can say it held only comments. */
const COMMENT_MARK = "\u0000";

export interface BodySection {
  /** The heading as written, markup removed. */
  readonly heading: string;
  /** 1-6 for markdown headings, 7 for informal ones. */
  readonly level: number;
  /** 1-based line of the heading in the body. */
  readonly line: number;
  /** The section's text, HTML comments replaced by a mark. */
  readonly text: string;
}

/** What a section holds once HTML comments and template filler are taken out. */
export type SectionReading =
  | { readonly kind: "missing" }
  | { readonly kind: "empty"; readonly section: BodySection }
  | {
      readonly kind: "template";
      readonly section: BodySection;
      readonly filler: readonly string[];
    }
  | {
      readonly kind: "content";
      readonly section: BodySection;
      /** The section without comments and filler: what a reviewer can act on. */
      readonly text: string;
      readonly filler: readonly string[];
    };

/**
 * Every section whose heading matches one of `headings` (case-insensitive; "Test plan" also
 * matches "Test plan (staging)"). `labels` are the headings that also count in the `Label:` form,
 * so "Steps:" inside a test plan does not end it while "Rollback plan:" does.
 */
export function findSections(
  body: string,
  headings: readonly string[],
  labels: readonly string[] = headings,
): BodySection[] {
  const lines = hideComments(body.slice(0, MAX_BODY).replace(/\r\n?/g, "\n")).split("\n");
  const marks = headingMarks(lines, labels);
  const sections: BodySection[] = [];
  for (const [index, mark] of marks.entries()) {
    if (sections.length === MAX_SECTIONS) break;
    if (!headings.some((wanted) => headingMatches(mark.text, wanted))) continue;
    const next = marks.slice(index + 1).find((later) => later.level <= mark.level);
    const content = lines.slice(mark.contentStart, next ? next.line : lines.length);
    const text = [...(mark.rest ? [mark.rest] : []), ...content].join("\n");
    sections.push({ heading: mark.text, level: mark.level, line: mark.line + 1, text });
  }
  return sections;
}

/** Judges one section: empty, only template filler, or content (with the filler removed). */
export function readSection(section: BodySection): SectionReading {
  if (section.text.trim() === "") return { kind: "empty", section };
  const { text, filler } = removeFiller(section.text);
  if (!/[\p{L}\p{N}]/u.test(text)) return { kind: "template", section, filler };
  return { kind: "content", section, text, filler };
}

/**
 * The most useful reading among the matching sections: the first with content that `useful`
 * accepts, else the first with content, else template-only, else empty, else missing.
 */
export function bestReading(
  sections: readonly BodySection[],
  useful: (text: string) => boolean = () => true,
): SectionReading {
  const readings = sections.map(readSection);
  const rank = (reading: SectionReading): number => {
    switch (reading.kind) {
      case "content":
        return useful(reading.text) ? 4 : 3;
      case "template":
        return 2;
      case "empty":
        return 1;
      case "missing":
        return 0;
      default:
        return assertNever(reading);
    }
  };
  let best: SectionReading = { kind: "missing" };
  for (const reading of readings) if (rank(reading) > rank(best)) best = reading;
  return best;
}

// --- headings ---------------------------------------------------------------------------

interface HeadingMark {
  readonly text: string;
  readonly level: number;
  /** 0-based line index of the heading. */
  readonly line: number;
  /** First line index of the section's content. */
  readonly contentStart: number;
  /** Text after an informal heading on the same line (`**Test plan:** OPS-42`). */
  readonly rest?: string;
}

function headingMarks(lines: readonly string[], labels: readonly string[]): HeadingMark[] {
  const marks: HeadingMark[] = [];
  let fence: { char: string; length: number } | null = null;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (fenceMatch && fenceMatch[1]![0] === fence.char && fenceMatch[1]!.length >= fence.length)
        fence = null;
      continue;
    }
    if (fenceMatch) {
      fence = { char: fenceMatch[1]![0]!, length: fenceMatch[1]!.length };
      continue;
    }
    const atx = atxHeading(line);
    if (atx) {
      marks.push({ ...atx, line: index, contentStart: index + 1 });
      continue;
    }
    const setext = setextLevel(line, lines[index + 1]);
    if (setext) {
      marks.push({ text: plainText(line), level: setext, line: index, contentStart: index + 2 });
      index++;
      continue;
    }
    const informal = informalHeading(line, labels);
    if (informal)
      marks.push({ ...informal, level: INFORMAL_LEVEL, line: index, contentStart: index + 1 });
  }
  return marks;
}

function atxHeading(line: string): { text: string; level: number } | null {
  const match = /^ {0,3}(#{1,6})(?:[ \t]|$)/.exec(line);
  if (!match) return null;
  return {
    text: plainText(withoutClosingHashes(line.slice(match[0].length).trim())),
    level: match[1]!.length,
  };
}

/** A closing run of `#` is not part of the heading text (CommonMark). Written as a loop: linear. */
function withoutClosingHashes(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === "#") end--;
  if (end === text.length) return text;
  return end === 0 || text[end - 1] === " " || text[end - 1] === "\t"
    ? text.slice(0, end).trim()
    : text;
}

/** `Title` over `===` is level 1, over `---` level 2 — not after a list item or quote. */
function setextLevel(line: string, next: string | undefined): number | null {
  if (next === undefined || line.trim() === "" || /^ {4}/.test(line)) return null;
  if (/^\s*([-*+]|\d+[.)])\s/.test(line) || /^\s*>/.test(line)) return null;
  const underline = /^ {0,3}(=+|-+)[ \t]*$/.exec(next);
  if (!underline) return null;
  return underline[1]![0] === "=" ? 1 : 2;
}

/** A line that is only bold text, or a known label ending in a colon (text may follow). */
function informalHeading(
  line: string,
  labels: readonly string[],
): { text: string; rest?: string } | null {
  const trimmed = line.trim();
  if (trimmed === "" || /^([-*+]|\d+[.)])\s/.test(trimmed)) return null;
  const delimiter = trimmed.startsWith("**") ? "**" : trimmed.startsWith("__") ? "__" : null;
  if (delimiter) {
    const close = trimmed.indexOf(delimiter, 2);
    if (close <= 2) return null;
    const inner = trimmed.slice(2, close);
    const rest = trimmed
      .slice(close + 2)
      .replace(/^\s*:/, "")
      .trim();
    if (rest === "") return { text: plainText(inner) };
    return labels.some((label) => headingMatches(inner, label))
      ? { text: plainText(inner), rest }
      : null;
  }
  const colon = trimmed.indexOf(":");
  if (colon <= 0) return null;
  const label = trimmed.slice(0, colon);
  if (!labels.some((known) => normalizeHeading(label) === normalizeHeading(known))) return null;
  const rest = trimmed.slice(colon + 1).trim();
  return rest === "" ? { text: plainText(label) } : { text: plainText(label), rest };
}

/** "Test plan" matches "test plan", "Test plan:", "🧪 Test plan (staging)" — not "Test planning". */
export function headingMatches(text: string, wanted: string): boolean {
  const heading = normalizeHeading(text);
  const target = normalizeHeading(wanted);
  if (target === "" || !heading.startsWith(target)) return false;
  const after = heading[target.length];
  return after === undefined || !/[\p{L}\p{N}]/u.test(after);
}

function normalizeHeading(heading: string): string {
  const text = plainText(heading)
    .replace(/^[^\p{L}\p{N}]+/u, "")
    .replace(/\s+/g, " ")
    .toLowerCase();
  return trimEnd(text, ": ");
}

/** Drops trailing `chars`; a loop, so a long line cannot make it quadratic as a regex could. */
function trimEnd(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1]!)) end--;
  return text.slice(0, end);
}

function plainText(text: string): string {
  return text.replace(/[*_`]/g, "").trim();
}

// --- HTML comments and template filler ---------------------------------------------------

/** Replaces each `<!-- ... -->` (an unclosed one runs to the end, as GitHub hides it) by a mark. */
function hideComments(text: string): string {
  let out = "";
  let from = 0;
  for (;;) {
    const start = text.indexOf("<!--", from);
    if (start < 0) return out + text.slice(from);
    const end = text.indexOf("-->", start + 4);
    const stop = end < 0 ? text.length : end + 3;
    const newlines = text.slice(start, stop).split("\n").length - 1;
    out += text.slice(from, start) + COMMENT_MARK + "\n".repeat(newlines);
    from = stop;
  }
}

/**
 * Template filler: what PR templates leave behind and what does not tell a reviewer anything.
 * Removed, in this order:
 * 1. HTML comments (`<!-- link the test run -->`);
 * 2. markdown links with an empty, `#` or placeholder target (`[link]()`, `[run](https://example.com)`);
 * 3. placeholder URLs: reserved example hosts (example.com/.org/.net and their subdomains, the
 *    `.example`, `.test`, `.invalid` and `.localhost` names of RFC 2606, `localhost`), and URLs
 *    holding `<...>`, `{...}`, `...` or `XXX`;
 * 4. angle-bracket placeholders (`<link>`, `<ticket id>`) and HTML tags — not autolinks;
 * 5. bracketed instructions made only of words (`[describe how you tested]`), not task boxes;
 * 6. placeholder words: TODO, TBD, TBA, TBC, FIXME, XXX (upper case), N/A, and `...`/`…`;
 * 7. lines that say nothing: `none`, `nothing`, `na`, `-`, `?` (after list and task markers);
 * 8. template fields left empty: a line that is only a short label and a colon (`Link:`).
 */
export function removeFiller(text: string): { text: string; filler: string[] } {
  const filler = new Set<string>();
  const note = (what: string): string => {
    filler.add(what.length > 40 ? `${what.slice(0, 37)}...` : what);
    return " ";
  };
  let out = text;
  if (out.includes(COMMENT_MARK)) {
    filler.add("HTML comment");
    out = out.split(COMMENT_MARK).join(" ");
  }
  out = out.replace(/\[([^[\]\n]{0,200})\]\(\s*([^()\s]*)\s*\)/g, (link, _label, target: string) =>
    target === "" || target === "#" || isPlaceholderUrl(target) ? note(link) : link,
  );
  out = out.replace(URL_PATTERN, (url) => (isPlaceholderUrl(trimUrl(url)) ? note(url) : url));
  out = out.replace(/<([^<>\n]{1,80})>/g, (tag, inner: string) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(inner.trim())) return tag; // an autolink
    return HTML_TAG.test(inner.trim()) ? " " : note(tag);
  });
  out = out.replace(/\[([^[\]\n]{1,120})\](?![([])/g, (bracket, inner: string) =>
    /^[\p{L}\s,.'’;/-]+$/u.test(inner) && !/^\s*[xX]?\s*$/.test(inner) ? note(bracket) : bracket,
  );
  out = out.replace(/\b(?:TODO|TBD|TBA|TBC|FIXME|XXX)\b:?/g, (word) =>
    note(word.replace(/:$/, "")),
  );
  out = out.replace(
    /(^|[^\p{L}\p{N}/])(n\/a)(?![\p{L}\p{N}/])/giu,
    (_all, before: string, word: string) => {
      note(word);
      return `${before} `;
    },
  );
  out = out.replace(/\.{3,}|…/g, (dots) => note(dots));
  out = out
    .split("\n")
    .map((line) => {
      const core = lineCore(line);
      return core !== "" && (EMPTY_LINE.test(core) || EMPTY_FIELD.test(core)) ? note(core) : line;
    })
    .join("\n");
  return { text: out, filler: [...filler] };
}

/** A URL in text: up to whitespace, brackets, quotes or `>` (an autolink's end). */
export const URL_PATTERN = /https?:\/\/[^\s()[\]>"'`]+/g;

/** Drops punctuation that ends the sentence rather than the URL. */
export function trimUrl(url: string): string {
  return trimEnd(url, ".,;:!?*_~");
}

const HTML_TAG =
  /^\/?(br|p|div|span|details|summary|b|i|em|strong|sub|sup|hr|img|kbd|code|pre|ul|ol|li|a|table|tr|td|th)\b[^<>]*$/i;

const EMPTY_FIELD = /^\p{L}[\p{L}\p{N} ()/'-]{0,40}:$/u;

const EMPTY_LINE = /^(?:none|nothing|nil|na|n\.a\.|-+|—|–|\?+)$/i;

/** A line without its quote, list and task-box markers and emphasis. */
function lineCore(line: string): string {
  return line
    .replace(/^\s*(?:>\s*)*(?:(?:[-*+]|\d+[.)])\s+)?(?:\[[ xX]?\]\s*)?/, "")
    .replace(/[*_`~]/g, "")
    .trim();
}

const PLACEHOLDER_HOSTS = ["example.com", "example.org", "example.net"];
const PLACEHOLDER_TLDS = ["example", "test", "invalid", "localhost"];

/** URLs a template ships with, or that nobody but the author can open. */
export function isPlaceholderUrl(url: string): boolean {
  if (/[<>{}]|%7B|\.\.\.|…/i.test(url) || url.includes("XXX")) return true;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return true;
  }
  if (host === "" || host === "localhost") return true;
  if (PLACEHOLDER_HOSTS.some((name) => host === name || host.endsWith(`.${name}`))) return true;
  const tld = host.slice(host.lastIndexOf(".") + 1);
  return host.includes(".") && PLACEHOLDER_TLDS.includes(tld);
}
