/**
 * Everything that comes from a pull request (paths, values, user names) passes through here
 * before it lands in markdown GitHub renders: no @mention pings, no HTML, no links, no breaking
 * out of a table cell, a code span or our hidden markers.
 */
export function escapeText(value: string): string {
  return value
    .replace(/\r?\n/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]|~])/g, "\\$1")
    .replace(/@/g, "@\u200b") // zero-width space: no mention, no team ping
    .replace(/:\/\//g, ":\u200b//"); // no autolinks
}

/** Inline code for untrusted text: a fence longer than any backtick run inside, single line. */
export function code(value: string): string {
  const text = value.replace(/\r?\n/g, "⏎").replace(/<!--|-->/g, (m) => m.split("").join("\u200b"));
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") || text === "" ? " " : "";
  return `${fence}${pad}${text.replace(/@/g, "@\u200b")}${pad}${fence}`;
}

/** A value shown in a finding or change: JSON for structures, shortened. */
export function showValue(value: unknown, max = 80): string {
  if (value === undefined) return "(absent)";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Fenced block for untrusted multi-line text (diff hunks): a fence no line can close. */
export function fenced(body: string, language = ""): string {
  const longest = Math.max(2, ...[...body.matchAll(/`{3,}|~{3,}/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}\n${body.replace(/<!--|-->/g, (m) => m.split("").join("\u200b"))}\n${fence}`;
}
