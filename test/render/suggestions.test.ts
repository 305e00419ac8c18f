// Which findings' fixes become GitHub suggestions, and what their comments say (src/render/suggestions.ts).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/engine/analyze.js";
import { DEFAULT_SETTINGS } from "../../src/engine/settings.js";
import { addedLines, textHunks } from "../../src/diff/hunks.js";
import { commentMarker, reviewBody, suggestionsOf } from "../../src/render/suggestions.js";
import type { Finding } from "../../src/rules/types.js";

const BEFORE = readFileSync(
  new URL("../../examples/postmortem/before.tf", import.meta.url),
  "utf8",
);
const AFTER = readFileSync(new URL("../../examples/postmortem/after.tf", import.meta.url), "utf8");
const HEAD = "c".repeat(40);
const FILES = [{ path: "infra/lb.tf", after: AFTER, hunks: textHunks(BEFORE, AFTER) }];
const findings = (): readonly Finding[] =>
  analyze([{ path: "infra/lb.tf", before: BEFORE, after: AFTER }], DEFAULT_SETTINGS, []).findings;

const finding = (over: Partial<Finding>): Finding => ({
  rule: "lb.example",
  file: "infra/lb.tf",
  severity: "medium",
  line: 11,
  message: "m",
  checklist: [],
  fix: { line: 11, replacement: "    interval            = 30" },
  ...over,
});

describe("addedLines", () => {
  const changedLines = (before: string | null, after: string): number[] => [
    ...addedLines(textHunks(before ?? "", after)),
  ];
  it("the head side's added and modified lines, not context or removed ones", () => {
    expect(changedLines("a\nb\nc\n", "a\nB\nc\nd\n")).toEqual([2, 4]);
    expect(changedLines(null, "x\ny")).toEqual([1, 2]);
    expect(changedLines("a\nb\n", "a\n")).toEqual([]);
  });
});

describe("suggestionsOf", () => {
  it("the postmortem: the health check (line 11) and the stickiness (line 20), each a suggestion block", () => {
    const offered = suggestionsOf(findings(), FILES, HEAD);
    expect(offered.map((s) => [s.path, s.line])).toEqual([
      ["infra/lb.tf", 11],
      ["infra/lb.tf", 20],
    ]);
    expect(offered[0]!.body).toContain("```suggestion\n    interval            = 30\n```");
    expect(offered[1]!.body).toContain("```suggestion\n    cookie_duration = 28800\n```");
    expect(offered[0]!.body).toContain("`lb.health-check.detection-too-fast`");
    expect(commentMarker(offered[0]!.body)).toEqual({ head: HEAD, key: offered[0]!.key });
  });

  it("not on a line the change left alone, nor where the fix changes nothing or spans lines", () => {
    expect(suggestionsOf([finding({ fix: { line: 3, replacement: "x" } })], FILES, HEAD)).toEqual(
      [],
    );
    expect(
      suggestionsOf(
        [finding({ fix: { line: 11, replacement: "    interval            = 5" } })],
        FILES,
        HEAD,
      ),
    ).toEqual([]);
    expect(
      suggestionsOf([finding({ fix: { line: 11, replacement: "a\nb" } })], FILES, HEAD),
    ).toEqual([]);
    expect(suggestionsOf([finding({ fix: undefined })], FILES, HEAD)).toEqual([]);
  });

  it("the most severe first, the analysis order on a tie", () => {
    const offered = suggestionsOf(
      [
        finding({ rule: "a.low", severity: "low" }),
        finding({ rule: "b.critical", severity: "critical" }),
        finding({ rule: "c.low", severity: "low" }),
      ],
      FILES,
      HEAD,
    );
    expect(offered.map((s) => s.key)).toEqual(["b.critical@11", "a.low@11", "c.low@11"]);
  });

  it("escapes the message like the other reports, keeps the line verbatim behind a longer fence", () => {
    const [offered] = suggestionsOf(
      [
        finding({
          message: "@alice <b>see</b> http://x",
          fix: { line: 11, replacement: "    interval = 30 # ```" },
        }),
      ],
      FILES,
      HEAD,
    );
    expect(offered!.body).not.toContain("@alice");
    expect(offered!.body).not.toContain("<b>");
    expect(offered!.body).toContain("````suggestion\n    interval = 30 # ```\n````");
  });
});

describe("the review's body", () => {
  it("starts with a marker that names the head", () => {
    expect(reviewBody(HEAD, 2).startsWith(`<!-- changegate:suggestions head=${HEAD} -->\n`)).toBe(
      true,
    );
    expect(reviewBody(HEAD, 1)).toContain("a one-line fix");
  });
});
