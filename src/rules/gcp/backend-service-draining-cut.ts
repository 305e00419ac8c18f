import { formatSeconds, toNumber } from "../model/figures.js";
import { defineRule } from "../types.js";
import { DRAIN_PARAMS, drainCutVerdict } from "../model/drain-cut.js";
import { backendServicesOf } from "../model/gcp/backend-services.js";
import { settingChanges } from "../model/iac/setting-changes.js";
import { keptPairs } from "../model/pairs.js";
import { transitionFindings } from "../model/transitions.js";
import { withRestoreFix } from "../model/fix.js";

/**
 * connection_draining_timeout_sec: how long a backend being removed keeps its connections
 * (API connectionDraining.drainingTimeoutSec; Terraform default 300 s global, 0 regional; docs/lb-facts.md §5b).
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
    const changes = settingChanges(
      keptPairs(backendServicesOf(file.before), backendServicesOf(file.after)),
      (service) => service.drainingTimeout,
      toNumber,
    );
    const found = transitionFindings(changes, ({ after, was, now }) =>
      drainCutVerdict(
        {
          label: after.label,
          was,
          now,
          setting: "connection draining",
          when: "an instance leaves its group (scale-in, rolling update)",
          checklist: `Confirm the slowest requests and connections ${after.label} serves finish within ${formatSeconds(now)}.`,
        },
        params,
      ),
    );
    return found.map((detection) => withRestoreFix(file, detection, ["draining_timeout_sec"]));
  },
});
