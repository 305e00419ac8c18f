import { describe, expect, it } from "vitest";
import { parsePolicy, problemText, type Policy } from "../../src/config/policy.js";
import { evaluate } from "../../src/gates/evaluate.js";
import { evaluateSchedule } from "../../src/gates/schedule.js";
import type { Severity } from "../../src/rules/severity.js";
import { howToPass } from "../../src/render/verdict-markdown.js";
import { PLANS, review, snapshot } from "./builders.js";

function policy(text: string): Policy {
  const parsed = parsePolicy(text);
  if (!parsed.ok) throw new Error(parsed.problems.map(problemText).join("\n"));
  return parsed.policy;
}

const BERLIN_HIGH = 'windows:\n  high: "Mon-Thu 09:00-16:00 Europe/Berlin"\n';

function judge(
  text: string,
  risk: Severity,
  at: string | undefined,
  overriddenBy: string | null = null,
) {
  return evaluateSchedule(policy(text), risk, at, overriddenBy);
}

describe("schedule gate: windows", () => {
  it("is absent when the policy declares no window and no freeze", () => {
    expect(judge("", "high", "2026-12-04T17:30:00Z")).toBeNull();
  });

  it("holds a high-risk change on a Friday evening and names Monday 09:00 Berlin, locally and in UTC", () => {
    const outcome = judge(BERLIN_HIGH, "high", "2026-12-04T17:30:00Z")!;
    expect(outcome.result).toMatchObject({
      gate: "schedule",
      status: "fail",
      detail:
        "outside the window Mon-Thu 09:00-16:00 Europe/Berlin; opens Monday 2026-12-07 09:00 Europe/Berlin (08:00 UTC)",
    });
    expect(outcome.shortfall).toBe(
      "outside the change window until Monday 2026-12-07 09:00 Europe/Berlin",
    );
    expect(outcome.reopensAt).toBe("2026-12-07T08:00:00.000Z");
  });

  it("a passing gate says when its window closes, so a green check does not outlive it", () => {
    // Monday 09:00 Berlin: the Monday span closes at 16:00 Berlin (15:00 UTC).
    expect(judge(BERLIN_HIGH, "high", "2026-12-07T08:00:00Z")!.closesAt).toBe(
      "2026-12-07T15:00:00.000Z",
    );
    // Windows that touch end to end close where the last one ends.
    const evenings = 'windows:\n  high: ["Mon 09:00-18:00 UTC", "Mon 18:00-23:00 UTC"]\n';
    expect(judge(evenings, "high", "2026-12-07T10:00:00Z")!.closesAt).toBe(
      "2026-12-07T23:00:00.000Z",
    );
    // A freeze that begins before the window ends closes it then.
    const frozenLater = `${BERLIN_HIGH}freezes:\n  - { from: "2026-12-07T12:00", to: 2026-12-08, reason: audit, timeZone: Europe/Berlin }\n`;
    expect(judge(frozenLater, "high", "2026-12-07T08:00:00Z")!.closesAt).toBe(
      "2026-12-07T11:00:00.000Z",
    );
    // Windows open every minute of the week, and no freeze: nothing closes.
    expect(
      judge('windows:\n  high: "Mon-Sun 00:00-24:00 UTC"\n', "high", "2026-12-07T08:00:00Z")!
        .closesAt,
    ).toBeNull();
    // Held, or bypassed by the override: no closing to watch.
    expect(judge(BERLIN_HIGH, "high", "2026-12-04T17:30:00Z")!.closesAt ?? null).toBeNull();
    expect(judge(BERLIN_HIGH, "high", "2026-12-04T17:30:00Z", "dave")!.closesAt ?? null).toBeNull();
  });

  it("passes inside the window, and the end is exclusive", () => {
    expect(judge(BERLIN_HIGH, "high", "2026-12-07T08:00:00Z")!.result.status).toBe("pass");
    expect(judge(BERLIN_HIGH, "high", "2026-12-10T14:59:00Z")!.result.status).toBe("pass");
    expect(judge(BERLIN_HIGH, "high", "2026-12-10T15:00:00Z")!.result.status).toBe("fail");
  });

  it("inherits the nearest lower level's window: high holds critical, not medium; risk none is never held", () => {
    expect(judge(BERLIN_HIGH, "critical", "2026-12-04T17:30:00Z")!.result.status).toBe("fail");
    expect(judge(BERLIN_HIGH, "medium", "2026-12-04T17:30:00Z")!.result.status).toBe(
      "not-required",
    );
    expect(judge(BERLIN_HIGH, "none", "2026-12-04T17:30:00Z")!.result.status).toBe("not-required");
    const own = `${BERLIN_HIGH}  critical: "Tue 10:00-11:00 Europe/Berlin"\n`;
    expect(judge(own, "critical", "2026-12-07T08:30:00Z")!.reopensAt).toBe(
      "2026-12-08T09:00:00.000Z",
    );
  });

  it("a span crossing midnight belongs to its start day", () => {
    const night = 'timeZone: Europe/Berlin\nwindows:\n  low: "Fri 22:00-02:00"\n';
    // Saturday 01:00 Berlin is inside Friday's span; Saturday 22:00 is not (no Saturday span).
    expect(judge(night, "low", "2026-12-05T00:00:00Z")!.result.status).toBe("pass");
    expect(judge(night, "low", "2026-12-05T21:00:00Z")!.reopensAt).toBe("2026-12-11T21:00:00.000Z");
    // 24:00 ends at midnight.
    const late = 'windows:\n  low: "Mon 20:00-24:00"\n';
    expect(judge(late, "low", "2026-12-07T23:59:00Z")!.result.status).toBe("pass");
    expect(judge(late, "low", "2026-12-08T00:00:00Z")!.result.status).toBe("fail");
  });

  it("opens a window whose start falls in the spring-forward gap at the end of the gap", () => {
    const gap = 'windows:\n  low: "Sun 02:30-05:00 Europe/Berlin"\n';
    const outcome = judge(gap, "low", "2027-03-27T12:00:00Z")!;
    expect(outcome.reopensAt).toBe("2027-03-28T01:30:00.000Z");
    expect(outcome.result.detail).toContain(
      "opens Sunday 2027-03-28 03:30 Europe/Berlin (01:30 UTC)",
    );
  });

  it("keeps Berlin hours across the fall-back night and in New York's summer and winter", () => {
    // Friday 2026-10-23 evening: Monday 09:00 is CET after the fall back (08:00 UTC).
    expect(judge(BERLIN_HIGH, "high", "2026-10-23T17:00:00Z")!.reopensAt).toBe(
      "2026-10-26T08:00:00.000Z",
    );
    // The Thursday before, still CEST: 09:00 is 07:00 UTC.
    expect(judge(BERLIN_HIGH, "high", "2026-10-22T06:00:00Z")!.reopensAt).toBe(
      "2026-10-22T07:00:00.000Z",
    );
    const ny = 'windows:\n  high: "Mon-Fri 09:00-17:00 America/New_York"\n';
    expect(judge(ny, "high", "2026-07-04T12:00:00Z")!.reopensAt).toBe("2026-07-06T13:00:00.000Z");
    expect(judge(ny, "high", "2026-12-05T12:00:00Z")!.reopensAt).toBe("2026-12-07T14:00:00.000Z");
  });

  it("fails closed when the time of evaluation is unknown", () => {
    const outcome = judge(BERLIN_HIGH, "high", undefined)!;
    expect(outcome.result.status).toBe("fail");
    expect(outcome.result.detail).toMatch(/^the time of evaluation is unknown/);
    expect(outcome.reopensAt).toBeNull();
  });

  it("is bypassed by an accepted emergency override, and says so", () => {
    const outcome = judge(BERLIN_HIGH, "high", "2026-12-04T17:30:00Z", "dave")!;
    expect(outcome.result).toMatchObject({
      status: "pass",
      detail:
        "outside the window Mon-Thu 09:00-16:00 Europe/Berlin; bypassed by the emergency override of @dave",
    });
    expect(outcome.reopensAt).toBeNull();
  });
});

