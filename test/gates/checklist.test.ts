import { describe, expect, it } from "vitest";
import { checklistItems, evaluateChecklist } from "../../src/gates/checklist.js";
import type { ChecklistTick } from "../../src/gates/snapshot.js";
import type { Finding } from "../../src/rules/types.js";
import { HEAD_SHA, OLD_SHA, tick } from "./builders.js";

/** Ticks made on the head by people other than the author (alice). */
const CONTEXT = { author: "alice", allowAuthor: false, changeSet: "c0", headSha: HEAD_SHA };

function finding(rule: string, checklist: string[]): Finding {
  return { rule, file: "lb.tf", severity: "high", line: 1, message: rule, checklist };
}

const FINDINGS = [
  finding("lb.health-check.detection-too-fast", ["Check the health endpoint", "Check GC pauses"]),
  finding("lb.stickiness.duration-cut", ["Check sessions", "Check the health endpoint"]),
  finding("lb.health-check.timeout-not-below-interval", []),
];

describe("checklistItems", () => {
  it("lists each item once, in finding order, with every rule that asked for it", () => {
    expect(checklistItems(FINDINGS)).toEqual([
      {
        item: "Check the health endpoint",
        rules: ["lb.health-check.detection-too-fast", "lb.stickiness.duration-cut"],
      },
      { item: "Check GC pauses", rules: ["lb.health-check.detection-too-fast"] },
      { item: "Check sessions", rules: ["lb.stickiness.duration-cut"] },
    ]);
  });
});

describe("evaluateChecklist", () => {
  const cases: {
    name: string;
    ticks: ChecklistTick[];
    required?: boolean;
    status: string;
    detail: string;
    checked: boolean[];
  }[] = [
    {
      name: "nothing ticked",
      ticks: [],
      status: "fail",
      detail: "0 of 3 items ticked",
      checked: [false, false, false],
    },
    {
      name: "ticked by writers",
      ticks: [
        tick("Check the health endpoint", "bob"),
        tick("Check GC pauses", "carol", "admin"),
        tick("Check sessions", "mona", "maintain"),
      ],
      status: "pass",
      detail: "3 of 3 items ticked",
      checked: [true, true, true],
    },
    {
      name: "a reader's tick does not count",
      ticks: [
        tick("Check the health endpoint", "bob"),
        tick("Check GC pauses", "rita", "read"),
        tick("Check sessions", "trent", "triage"),
      ],
      status: "fail",
      detail: "1 of 3 items ticked",
      checked: [true, false, false],
    },
    {
      name: "a tick for different text does not count",
      ticks: [tick("check the health endpoint", "bob"), tick("Check GC pauses.", "bob")],
      status: "fail",
      detail: "0 of 3 items ticked",
      checked: [false, false, false],
    },
    {
      name: "a tick on another change set, or recorded without one on another head, does not count",
      ticks: [
        { ...tick("Check the health endpoint", "bob"), headSha: OLD_SHA },
        tick("Check GC pauses", "carol"),
        { ...tick("Check sessions", "bob"), changeSet: "c1" },
      ],
      status: "fail",
      detail:
        "1 of 3 items ticked; ticks made before the infrastructure change changed are re-opened",
      checked: [false, true, false],
    },
    {
      name: "not required at this risk, still listed",
      ticks: [tick("Check sessions", "bob")],
      required: false,
      status: "not-required",
      detail: "not required at this risk (1 of 3 items ticked)",
      checked: [false, false, true],
    },
  ];

  it.each(cases)("$name", ({ ticks, required, status, detail, checked }) => {
    const outcome = evaluateChecklist(FINDINGS, ticks, required ?? true, CONTEXT);
    expect(outcome.result).toMatchObject({ gate: "checklist", status, detail });
    expect(outcome.items.map((item) => item.checked)).toEqual(checked);
  });

  it("records who ticked an item", () => {
    const outcome = evaluateChecklist(FINDINGS, [tick("Check sessions", "bob")], true, CONTEXT);
    expect(outcome.items[2]).toMatchObject({ checked: true, checkedBy: "bob" });
    expect(outcome.shortfall).toBe("checklist 1 of 3 ticked");
  });

  it("passes when the findings ask for nothing", () => {
    expect(evaluateChecklist([finding("x", [])], [], true, CONTEXT).result).toMatchObject({
      status: "pass",
      detail: "no checklist items",
    });
  });
});
