/** Helpers every shape module shares. */
import type { Repository } from "../../state/types.js";
import type { Shapes } from "./index.js";

export type Json = Record<string, unknown>;

export interface Links {
  /** REST base URL, e.g. `http://127.0.0.1:PORT/api/v3`. */
  api: string;
  /** Web base URL, e.g. `http://127.0.0.1:PORT`. */
  html: string;
}

/** What the emulated App is granted and subscribed to. */
export const APP_PERMISSIONS = {
  checks: "write",
  contents: "read",
  issues: "write",
  pull_requests: "write",
  metadata: "read",
  members: "read",
  administration: "read",
} as const;
export const APP_EVENTS = ["check_run", "issue_comment", "pull_request", "pull_request_review"];

export function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`0${kind.length}:${kind}${id}`).toString("base64");
}

/** Base64 wrapped at 60 characters, as GitHub returns file contents. */
export function base64Lines(text: string): string {
  const b64 = Buffer.from(text, "utf8").toString("base64");
  return (b64.match(/.{1,60}/g) ?? [""]).join("\n") + "\n";
}

export function repoApi(s: Shapes, repo: Repository): string {
  return `${s.links.api}/repos/${repo.fullName}`;
}

export function repoHtml(s: Shapes, repo: Repository): string {
  return `${s.links.html}/${repo.fullName}`;
}

/** One check suite per head sha: a stable id derived from it. */
export function checkSuiteId(sha: string): number {
  return 9_000_000 + (parseInt(sha.slice(0, 6), 16) % 1_000_000);
}