describe("schedule gate: freezes", () => {
  const FREEZE =
    "timeZone: Europe/Berlin\nfreezes:\n  - { from: 2026-12-20, to: 2027-01-03, reason: year-end freeze, risk: high }\n";

  it("holds through the whole last day of a date-only `to`, and opens at the next midnight", () => {
    const lastDay = judge(FREEZE, "high", "2027-01-03T22:59:00Z")!;
    expect(lastDay.result.status).toBe("fail");
    expect(lastDay.result.detail).toBe(
      "change freeze: year-end freeze (2026-12-20 to 2027-01-03 Europe/Berlin); opens Monday 2027-01-04 00:00 Europe/Berlin (Sunday 2027-01-03 23:00 UTC)",
    );
    expect(lastDay.reopensAt).toBe("2027-01-03T23:00:00.000Z");
    expect(judge(FREEZE, "high", "2027-01-03T23:00:00Z")!.result.status).toBe("pass");
    expect(judge(FREEZE, "high", "2026-12-19T22:59:00Z")!.result.status).toBe("pass");
  });

  it("holds its risk and above only (default low: every change with risk)", () => {
    expect(judge(FREEZE, "medium", "2026-12-24T10:00:00Z")!.result.status).toBe("not-required");
    expect(judge(FREEZE, "critical", "2026-12-24T10:00:00Z")!.result.status).toBe("fail");
    const all = "freezes:\n  - { from: 2026-12-24, to: 2026-12-26, reason: holidays }\n";
    expect(judge(all, "low", "2026-12-24T10:00:00Z")!.result.status).toBe("fail");
  });

  it("a freeze that ends outside the window opens at the next window start", () => {
    const both = `${BERLIN_HIGH}${FREEZE.replace("timeZone: Europe/Berlin\n", "")}`;
    // The freeze (UTC) ends Monday 2027-01-04 00:00 UTC (the end of Sunday); the window opens Monday 09:00 Berlin.
    expect(judge(both, "high", "2026-12-28T10:00:00Z")!.reopensAt).toBe("2027-01-04T08:00:00.000Z");
  });

  it("says so when nothing opens within the search bound", () => {
    const long = "freezes:\n  - { from: 2026-01-01, to: 2028-12-31, reason: migration }\n";
    const outcome = judge(long, "low", "2026-06-01T00:00:00Z")!;
    expect(outcome.reopensAt).toBeNull();
    expect(outcome.result.detail).toContain("no window opens in the next 400 days");
  });
});

