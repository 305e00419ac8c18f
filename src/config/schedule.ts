// The policy's change windows and freezes (docs/configuration.md, `windows` and `freezes`): read
// from their text, checked with the words every policy problem uses, resolved to what the
// `schedule` gate judges (src/gates/schedule.ts).
import type { Severity } from "../rules/severity.js";
import { didYouMean } from "./did-you-mean.js";
import {
  addDays,
  instantOf,
  isRealDate,
  isTimeZone,
  knownTimeZones,
  type LocalDate,
  type LocalTime,
} from "./zoned-time.js";

type Level = Exclude<Severity, "none">;

export const SCHEDULE_LEVELS: readonly Level[] = ["low", "medium", "high", "critical"];

/** One recurring window: on these weekdays, from `start` to `end` (minutes of the day) in `zone`. */
export interface ChangeWindow {
  /** As the policy wrote it, for the gate's detail. */
  readonly text: string;
  /** 0 Sunday … 6 Saturday: the days a span starts on. */
  readonly days: readonly number[];
  readonly start: number;
  /** Exclusive; at or before `start`, the span ends the next day (it crosses midnight). */
  readonly end: number;
  readonly zone: string;
}

/** One declared freeze, from `from` up to (not including) `to`, both instants. */
export interface Freeze {
  readonly from: number;
  readonly to: number;
  readonly reason: string;
  /** The lowest risk it holds. */
  readonly risk: Level;
  readonly zone: string;
  /** The bounds as the policy wrote them, for the gate's detail. */
  readonly fromText: string;
  readonly toText: string;
}

/** What the gate judges: each level's windows (null: any time) and every freeze. */
export interface Schedule {
  readonly windows: Readonly<Record<Level, readonly ChangeWindow[] | null>>;
  readonly freezes: readonly Freeze[];
}

/** A problem of one key of the policy, as config/policy.ts reports it. */
export interface ScheduleProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const FULL_DAY_NAMES = [
  "sunday",
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
];

const WINDOW_SHAPE = /^(\S+)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})(?:\s+(\S+))?$/;
const EXAMPLE = '"DAYS HH:MM-HH:MM [Zone]" such as "Mon-Thu 09:00-16:00 Europe/Berlin"';

/** `unknown time zone "Europe/Berln" (did you mean "Europe/Berlin"?)`, or null for a known zone. */
function zoneProblem(zone: string): string | null {
  if (isTimeZone(zone)) return null;
  const hint = didYouMean(zone, knownTimeZones()) || " (an IANA name such as Europe/Berlin or UTC)";
  return `unknown time zone ${JSON.stringify(zone)}${hint}`;
}

/** "Mon-Thu 09:00-16:00 Europe/Berlin" → the window, or what is wrong with the text. */
function parseWindow(
  text: string,
  defaultZone: string,
): { ok: true; window: ChangeWindow } | { ok: false; message: string } {
  const shape = WINDOW_SHAPE.exec(text.trim());
  if (!shape) return { ok: false, message: `expected ${EXAMPLE}, got ${JSON.stringify(text)}` };
  const days = parseDays(shape[1]!);
  if (typeof days === "string") return { ok: false, message: days };
  const start = minutesOf(shape[2]!, false);
  if (typeof start === "string") return { ok: false, message: start };
  const end = minutesOf(shape[3]!, true);
  if (typeof end === "string") return { ok: false, message: end };
  if (start === end)
    return { ok: false, message: `the window is empty: it starts and ends at ${shape[2]}` };
  const zone = shape[4] ?? defaultZone;
  const unknown = zoneProblem(zone);
  if (unknown) return { ok: false, message: unknown };
  return { ok: true, window: { text: text.trim(), days, start, end, zone } };
}

/** "Mon-Thu", "Mon,Wed,Fri", "Fri-Mon" (a range may wrap past Sunday) → weekday numbers. */
function parseDays(text: string): number[] | string {
  const days = new Set<number>();
  for (const item of text.split(",")) {
    const [first, last, ...rest] = item.split("-");
    if (rest.length > 0 || first === undefined || first === "")
      return `expected days such as "Mon-Thu" or "Mon,Wed,Fri", got ${JSON.stringify(text)}`;
    const from = dayNumber(first);
    if (typeof from === "string") return from;
    const to = last === undefined ? from : dayNumber(last);
    if (typeof to === "string") return to;
    for (let day = from; ; day = (day + 1) % 7) {
      days.add(day);
      if (day === to) break;
    }
  }
  return [...days].sort((a, b) => a - b);
}

function dayNumber(name: string): number | string {
  const lower = name.toLowerCase();
  const short = DAY_NAMES.indexOf(lower as (typeof DAY_NAMES)[number]);
  if (short >= 0) return short;
  const full = FULL_DAY_NAMES.indexOf(lower);
  if (full >= 0) return full;
  return `unknown day ${JSON.stringify(name)} (days are Mon, Tue, Wed, Thu, Fri, Sat, Sun)`;
}

/** "09:00" → 540; `24:00` only as an end. */
function minutesOf(text: string, isEnd: boolean): number | string {
  const [hours, minutes] = text.split(":").map(Number) as [number, number];
  const minute = hours * 60 + minutes;
  if (minutes < 60 && (minute < 1440 || (isEnd && minute === 1440))) return minute;
  return `${JSON.stringify(text)} is not a time of day (00:00 to ${isEnd ? "24:00" : "23:59"})`;
}

const LOCAL_SHAPE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/;

