// `npm run bench`: every benchmark in turn, each printing its own figures. To add one, write bench/<name>.ts
// exporting a run function and list it here. The engine benchmark ends its output with its JSON line.
import { runEngineBench } from "./engine.js";

const BENCHMARKS: readonly (() => Promise<void>)[] = [runEngineBench];

for (const benchmark of BENCHMARKS) await benchmark();
