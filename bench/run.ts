// `npm run bench`: every benchmark in turn, each printing its own figures; the last line is one
// JSON object with the headline figures (issue "Performance and scale").
import { runAppBench } from "./app.js";
import { runEngineBench } from "./engine.js";
import { runOrgScaleBench } from "./org-scale.js";
import { runRecoveryBench } from "./recovery.js";
import { runSignalBench } from "./signal.js";

const engine = await runEngineBench();
const app = await runAppBench();
const recovery = await runRecoveryBench();
const org = await runOrgScaleBench();
const signal = runSignalBench();
console.log(
  JSON.stringify({
    engineRatio: engine.engineRatio,
    engineSeconds: engine.engineSeconds,
    readRoundTrips: app.readRoundTrips,
    readRoundTrips100: app.readRoundTrips100,
    apiCallsPerEvaluation: app.apiCallsPerEvaluation,
    writesPerEvaluation: app.writesPerEvaluation,
    writesWhenUnchanged: app.writesWhenUnchanged,
    burstEvaluations: app.burstEvaluations,
    p95LatencyMs50: app.p95LatencyMs50,
    largePrSeconds: app.largePrSeconds,
    recoveryHourlyBefore: recovery.hourlyBefore,
    recoveryHourlyAfterQuiet: recovery.hourlyAfterQuiet,
    requestsPerHourAtOrgScale: org.requestsPerHourAtOrgScale,
    restRequestsPerHourAtOrgScale: org.restRequestsPerHourAtOrgScale,
    requestsPerPrEvent: org.requestsPerEvent,
    recoveryRequestsPerHourAtOrgScale: org.recoveryRequestsPerHour,
    largestEventsPerHour5000: org.largestEventsPerHour5000,
    largestEventsPerHour12500: org.largestEventsPerHour12500,
    largestEventsPerHour15000: org.largestEventsPerHour15000,
    largestOpenPulls5000: org.largestOpenPulls5000,
    largestOpenPulls12500: org.largestOpenPulls12500,
    largestOpenPulls15000: org.largestOpenPulls15000,
    evaluationsPerSecondPerReplica: org.evaluationsPerSecondPerReplica,
    orgP95LatencyMs50: org.orgP95LatencyMs50,
    orgPeakRssMb: org.orgPeakRssMb,
    orgRedis: org.redis,
    signalRecall: signal.signalRecall,
    signalFalseAlarmRate: signal.signalFalseAlarmRate,
  }),
);
// Probot's throttling keeps its Redis clients (Bottleneck's) with no way to close them.
process.exit(0);