/** A freeze bound: `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`, and whether it named a time. */
function parseLocal(text: string): { local: LocalTime; dateOnly: boolean } | string {
  const shape = LOCAL_SHAPE.exec(text);
  const expected = `expected a local date YYYY-MM-DD or date and time YYYY-MM-DDTHH:MM, got ${JSON.stringify(text)}`;
  if (!shape) return expected;
  const date: LocalDate = { year: +shape[1]!, month: +shape[2]!, day: +shape[3]! };
  if (!isRealDate(date)) return `${JSON.stringify(text)} is not a date`;
  const hour = shape[4] === undefined ? 0 : +shape[4];
  const minute = shape[5] === undefined ? 0 : +shape[5];
  if (hour > 23 || minute > 59) return `${JSON.stringify(text)} is not a time of day`;
  return { local: { ...date, hour, minute }, dateOnly: shape[4] === undefined };
}

/** A freeze's bounds as instants: a date-only `to` includes that whole day. */
function freezeBounds(
  from: string,
  to: string,
  zone: string,
): { from: number; to: number } | ScheduleProblem {
  const start = parseLocal(from);
  if (typeof start === "string") return { path: ["from"], message: start };
  const end = parseLocal(to);
  if (typeof end === "string") return { path: ["to"], message: end };
  const endLocal = end.dateOnly ? { ...addDays(end.local, 1), hour: 0, minute: 0 } : end.local;
  const bounds = { from: instantOf(start.local, zone), to: instantOf(endLocal, zone) };
  if (bounds.from >= bounds.to)
    return { path: ["to"], message: `the freeze ends (${to}) before it starts (${from})` };
  return bounds;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * What the schema cannot check about `timeZone`, `windows` and `freezes`, on the raw data (so
 * they run whatever else is wrong): zones the database knows, window strings, freeze bounds.
 */
export function scheduleProblems(data: unknown): ScheduleProblem[] {
  if (!isRecord(data)) return [];
  const problems: ScheduleProblem[] = [];
  const rootZone = typeof data.timeZone === "string" ? data.timeZone : "UTC";
  if (typeof data.timeZone === "string") {
    const problem = zoneProblem(data.timeZone);
    if (problem) problems.push({ path: ["timeZone"], message: problem });
  }
  const defaultZone = isTimeZone(rootZone) ? rootZone : "UTC";
  if (isRecord(data.windows)) {
    for (const [level, value] of Object.entries(data.windows)) {
      const texts: [string, number | null][] = typeof value === "string" ? [[value, null]] : [];
      if (Array.isArray(value))
        value.forEach((item: unknown, index) => {
          if (typeof item === "string") texts.push([item, index]);
        });
      for (const [text, index] of texts) {
        const parsed = parseWindow(text, defaultZone);
        if (!parsed.ok)
          problems.push({
            path: index === null ? ["windows", level] : ["windows", level, index],
            message: parsed.message,
          });
      }
    }
  }
  if (Array.isArray(data.freezes))
    data.freezes.forEach((freeze: unknown, index) => {
      if (!isRecord(freeze)) return;
      let zone = defaultZone;
      if (typeof freeze.timeZone === "string") {
        const problem = zoneProblem(freeze.timeZone);
        if (problem) {
          problems.push({ path: ["freezes", index, "timeZone"], message: problem });
          return;
        }
        zone = freeze.timeZone;
      }
      if (typeof freeze.from !== "string" || typeof freeze.to !== "string") return;
      const bounds = freezeBounds(freeze.from, freeze.to, zone);
      if ("path" in bounds)
        problems.push({ path: ["freezes", index, ...bounds.path], message: bounds.message });
    });
  return problems;
}

/** The parts of a parsed policy the schedule is made from. */
export interface ScheduleInput {
  readonly timeZone: string;
  readonly windows: Partial<Record<Level, string | readonly string[]>>;
  readonly freezes: readonly {
    readonly from: string;
    readonly to: string;
    readonly reason: string;
    readonly risk: Level;
    readonly timeZone?: string | undefined;
  }[];
}

/**
 * The schedule of a validated policy. A level without windows of its own takes the nearest lower
 * level's (`high` also holds `critical`); a level with none at or below it may change any time.
 * Throws on text `scheduleProblems` refuses (a policy that was not validated).
 */
export function readSchedule(input: ScheduleInput): Schedule {
  const windows = {} as Record<Level, readonly ChangeWindow[] | null>;
  let inherited: readonly ChangeWindow[] | null = null;
  for (const level of SCHEDULE_LEVELS) {
    const given = input.windows[level];
    if (given !== undefined) {
      inherited = (typeof given === "string" ? [given] : given).map((text) => {
        const parsed = parseWindow(text, input.timeZone);
        if (!parsed.ok) throw new Error(`windows.${level}: ${parsed.message}`);
        return parsed.window;
      });
    }
    windows[level] = inherited;
  }
  const freezes = input.freezes.map((freeze, index) => {
    const zone = freeze.timeZone ?? input.timeZone;
    const bounds = freezeBounds(freeze.from, freeze.to, zone);
    if ("path" in bounds)
      throw new Error(`freezes.${index}.${bounds.path.join(".")}: ${bounds.message}`);
    return {
      ...bounds,
      reason: freeze.reason,
      risk: freeze.risk,
      zone,
      fromText: freeze.from,
      toText: freeze.to,
    };
  });
  return { windows, freezes };
}

/** The policy declares a window or a freeze at all (else the gate is not shown). */
export function hasSchedule(input: ScheduleInput): boolean {
  return Object.keys(input.windows).length > 0 || input.freezes.length > 0;
}
