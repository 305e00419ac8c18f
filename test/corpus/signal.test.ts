// Signal on labelled real changes (bench/signal.ts, docs/risk.md "How signal is measured"): the labels are checked
// everywhere; recall and false alarms are measured where the shared corpus sits beside the checkout (the team's
// machines and CI) and skipped with a message on a user's clone, which has no corpus.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CORPUS_DIR, measureSignal, printSignal, readLabels } from "../../bench/signal.js";

/** Floors measured on this set; raise them when the engine gets better, never lower them silently. */
const MIN_RECALL = 0.9;
const MAX_FALSE_ALARM_RATE = 0.03;

const corpus = existsSync(CORPUS_DIR);
if (!corpus)
  console.log(`shared corpus not found at ${CORPUS_DIR}: skipping the signal measurement`);

describe("signal labels", () => {
  it("every label is well formed", () => {
    const labels = readLabels();
    expect(labels.size).toBeGreaterThan(300);
    expect(labels.get("nginx/001-h5bp-nginx-associate-mime-types-file-nginx")?.label).toBe("low");
  });

  const good = { label: "high", consequences: ["draining"], why: "drain cut 300 s to 5 s." };
  it.each([
    ["a level that is not a severity", { ...good, label: "severe" }, /is not a severity/],
    ["an unknown consequence", { ...good, consequences: ["outage"] }, /unknown consequence/],
    ["consequences not a list", { ...good, consequences: "draining" }, /must be a list/],
    ["no reason", { ...good, why: "" }, /why must say/],
    ["not an object", null, /not an object/],
  ])("rejects %s, naming its file and change", (_case, entry, message) => {
    const dir = mkdtempSync(join(tmpdir(), "labels-"));
    try {
      writeFileSync(join(dir, "nginx.json"), JSON.stringify({ "001-ok": good, "002-bad": entry }));
      expect(() => readLabels(dir)).toThrow(message);
      expect(() => readLabels(dir)).toThrow(/nginx\.json: 002-bad/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keys a label by its format and change folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "labels-"));
    try {
      writeFileSync(join(dir, "haproxy.json"), JSON.stringify({ "001-ok": good }));
      expect([...readLabels(dir)]).toEqual([["haproxy/001-ok", good]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!corpus)("signal on the labelled corpus", () => {
  it("labels exactly the corpus's change folders", () => {
    const labels = readLabels();
    const folders = readdirSync(CORPUS_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((format) =>
        readdirSync(join(CORPUS_DIR, format.name))
          .filter((name) => existsSync(join(CORPUS_DIR, format.name, name, "meta.json")))
          .map((name) => `${format.name}/${name}`),
      );
    expect([...labels.keys()].sort()).toEqual(folders.sort());
  });

  it(`rates at least ${MIN_RECALL * 100}% of the risky changes high and at most ${MAX_FALSE_ALARM_RATE * 100}% of the benign ones`, () => {
    const report = measureSignal(readLabels());
    printSignal(report);
    expect(report.recall).toBeGreaterThanOrEqual(MIN_RECALL);
    expect(report.falseAlarmRate).toBeLessThanOrEqual(MAX_FALSE_ALARM_RATE);
  });
});
