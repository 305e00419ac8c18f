import type { Policy } from "../config/policy.js";
import { hasSchedule, readSchedule, type ChangeWindow, type Freeze } from "../config/schedule.js";
import {
  addDays,
  DAY_MS,
  dayTimeText,
  instantOf,
  localAt,
  weekdayOf,
  zonedText,
  type LocalDate,
} from "../config/zoned-time.js";
import { SEVERITIES, type Severity } from "../rules/severity.js";
import { failed, mention, notRequired, passed, type GateOutcome } from "./outcome.js";

export interface ScheduleOutcome extends GateOutcome {
  /** When the gate opens again (ISO, UTC); null when it does not hold the change or opens in no bounded time. */
  readonly reopensAt: string | null;
  /**
   * When a passing gate starts to hold the change (its window closes or a freeze begins; ISO,
   * UTC): a green check must not outlive its window. Null when it passes for another reason
   * (no risk, no window or freeze for it, the override) or nothing closes in bounded time.
   */
  readonly closesAt?: string | null;
}

/** How far ahead the next opening is looked for (the sweep re-evaluates then). */
const OPENING_SEARCH_DAYS = 400;

const rank = (level: Severity): number => SEVERITIES.indexOf(level);

/**
 * The `schedule` gate (docs/configuration.md, `windows` and `freezes`): at the time of the
 * evaluation, is the change inside its risk level's window and outside every freeze that holds its
 * risk? Failing, it names the reason and when it opens. An accepted emergency override bypasses it,
 * and the detail says so. Null when the policy declares no window and no freeze (nothing to show).
 */
export function evaluateSchedule(
  policy: Policy,
  risk: Severity,
  evaluatedAt: string | undefined,
  overriddenBy: string | null,
): ScheduleOutcome | null {
  if (!hasSchedule(policy)) return null;
  if (risk === "none")
    return { ...notRequired("schedule", "no infrastructure risk: any time"), reopensAt: null };
  const schedule = readSchedule(policy);
  const windows = schedule.windows[risk];
  const freezes = schedule.freezes.filter((freeze) => rank(freeze.risk) <= rank(risk));
  if (windows === null && freezes.length === 0)
    return {
      ...notRequired("schedule", `no change window or freeze holds ${risk} risk`),
      reopensAt: null,
    };
  const at = evaluatedAt === undefined ? Number.NaN : Date.parse(evaluatedAt);
  if (Number.isNaN(at))
    return {
      ...failed(
        "schedule",
        "the time of evaluation is unknown, so whether a window is open or a freeze holds cannot be told",
        "time of evaluation unknown",
        { needs: { kind: "schedule", opens: null, unknownTime: true } },
      ),
      reopensAt: null,
    };
  const frozen = freezes.filter((freeze) => freeze.from <= at && at < freeze.to);
  const open = windows === null ? null : windows.find((window) => inWindow(window, at));
  if (frozen.length === 0 && open !== undefined) {
    const closes = nextClosing({ windows, freezes }, at);
    return {
      ...passed("schedule", open ? `inside the window ${open.text}` : "no freeze holds now"),
      reopensAt: null,
      closesAt: closes === null ? null : new Date(closes).toISOString(),
    };
  }
  const reason =
    frozen.length > 0
      ? frozen.map(freezeText).join("; ")
      : `outside the window ${windowsText(windows)}`;
  if (overriddenBy !== null)
    return {
      ...passed(
        "schedule",
        `${reason}; bypassed by the emergency override of ${mention(overriddenBy)}`,
      ),
      reopensAt: null,
    };
  return held(reason, frozen.length > 0, nextOpening({ windows, freezes }, at));
}

/** The failing gate: why, and when the change may go in (named locally and in UTC). */
function held(
  reason: string,
  frozen: boolean,
  next: { readonly at: number; readonly zone: string } | null,
): ScheduleOutcome {
  const what = frozen ? "change freeze" : "outside the change window";
  if (!next)
    return {
      ...failed(
        "schedule",
        `${reason}; no window opens in the next ${OPENING_SEARCH_DAYS} days`,
        what,
        { needs: { kind: "schedule", opens: null } },
      ),
      reopensAt: null,
    };
  const opens = zonedText(next.at, next.zone);
  const local = `${dayTimeText(localAt(next.at, next.zone))} ${next.zone}`;
  return {
    ...failed("schedule", `${reason}; opens ${opens}`, `${what} until ${local}`, {
      needs: { kind: "schedule", opens },
    }),
    reopensAt: new Date(next.at).toISOString(),
  };
}

interface Judged {
  /** null: any time, as far as windows go. */
  readonly windows: readonly ChangeWindow[] | null;
  readonly freezes: readonly Freeze[];
}

