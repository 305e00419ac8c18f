/** `changegate audit`'s options, checked; each problem is one UsageError line (docs/audit.md). */
import { UsageError } from "./io.js";

export type AuditFormat = "csv" | "json";

export interface AuditOptions {
  readonly repositories: readonly string[];
  readonly all: boolean;
  /** Inclusive, epoch milliseconds. */
  readonly since: number;
  /** Inclusive, epoch milliseconds; undefined: up to now. */
  readonly until: number | undefined;
  readonly format: AuditFormat;
  readonly output: string | undefined;
  /** Undefined: `changegate`, or with App credentials the App's own slug. */
  readonly app: string | undefined;
}

export interface RawAuditOptions {
  repo?: string[];
  all?: boolean;
  since?: string;
  until?: string;
  format: string;
  output?: string;
  app?: string;
}

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * A date of `--since` / `--until`: `YYYY-MM-DD` (a UTC day: its start for `since`, its last
 * millisecond for `until`, so `--until 2024-03-31` includes that day) or an ISO 8601 instant with
 * `Z` or an offset. Epoch milliseconds.
 */
export function parseAuditDate(text: string, bound: "since" | "until"): number {
  const option = `--${bound}`;
  const day = DATE.exec(text);
  if (day) {
    const start = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    if (!realDate(start, day)) throw new UsageError(`${option}: ${text} is no calendar date`);
    return bound === "since" ? start : start + DAY_MS - 1;
  }
  const instant = INSTANT.exec(text);
  if (instant) {
    const at = Date.parse(text);
    const start = Date.UTC(Number(instant[1]), Number(instant[2]) - 1, Number(instant[3]));
    if (Number.isNaN(at) || !realDate(start, instant) || Number(instant[4]) > 23)
      throw new UsageError(`${option}: ${text} is no valid instant`);
    return at;
  }
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(text))
    throw new UsageError(
      `${option}: ${text} has no time zone: add Z (UTC) or an offset such as +02:00`,
    );
  throw new UsageError(`${option}: expected YYYY-MM-DD or an ISO 8601 instant, got "${text}"`);
}

/** The day did not roll over (2024-02-30 is no date). */
function realDate(start: number, parts: RegExpExecArray): boolean {
  const date = new Date(start);
  return (
    !Number.isNaN(start) &&
    date.getUTCFullYear() === Number(parts[1]) &&
    date.getUTCMonth() + 1 === Number(parts[2]) &&
    date.getUTCDate() === Number(parts[3])
  );
}

/** `OWNER/REPO`, as GitHub spells names ("." and ".." are none: in the API's path they would walk up). */
function parseRepository(text: string): string {
  const match = /^([\w.-]+)\/([\w.-]+)$/.exec(text);
  if (!match || [match[1], match[2]].some((name) => name === "." || name === ".."))
    throw new UsageError(`--repo: expected OWNER/REPO, got "${text}"`);
  return text;
}

export function checkAuditOptions(raw: RawAuditOptions): AuditOptions {
  const repositories = [...new Set((raw.repo ?? []).map(parseRepository))];
  const all = raw.all === true;
  if (all === repositories.length > 0)
    throw new UsageError("give --repo OWNER/REPO (repeatable) or --all, not both and not neither");
  if (raw.since === undefined) throw new UsageError("--since DATE is required (YYYY-MM-DD)");
  const since = parseAuditDate(raw.since, "since");
  const until = raw.until === undefined ? undefined : parseAuditDate(raw.until, "until");
  if (until !== undefined && until < since)
    throw new UsageError(`--until ${raw.until} is before --since ${raw.since}`);
  if (raw.format !== "csv" && raw.format !== "json")
    throw new UsageError(`--format must be one of csv, json (got "${raw.format}")`);
  if (raw.app !== undefined && !/^[a-z0-9][a-z0-9-]*$/i.test(raw.app))
    throw new UsageError(`--app: expected a GitHub App's slug, got "${raw.app}"`);
  return {
    repositories,
    all,
    since,
    until,
    format: raw.format,
    output: raw.output,
    app: raw.app,
  };
}
