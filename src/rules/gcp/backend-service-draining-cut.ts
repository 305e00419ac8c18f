import { formatSeconds, toNumber } from "../model/figures.js";
import { defineRule, type Detection } from "../types.js";
import { DRAIN_PARAMS, drainConsequence, drainCutSeverity } from "../aws/drain.js";
import { valuesOf } from "../aws/iac-settings.js";
import { pairKept } from "./pairs.js";
import { backendServicesOf } from "./gcp-model.js";

/**
 * connection_draining_timeout_sec: how long a backend being removed keeps its connections
 * (API connectionDraining.drainingTimeoutSec; Terraform default 300 s global, 0 regional; LB-FACTS.md §5b).
 */
export default defineRule({
  id: "gcp.backend-service.draining-cut",
  family: "gcp",
  title: "Backend-service connection draining cut",
  description:
    "`connection_draining_timeout_sec` of a backend service is lowered (default 300 s for global services): " +
    "when an instance leaves its group (scale-in, rolling update, autohealing) connections still open after the " +
    "new timeout are cut. High at 0 or below a floor, medium when at least halved, low otherwise.",
  severity: "high",
  params: DRAIN_PARAMS,
  dialects: ["terraform"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of pairKept(
      backendServicesOf(file.before),
      backendServicesOf(file.after),
    )) {
      const values = valuesOf(before.drainingTimeout, after.drainingTimeout);
      const was = toNumber(values?.[0]);
      const now = toNumber(values?.[1]);
      if (was === undefined || now === undefined) continue;
      const severity = drainCutSeverity(was, now, params);
      if (!severity) continue;
      const setting = after.drainingTimeout;
      findings.push({
        severity,
        line: setting.line,
        path: setting.path ?? after.path,
        message:
          `${after.label}: connection draining cut from ${formatSeconds(was)} to ${formatSeconds(now)}: ` +
          `${drainConsequence(now, "an instance leaves its group (scale-in, rolling update)")}.`,
        before: was,
        after: now,
        figures: { drainSecondsBefore: was, drainSeconds: now },
        checklist: [
          `Confirm the slowest requests and connections ${after.label} serves finish within ${formatSeconds(now)}.`,
        ],
      });
    }
    return findings;
  },
});
