import { mention } from "../gates/outcome.js";

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

/**
 * A GitHub login or team (`org/slug`) named in a report, as `@` + zero-width space + name: it
 * reads as the mention people know, but neither links nor notifies. The sticky comment is edited
 * on every push, and GitHub notifies whoever a comment mentions, also when an edit adds the
 * mention ("People will also receive a notification if you edit a comment to mention their
 * username or team name",
 * https://docs.github.com/en/get-started/writing-on-github/getting-started-with-writing-and-formatting-on-github/basic-writing-and-formatting-syntax#mentioning-people-and-teams,
 * section "Mentioning people and teams"); a team mention subscribes every member of the team (same
 * section). GitHub's docs do not say whether check-run output notifies; the check run and the
 * comment say the same words, so both use this form.
 */
export function person(login: string): string {
  return escapeText(mention(login)); // escapeText puts the zero-width space after the `@`
}

/** Inline code for untrusted text: a fence longer than any backtick run inside, single line. */
export function code(value: string): string {
  const text = value.replace(/\r?\n/g, "⏎").replace(/<!--|-->/g, (m) => m.split("").join("\u200b"));
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  // CommonMark strips one space from each end of a code span when both ends have one
  // (https://spec.commonmark.org/0.31.2/#code-spans): pad so the value's own spaces survive.
  const spaced = text.startsWith(" ") && text.endsWith(" ") && text.trim() !== "";
  const pad = text.startsWith("`") || text.endsWith("`") || text === "" || spaced ? " " : "";
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