const windowsText = (windows: readonly ChangeWindow[] | null): string =>
  (windows ?? []).map((window) => window.text).join(" or ");

function freezeText(freeze: Freeze): string {
  return `change freeze: ${freeze.reason} (${freeze.fromText} to ${freeze.toText} ${freeze.zone})`;
}

/** A span of a window on one start day: [start, end) as instants. */
function span(window: ChangeWindow, day: LocalDate): { start: number; end: number } {
  const at = (date: LocalDate, minute: number): number =>
    instantOf({ ...date, hour: Math.floor(minute / 60), minute: minute % 60 }, window.zone);
  // An end at or before the start, or 24:00, falls on the next day.
  const endDay = window.end <= window.start || window.end === 1440 ? addDays(day, 1) : day;
  return { start: at(day, window.start), end: at(endDay, window.end % 1440) };
}

/** `at` falls in a span of the window: one that started today, or yesterday and crosses midnight. */
function inWindow(window: ChangeWindow, at: number): boolean {
  const today = localAt(at, window.zone);
  return [today, addDays(today, -1)].some((day) => {
    if (!window.days.includes(weekdayOf(day))) return false;
    const { start, end } = span(window, day);
    return start <= at && at < end;
  });
}

function allowed(judged: Judged, at: number): boolean {
  if (judged.freezes.some((freeze) => freeze.from <= at && at < freeze.to)) return false;
  return judged.windows === null || judged.windows.some((window) => inWindow(window, at));
}

/**
 * The first instant after `at` at which a change allowed at `at` no longer is: only the instants
 * where that can start are tried (each window span's end in the coming week, each freeze's start
 * within `OPENING_SEARCH_DAYS`), in order. Null when none is.
 */
function nextClosing(judged: Judged, at: number): number | null {
  const bound = at + OPENING_SEARCH_DAYS * DAY_MS;
  const candidates: number[] = [];
  for (const window of judged.windows ?? []) {
    const first = localAt(at, window.zone);
    // Windows recur weekly: if none of their span ends in the coming eight days closes the
    // change, they cover every instant of a week, and so every instant.
    for (let offset = -1; offset <= 8; offset++) {
      const day = addDays(first, offset);
      if (!window.days.includes(weekdayOf(day))) continue;
      const { end } = span(window, day);
      if (end > at && end <= bound) candidates.push(end);
    }
  }
  for (const freeze of judged.freezes)
    if (freeze.from > at && freeze.from <= bound) candidates.push(freeze.from);
  candidates.sort((a, b) => a - b);
  return candidates.find((candidate) => !allowed(judged, candidate)) ?? null;
}

/**
 * The first instant after `at` at which the change may go in: only the instants where that can
 * start are tried (each window's start on each day, each freeze's end), in order, within
 * `OPENING_SEARCH_DAYS`. Null when none is. The coming week is searched first: a window start on a
 * day more than eight days ahead is more than a week away, so an opening found within the week is
 * the first (most are), and the whole bound is walked only when none is.
 */
function nextOpening(
  judged: Judged,
  at: number,
): { readonly at: number; readonly zone: string } | null {
  return (
    openingWithin(judged, at, 8, at + 7 * DAY_MS) ??
    openingWithin(judged, at, OPENING_SEARCH_DAYS, at + OPENING_SEARCH_DAYS * DAY_MS)
  );
}

/** The first allowed candidate up to `horizon`, from window starts on the next `days` days. */
function openingWithin(
  judged: Judged,
  at: number,
  days: number,
  horizon: number,
): { readonly at: number; readonly zone: string } | null {
  const candidates: { at: number; zone: string }[] = [];
  for (const window of judged.windows ?? []) {
    const first = localAt(at, window.zone);
    for (let offset = -1; offset <= days; offset++) {
      const day = addDays(first, offset);
      if (!window.days.includes(weekdayOf(day))) continue;
      const { start, end } = span(window, day);
      // A span the DST gap swallowed whole never opens.
      if (start > at && start < end && start <= horizon)
        candidates.push({ at: start, zone: window.zone });
    }
  }
  for (const freeze of judged.freezes)
    if (freeze.to > at && freeze.to <= horizon) {
      // The freeze's end opens the window in force then, named in that window's zone.
      const zone =
        judged.windows?.find((window) => inWindow(window, freeze.to))?.zone ?? freeze.zone;
      candidates.push({ at: freeze.to, zone });
    }
  candidates.sort((a, b) => a.at - b.at);
  return candidates.find((candidate) => allowed(judged, candidate.at)) ?? null;
}
