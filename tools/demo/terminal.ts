// Markdown as a terminal shows it: the demo prints the sticky comment and the check run this way.
// Parsed with markdown-it (a devDependency: this module is a development tool, never shipped), so
// escapes (`\_`), entities and code spans come out as the reader would see them on GitHub.
// Headings, bullets and tables stay readable as plain text; bold and underline are ANSI, on a TTY only.
import MarkdownIt, { type Token } from "markdown-it";

export interface TerminalOptions {
  /** ANSI styles (bold, underline, diff colours): only when stdout is a TTY. */
  readonly color: boolean;
}

const md = new MarkdownIt({ html: true });

const style = (on: boolean, open: string, close: string) => (text: string) =>
  on && text ? `\x1b[${open}m${text}\x1b[${close}m` : text;

// eslint-disable-next-line no-control-regex -- the escape character is what an ANSI style starts with
const ANSI_PATTERN = /\x1b\[[0-9;]*m/g;

/** Columns a string takes in a terminal: emoji are two wide, zero-width and combining marks none. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text.replace(ANSI_PATTERN, "")) {
    if (/[\u200b-\u200d]|\p{Mn}/u.test(char)) continue;
    width += /\p{Emoji_Presentation}/u.test(char) ? 2 : 1;
  }
  return width;
}

const padEnd = (text: string, width: number) =>
  text + " ".repeat(Math.max(0, width - displayWidth(text)));

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" };

/** Raw HTML as text: comments dropped (the comment's state markers), tags removed, `<br>` a line break. */
function htmlAsText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name] ?? "");
}