describe("schedule gate in the verdict", () => {
  const approved = {
    policy: `${BERLIN_HIGH}`,
    reviews: [review("bob"), review("carol")],
    pull: { body: PLANS },
  };

  it("fails an otherwise green PR, names the opening in the title and How to pass, and carries reopensAt", () => {
    const { verdict } = evaluate(snapshot({ ...approved, evaluatedAt: "2026-12-04T17:30:00Z" }));
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.title).toBe(
      "High risk — outside the change window until Monday 2026-12-07 09:00 Europe/Berlin",
    );
    expect(verdict.reopensAt).toBe("2026-12-07T08:00:00.000Z");
    expect(howToPass(verdict).join("\n")).toContain(
      "Wait until the window opens, Monday 2026-12-07 09:00 Europe/Berlin (08:00 UTC)",
    );
    const monday = evaluate(snapshot({ ...approved, evaluatedAt: "2026-12-07T08:00:30Z" }));
    expect(monday.verdict.conclusion).toBe("success");
    expect(monday.verdict.reopensAt).toBeNull();
    // Green until the window closes at 16:00 Berlin: the App evaluates it again then.
    expect(monday.verdict.closesAt).toBe("2026-12-07T15:00:00.000Z");
  });

  it("a merged PR keeps the failing gate but waits for no window (reopensAt null)", () => {
    const { verdict } = evaluate(
      snapshot({
        ...approved,
        pull: { ...approved.pull, state: "closed", merged: true },
        evaluatedAt: "2026-12-04T17:30:00Z",
      }),
    );
    expect(verdict.gates.find((gate) => gate.gate === "schedule")?.status).toBe("fail");
    expect(verdict.reopensAt).toBeNull();
  });

  it("judges a merged PR at its merge, not at the evaluation that saw it", () => {
    const merged = (mergedAt: string, evaluatedAt: string) =>
      evaluate(
        snapshot({
          ...approved,
          pull: { ...approved.pull, state: "closed", merged: true, mergedAt },
          evaluatedAt,
        }),
      ).verdict.gates.find((gate) => gate.gate === "schedule")?.status;
    // Merged Thursday 15:59 Berlin, seen at 16:00: inside the window.
    expect(merged("2026-12-10T14:59:00Z", "2026-12-10T15:00:05Z")).toBe("pass");
    // Merged Friday evening, seen on Monday morning: outside it.
    expect(merged("2026-12-04T17:30:00Z", "2026-12-07T08:30:00Z")).toBe("fail");
  });

  it("adds no gate and no reopensAt for a policy without windows or freezes", () => {
    const { verdict } = evaluate(
      snapshot({ ...approved, policy: null, evaluatedAt: "2026-12-04T17:30:00Z" }),
    );
    expect(verdict.gates.map((gate) => gate.gate)).not.toContain("schedule");
    expect(verdict).not.toHaveProperty("reopensAt");
  });

  it("an accepted emergency override turns it green", () => {
    const { verdict } = evaluate(
      snapshot({
        ...approved,
        evaluatedAt: "2026-12-04T17:30:00Z",
        pull: {
          ...approved.pull,
          labels: ["changegate:emergency"],
          headSha: "def5678bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        },
        labelEvents: [
          {
            label: "changegate:emergency",
            actor: "dave",
            permission: "admin",
            headSha: "def5678bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
          },
        ],
      }),
    );
    expect(verdict.conclusion).toBe("success");
    expect(verdict.gates.find((gate) => gate.gate === "schedule")?.detail).toContain(
      "bypassed by the emergency override of @dave",
    );
  });
});

