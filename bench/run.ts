// `npm run bench`: every benchmark in turn, each printing its own figures; the last line is one
// JSON object with the headline figures (issue "Performance and scale").
import { runAppBench } from "./app.js";
import { runEngineBench } from "./engine.js";
import { runRecoveryBench } from "./recovery.js";
import { runSignalBench } from "./signal.js";

const engine = await runEngineBench();
const app = await runAppBench();
const recovery = await runRecoveryBench();
const signal = runSignalBench();
console.log(
  JSON.stringify({
    engineRatio: engine.engineRatio,
    readRoundTrips: app.readRoundTrips,
    apiCallsPerEvaluation: app.apiCallsPerEvaluation,
    writesPerEvaluation: app.writesPerEvaluation,
    writesWhenUnchanged: app.writesWhenUnchanged,
    burstEvaluations: app.burstEvaluations,
    p95LatencyMs50: app.p95LatencyMs50,
    largePrSeconds: app.largePrSeconds,
    recoveryHourlyBefore: recovery.hourlyBefore,
    recoveryHourlyAfterQuiet: recovery.hourlyAfterQuiet,
    signalRecall: signal.signalRecall,
    signalFalseAlarmRate: signal.signalFalseAlarmRate,
  }),
);