function inline(tokens: readonly Token[], color: boolean): string {
  const bold = style(color, "1", "22");
  const underline = style(color, "4", "24");
  let out = "";
  const marks: { open: number; kind: "strong" | "em" | "link"; href?: string }[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case "text":
      case "code_inline":
        out += token.content;
        break;
      case "softbreak":
      case "hardbreak":
        out += "\n";
        break;
      case "html_inline":
        out += htmlAsText(token.content);
        break;
      case "image":
        out += token.content;
        break;
      case "strong_open":
      case "em_open":
        marks.push({ open: out.length, kind: token.type === "strong_open" ? "strong" : "em" });
        break;
      case "link_open":
        marks.push({ open: out.length, kind: "link", href: String(token.attrGet("href") ?? "") });
        break;
      case "strong_close":
      case "em_close":
      case "link_close": {
        const mark = marks.pop();
        if (!mark) break;
        const inner = out.slice(mark.open);
        const styled =
          mark.kind === "strong"
            ? bold(inner)
            : mark.kind === "em"
              ? underline(inner)
              : mark.href && mark.href !== inner
                ? `${inner} <${mark.href}>`
                : inner;
        out = out.slice(0, mark.open) + styled;
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** A unified diff with `+` lines green, `-` lines red and hunk headers cyan (only when `color`). */
export function colorDiff(diff: string, color: boolean): string {
  if (!color) return diff;
  return diff
    .split("\n")
    .map((line) =>
      line.startsWith("+++") || line.startsWith("---")
        ? style(true, "1", "22")(line)
        : line.startsWith("+")
          ? style(true, "32", "39")(line)
          : line.startsWith("-")
            ? style(true, "31", "39")(line)
            : line.startsWith("@@")
              ? style(true, "36", "39")(line)
              : line,
    )
    .join("\n");
}

interface ListLevel {
  readonly ordered: boolean;
  next: number;
  width: number;
}

/** Renders GitHub-flavoured markdown (the shapes Changegate writes) as terminal text. */
export function renderTerminal(markdown: string, options: TerminalOptions): string {
  const { color } = options;
  const bold = style(color, "1", "22");
  const tokens = md.parse(markdown, {});
  const lines: string[] = [];
  const lists: ListLevel[] = [];
  let marker: string | null = null;
  let quote = 0;
  let blank = false;

  const emit = (text: string) => {
    if (blank && lines.length > 0 && lines[lines.length - 1] !== "") lines.push("");
    blank = false;
    for (const line of text.split("\n")) {
      const indent = lists.reduce((sum, level) => sum + level.width, 0);
      const quoted = "│ ".repeat(quote);
      if (marker !== null) {
        lines.push(`${quoted}${" ".repeat(indent - lists.at(-1)!.width)}${marker}${line}`);
        marker = null;
      } else {
        lines.push(`${quoted}${" ".repeat(indent)}${line}`.trimEnd());
      }
    }
  };
  const endBlock = () => {
    if (lists.length === 0) blank = true;
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    switch (token.type) {
      case "heading_open": {
        const text = inline(tokens[i + 1]?.children ?? [], false);
        const level = Number(token.tag.slice(1));
        blank = true;
        emit(level <= 2 ? bold(style(color, "4", "24")(text)) : bold(text));
        if (level <= 3) emit((level <= 2 ? "═" : "─").repeat(displayWidth(text)));
        blank = true;
        i += 2;
        break;
      }
      case "paragraph_open":
        if (!token.hidden) blank = lists.length > 0 || blank;
        break;
      case "inline":
        emit(inline(token.children ?? [], color));
        break;
      case "paragraph_close":
        if (!token.hidden) endBlock();
        break;
      case "bullet_list_open":
      case "ordered_list_open": {
        const ordered = token.type === "ordered_list_open";
        const start = Number(token.attrGet("start") ?? 1);
        if (lists.length === 0) blank = true;
        lists.push({ ordered, next: start, width: 2 });
        break;
      }
      case "bullet_list_close":
      case "ordered_list_close":
        lists.pop();
        endBlock();
        break;
      case "list_item_open": {
        const level = lists.at(-1)!;
        if (level.ordered) {
          marker = `${level.next++}. `;
          level.width = marker.length;
        } else {
          marker = lists.length % 2 === 1 ? "• " : "◦ ";
        }
        break;
      }
      case "blockquote_open":
        quote++;
        break;
      case "blockquote_close":
        quote--;
        endBlock();
        break;
      case "fence":
      case "code_block": {
        const body = token.content.replace(/\n$/, "");
        const shown = token.info.trim() === "diff" ? colorDiff(body, color) : body;
        blank = true;
        emit(
          shown
            .split("\n")
            .map((line) => `    ${line}`)
            .join("\n"),
        );
        endBlock();
        break;
      }
      case "html_block": {
        const text = htmlAsText(token.content).trim();
        if (text) {
          blank = true;
          emit(token.content.includes("<summary") ? `▸ ${bold(text)}` : text);
          endBlock();
        }
        break;
      }
      case "hr":
        blank = true;
        emit("─".repeat(40));
        endBlock();
        break;
      case "table_open": {
        const rows: string[][] = [];
        let header = 0;
        for (i++; i < tokens.length && tokens[i]!.type !== "table_close"; i++) {
          const cell = tokens[i]!;
          if (cell.type === "tr_open") rows.push([]);
          if (cell.type === "th_open" && rows.length === 1) header = 1;
          if (cell.type === "inline") rows.at(-1)!.push(inline(cell.children ?? [], false));
        }
        const widths = rows[0]!.map((_, column) =>
          Math.max(...rows.map((row) => displayWidth(row[column] ?? ""))),
        );
        const format = (row: string[]) =>
          row.map((cell, column) => padEnd(cell, widths[column]!)).join(" │ ");
        blank = true;
        rows.forEach((row, index) => {
          emit(index < header ? bold(format(row)) : format(row));
          if (index + 1 === header) emit(widths.map((width) => "─".repeat(width)).join("─┼─"));
        });
        endBlock();
        break;
      }
      default:
        break;
    }
  }
  return `${lines
    .join("\n")
    .replace(/\u200b/g, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim()}\n`;
}
