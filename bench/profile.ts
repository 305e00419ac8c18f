// A V8 CPU profile of the engine (or the bare parse) on one format's benchmark pair, for the
// per-format profiles issue 15 asks for: `npx tsx bench/profile.ts <yaml|hcl|nginx|haproxy> [engine|parse]`
// writes /tmp/changegate-<format>-<what>.cpuprofile (open it in Chrome DevTools) and prints the
// mean time of the three profiled runs.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { analyze } from "../src/engine/analyze.js";
import { DEFAULT_SETTINGS } from "../src/engine/settings.js";
import { parseSource } from "../src/formats/index.js";
import { PAIRS, type BenchFormat } from "./engine-fixtures.js";

const format = process.argv[2] as BenchFormat;
const what = process.argv[3] === "parse" ? "parse" : "engine";
if (!(format in PAIRS))
  throw new Error(`usage: bench/profile.ts <${Object.keys(PAIRS).join("|")}> [engine|parse]`);
const pair = PAIRS[format]();
const settings = { ...DEFAULT_SETTINGS, maxFileBytes: 8 * 1_048_576 };
const run = (): unknown =>
  what === "parse"
    ? [parseSource(format, pair.before), parseSource(format, pair.after)]
    : analyze([{ path: pair.path, before: pair.before, after: pair.after }], settings);
run();
run();
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 200 });
await session.post("Profiler.start");
const start = performance.now();
for (let i = 0; i < 3; i++) run();
console.log(`${format} ${what}: ${((performance.now() - start) / 3).toFixed(0)} ms per run`);
const { profile } = await session.post("Profiler.stop");
const out = `/tmp/changegate-${format}-${what}.cpuprofile`;
writeFileSync(out, JSON.stringify(profile));
console.log(`profile written to ${out}`);
