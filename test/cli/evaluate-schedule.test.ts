import { describe, expect, it } from "vitest";
import {
  evaluateSnapshot,
  evaluationJson,
  parseAt,
  renderEvaluation,
} from "../../src/cli/evaluate-command.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError } from "../../src/cli/io.js";
import { run } from "./cli-helpers.js";
import { PLANS, review, snapshot } from "../gates/builders.js";

const held = snapshot({
  policy: 'windows:\n  high: "Mon-Thu 09:00-16:00 Europe/Berlin"\n',
  reviews: [review("bob"), review("carol")],
  pull: { body: PLANS },
});
const FRIDAY_EVENING = Date.parse("2026-12-04T17:30:00Z");

describe("changegate evaluate and the schedule gate", () => {
  it("judges a snapshot without evaluatedAt at the present moment", () => {
    const friday = evaluateSnapshot(held, undefined, () => FRIDAY_EVENING);
    expect(friday.verdict.conclusion).toBe("failure");
    expect(evaluationJson(friday)).toMatchObject({
      verdict: { reopensAt: "2026-12-07T08:00:00.000Z" },
    });
    const tuesday = evaluateSnapshot(held, undefined, () => Date.parse("2026-12-08T10:00:00Z"));
    expect(tuesday.verdict.conclusion).toBe("success");
  });

  it("judges at the snapshot's evaluatedAt, and at --at over it", () => {
    const recorded = { ...held, evaluatedAt: "2026-12-08T10:00:00Z" };
    expect(evaluateSnapshot(recorded, undefined, () => FRIDAY_EVENING).verdict.conclusion).toBe(
      "success",
    );
    const at = evaluateSnapshot(recorded, "2026-12-04T18:30:00+01:00");
    expect(at.verdict.conclusion).toBe("failure");
    expect(renderEvaluation(at, "markdown")).toContain(
      "opens Monday 2026-12-07 09:00 Europe/Berlin (08:00 UTC)",
    );
  });

  it("refuses an --at that is no instant with its offset", () => {
    expect(parseAt("2026-12-04T18:30:00+01:00")).toBe("2026-12-04T17:30:00.000Z");
    expect(() => parseAt("2026-12-04T18:30")).toThrow(UsageError);
    expect(() => parseAt("friday")).toThrow(
      '--at: expected an ISO date and time with its offset, such as 2026-12-04T17:30:00Z or 2026-12-04T18:30:00+01:00, got "friday"',
    );
  });
});

describe("changegate evaluate --at", () => {
  it("judges the snapshot file at the instant given, and refuses one without an offset", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "changegate-at-")), "snapshot.json");
    writeFileSync(file, JSON.stringify(held));
    const friday = await run("evaluate", "--snapshot", file, "--at", "2026-12-04T17:30:00Z");
    expect(friday.code).toBe(1);
    expect(JSON.parse(friday.out).verdict.reopensAt).toBe("2026-12-07T08:00:00.000Z");
    const tuesday = await run("evaluate", "--snapshot", file, "--at", "2026-12-08T10:00:00Z");
    expect(tuesday.code).toBe(0);
    const bad = await run("evaluate", "--snapshot", file, "--at", "2026-12-08 10:00");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--at: expected an ISO date and time with its offset");
  });
});