describe("schedule policy problems name the key and the line", () => {
  const problems = (text: string): string[] => {
    const parsed = parsePolicy(text);
    return parsed.ok
      ? []
      : parsed.problems.map((problem) => `${problem.line}: ${problemText(problem)}`);
  };

  it("reports an unknown zone with a suggestion, in windows, timeZone and a freeze", () => {
    expect(
      problems(
        'timeZone: Europe/Pariss\nwindows:\n  high: "Mon-Thu 09:00-16:00 Europe/Berln"\nfreezes:\n  - from: 2026-12-20\n    to: 2027-01-03\n    reason: x\n    timeZone: Mars/Olympus\n',
      ),
    ).toEqual([
      '1: timeZone: unknown time zone "Europe/Pariss" (did you mean "Europe/Paris"?)',
      '3: windows.high: unknown time zone "Europe/Berln" (did you mean "Europe/Berlin"?)',
      '8: freezes.0.timeZone: unknown time zone "Mars/Olympus" (an IANA name such as Europe/Berlin or UTC)',
    ]);
  });

  it("reports unreadable windows, bad days and times, an empty span, an offset", () => {
    expect(
      problems(
        'windows:\n  low:\n    - "weekdays"\n    - "Mon-Fry 09:00-10:00"\n    - "Mon 09:00-25:00"\n  medium: "Mon 09:00-09:00"\n  high: "Mon 09:00-10:00 +01:00"\n',
      ),
    ).toEqual([
      '3: windows.low.0: expected "DAYS HH:MM-HH:MM [Zone]" such as "Mon-Thu 09:00-16:00 Europe/Berlin", got "weekdays"',
      '4: windows.low.1: unknown day "Fry" (days are Mon, Tue, Wed, Thu, Fri, Sat, Sun)',
      '5: windows.low.2: "25:00" is not a time of day (00:00 to 24:00)',
      "6: windows.medium: the window is empty: it starts and ends at 09:00",
      '7: windows.high: unknown time zone "+01:00" (an IANA name such as Europe/Berlin or UTC)',
    ]);
  });

  it("reports a freeze that ends before it starts, a date that does not exist, and a bad form", () => {
    expect(
      problems(
        "freezes:\n  - from: 2026-12-20\n    to: 2026-12-10\n    reason: a\n  - from: 2026-02-30\n    to: 2026-03-02\n    reason: b\n  - from: 20 Dec\n    to: 2026-03-02\n    reason: c\n",
      ),
    ).toEqual([
      "3: freezes.0.to: the freeze ends (2026-12-10) before it starts (2026-12-20)",
      '5: freezes.1.from: "2026-02-30" is not a date',
      '8: freezes.2.from: expected a local date YYYY-MM-DD or date and time YYYY-MM-DDTHH:MM, got "20 Dec"',
    ]);
  });
});
