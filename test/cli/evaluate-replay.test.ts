import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/gates/evaluate.js";
import type { PullSnapshot } from "../../src/gates/snapshot.js";
import {
  AFTER_TF,
  bindingOf,
  changeSetOf,
  HEAD_SHA,
  labeled,
  OLD_SHA,
  PLANS,
  review,
  snapshot,
  tick,
  updateMerged,
} from "../gates/builders.js";
import { run } from "./cli-helpers.js";

// `changegate evaluate --snapshot` gives the App's verdict (docs/snapshot.md): each snapshot
// field the gates read survives the file's validation, and the verdict JSON is the App's whole
// verdict (its risk is the analysis's, at the top).

const CHECKLIST = "requirements:\n  high: { approvals: 2, checklist: true }\n";

/** Each case: a snapshot, and the field whose loss would change its verdict. */
const CASES: [string, PullSnapshot, keyof PullSnapshot][] = [
  [
    "pushers",
    snapshot({
      pull: { body: PLANS },
      reviews: [review("bob"), review("carol")],
      pushers: [{ login: "carol", headSha: HEAD_SHA }],
    }),
    "pushers",
  ],
  [
    "commits: parents, viaWeb (an update merge) and unlinked identities",
    (() => {
      const pull = updateMerged(AFTER_TF);
      return {
        ...pull,
        commits: pull.commits!.map((each) =>
          each.sha === OLD_SHA ? { ...each, unlinked: ["Build Box <build@box.invalid>"] } : each,
        ),
      };
    })(),
    "commits",
  ],
  [
    "a review on a commit GitHub no longer has",
    snapshot({
      pull: { body: PLANS },
      reviews: [
        review("bob"),
        review("carol"),
        review("mia", "CHANGES_REQUESTED", { commitSha: null }),
      ],
    }),
    "reviews",
  ],
  [
    "checklist ticks bound to the change set",
    (() => {
      const pull = snapshot({ pull: { body: PLANS }, policy: CHECKLIST });
      const items = evaluate(pull).verdict.checklist.map((item) => item.item);
      return {
        ...pull,
        reviews: [review("bob"), review("carol")],
        checklist: items.map((item) => ({ ...tick(item, "bob"), changeSet: changeSetOf(pull) })),
      };
    })(),
    "checklist",
  ],
  [
    "the emergency label bound by the App (no push record)",
    (() => {
      const pull = snapshot({
        pull: { labels: ["changegate:emergency"] },
        labelEvents: [{ ...labeled("ada", "admin"), createdAt: "2026-01-01T00:00:00Z" }],
      });
      return { ...pull, emergencyBinding: bindingOf("ada", pull, "2026-01-01T00:00:00Z") };
    })(),
    "emergencyBinding",
  ],
  [
    "the emergency label placed by the push record",
    snapshot({
      pull: { labels: ["changegate:emergency"] },
      labelEvents: [
        { ...labeled("ada", "admin"), createdAt: "2026-01-01T00:00:00Z", headSha: HEAD_SHA },
      ],
    }),
    "labelEvents",
  ],
  [
    "an email code owner GitHub links to an account",
    snapshot({
      pull: { body: PLANS },
      policy: "requirements:\n  high: { approvals: 1, codeOwners: true }\n",
      reviews: [review("bob")],
      codeowners: "*.tf sre@acme.dev\n",
      codeownerEmails: { "sre@acme.dev": "bob" },
    }),
    "codeownerEmails",
  ],
];

describe("changegate evaluate --snapshot gives the App's verdict for issue 10's snapshot fields", () => {
  const dir = mkdtempSync(join(tmpdir(), "cg-replay-"));

  it.each(CASES)("%s", async (name, pull, field) => {
    const app = evaluate(pull).verdict;
    // The field decides this verdict: a replay that dropped it could not agree.
    const { [field]: _dropped, ...without } = pull;
    const lost = field === "reviews" ? { ...without, reviews: [] } : without;
    expect(evaluate(lost as PullSnapshot).verdict.title).not.toBe(app.title);

    const file = join(dir, `${name.replace(/\W+/g, "-")}.json`);
    writeFileSync(file, JSON.stringify(pull));
    const { code, out, err } = await run("evaluate", "--snapshot", file);
    expect(err).toBe("");
    expect(code).toBe(app.conclusion === "failure" ? 1 : 0);
    const { risk, ...verdict } = JSON.parse(JSON.stringify(app)) as typeof app;
    const json = JSON.parse(out) as { risk: string; verdict: unknown };
    expect(json.risk).toBe(risk);
    expect(json.verdict).toEqual(verdict);
  });
});
