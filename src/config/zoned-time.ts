// Local time in an IANA time zone, by the runtime's time-zone database (`Intl`): no offsets are
// written by hand, so a zone's rules (DST, a changed offset) are the database's.

/** A wall-clock time in some zone, to the minute. `month` is 1–12. */
export interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

/** A calendar date, as `LocalTime` without the time of day. */
export type LocalDate = Pick<LocalTime, "year" | "month" | "day">;

export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let found = formatters.get(zone);
  if (!found) {
    found = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, found);
  }
  return found;
}

/**
 * An IANA zone name the runtime knows ("Europe/Berlin", "UTC"). An offset ("+01:00") is not a
 * zone: it has no DST rules, so a window written with one would drift by an hour twice a year.
 */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z]/.test(zone)) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone names the runtime knows, for "did you mean" (empty where `Intl` cannot list them). */
export function knownTimeZones(): readonly string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  return supported ? [...supported("timeZone"), "UTC"] : [];
}

/** The wall-clock time at `instant` (ms since the epoch) in `zone`, seconds included. */
function wallClock(instant: number, zone: string): LocalTime & { readonly second: number } {
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(instant)))
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** The wall-clock time at `instant` in `zone`, to the minute. */
export function localAt(instant: number, zone: string): LocalTime {
  const { year, month, day, hour, minute } = wallClock(instant, zone);
  return { year, month, day, hour, minute };
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in ms. */
function offsetAt(instant: number, zone: string): number {
  const wall = wallClock(instant, zone);
  const whole = instant - (((instant % 1000) + 1000) % 1000);
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - whole;
}

const sameMinute = (a: LocalTime, b: LocalTime): boolean =>
  a.year === b.year &&
  a.month === b.month &&
  a.day === b.day &&
  a.hour === b.hour &&
  a.minute === b.minute;

/**
 * The instant a wall-clock time stands for in `zone`. Around a DST change the wall clock skips or
 * repeats an hour: a time that does not exist (02:30 on a spring-forward night in Berlin) moves
 * forward by the gap (03:30), and a time that happens twice (02:30 on a fall-back night) is the
 * earlier of the two instants.
 */
export function instantOf(local: LocalTime, zone: string): number {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  // The offsets in force a day before and a day after: one of them is the offset at that time.
  const before = offsetAt(asUtc - DAY_MS, zone);
  const after = offsetAt(asUtc + DAY_MS, zone);
  const fitting = [asUtc - before, asUtc - after]
    .filter((instant) => sameMinute(localAt(instant, zone), local))
    .sort((a, b) => a - b);
  // None fits: the time falls in a gap; the offset before the gap reads it as the time after it.
  return fitting[0] ?? asUtc - before;
}

/** The date `days` after `date` (negative: before). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
  };
}

/** 0 Sunday … 6 Saturday, as `Date.getUTCDay`. */
export function weekdayOf(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

/** The date exists in the proleptic Gregorian calendar (no 2026-02-30). */
export function isRealDate(date: LocalDate): boolean {
  const back = addDays(date, 0);
  return back.year === date.year && back.month === date.month && back.day === date.day;
}

const WEEKDAY_NAMES = [
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
] as const;

const pad = (value: number): string => String(value).padStart(2, "0");

/** "2026-12-07". */
function dateText(date: LocalDate): string {
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

/** "09:00". */
function clockText(time: Pick<LocalTime, "hour" | "minute">): string {
  return `${pad(time.hour)}:${pad(time.minute)}`;
}

/** "Monday 2026-12-07 09:00": a wall-clock time as the gate names it. */
export function dayTimeText(local: LocalTime): string {
  return `${WEEKDAY_NAMES[weekdayOf(local)]} ${dateText(local)} ${clockText(local)}`;
}

/**
 * An instant in the zone's local time and in UTC, as the gate names when a window opens:
 * "Monday 2026-12-07 09:00 Europe/Berlin (08:00 UTC)"; the UTC date is named when it differs,
 * and a time already in UTC is named once.
 */
export function zonedText(instant: number, zone: string): string {
  const local = localAt(instant, zone);
  const text = `${dayTimeText(local)} ${zone}`;
  const utc = localAt(instant, "UTC");
  if (sameMinute(local, utc)) return text;
  const sameDay = local.year === utc.year && local.month === utc.month && local.day === utc.day;
  return `${text} (${sameDay ? clockText(utc) : dayTimeText(utc)} UTC)`;
}
