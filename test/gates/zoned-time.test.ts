import { describe, expect, it } from "vitest";
import {
  instantOf,
  isTimeZone,
  localAt,
  zonedText,
  type LocalTime,
} from "../../src/config/zoned-time.js";

const iso = (instant: number): string => new Date(instant).toISOString();
const local = (text: string): LocalTime => {
  const [date, time] = text.split(" ") as [string, string];
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  return { year, month, day, hour, minute };
};

describe("zoned time (Intl's time-zone database)", () => {
  it("reads a wall-clock time in a zone on either side of a DST change", () => {
    expect(iso(instantOf(local("2027-03-28 01:30"), "Europe/Berlin"))).toBe(
      "2027-03-28T00:30:00.000Z",
    );
    expect(iso(instantOf(local("2027-03-28 03:30"), "Europe/Berlin"))).toBe(
      "2027-03-28T01:30:00.000Z",
    );
    expect(iso(instantOf(local("2026-07-01 09:00"), "America/New_York"))).toBe(
      "2026-07-01T13:00:00.000Z",
    );
    expect(iso(instantOf(local("2026-12-01 09:00"), "America/New_York"))).toBe(
      "2026-12-01T14:00:00.000Z",
    );
  });

  it("moves a time in the spring-forward gap forward by the gap (Berlin 2027-03-28 02:30 → 03:30)", () => {
    const instant = instantOf(local("2027-03-28 02:30"), "Europe/Berlin");
    expect(iso(instant)).toBe("2027-03-28T01:30:00.000Z");
    expect(localAt(instant, "Europe/Berlin")).toEqual(local("2027-03-28 03:30"));
    // New York springs forward on 2027-03-14 at 02:00.
    expect(iso(instantOf(local("2027-03-14 02:15"), "America/New_York"))).toBe(
      "2027-03-14T07:15:00.000Z",
    );
  });

  it("takes the earlier instant of a time the fall-back night repeats (Berlin 2026-10-25 02:30)", () => {
    expect(iso(instantOf(local("2026-10-25 02:30"), "Europe/Berlin"))).toBe(
      "2026-10-25T00:30:00.000Z",
    );
    expect(iso(instantOf(local("2026-11-01 01:30"), "America/New_York"))).toBe(
      "2026-11-01T05:30:00.000Z",
    );
  });

  it("knows IANA names and refuses typos and hand-written offsets", () => {
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Europe/Berln")).toBe(false);
    expect(isTimeZone("+01:00")).toBe(false);
  });

  it("names an instant locally and in UTC, with the UTC date when it differs", () => {
    expect(zonedText(Date.parse("2026-12-07T08:00:00Z"), "Europe/Berlin")).toBe(
      "Monday 2026-12-07 09:00 Europe/Berlin (08:00 UTC)",
    );
    expect(zonedText(Date.parse("2026-12-07T02:00:00Z"), "America/New_York")).toBe(
      "Sunday 2026-12-06 21:00 America/New_York (Monday 2026-12-07 02:00 UTC)",
    );
    expect(zonedText(Date.parse("2026-12-07T02:00:00Z"), "UTC")).toBe(
      "Monday 2026-12-07 02:00 UTC",
    );
  });
});
