import { toNumber } from "../model/figures.js";
import { defineRule, type Detection } from "../types.js";
import { lbRulesOf } from "../model/azure/load-balancers.js";
import { boolOf, numberOf, valuesOf } from "../model/iac/settings.js";
import { withPrevious } from "../model/pairs.js";

/** azurerm_lb_rule idle_timeout_in_minutes: 4–100, default 4 (docs/lb-facts.md §6b). */
export default defineRule({
  id: "azure.lb-rule.idle-timeout-cut",
  family: "azure",
  title: "Load-balancer rule idle timeout cut or out of range",
  description:
    "`idle_timeout_in_minutes` of an azurerm_lb_rule is lowered: idle TCP flows (connection pools, WebSockets, " +
    "long polls) are dropped sooner, silently unless TCP reset is on (high when cut by 5× or more, docs/risk.md " +
    '"Connections are cut"; medium when at least halved, else low). ' +
    "A value outside 4–100 minutes makes the deploy fail (medium).",
  severity: "high",
  params: {
    maxCutRatio: {
      default: 0.5,
      description: "A new timeout at or below this share of the old one is a large cut (medium).",
    },
    // docs/risk.md "Connections are cut": cut sharply = by five times or more, as for drains.
    highCutRatio: {
      default: 0.2,
      description:
        "A new timeout at or below this share of the old one (cut by 5× or more) is high.",
    },
  },
  dialects: ["terraform"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [previous, rule] of withPrevious(lbRulesOf(file.before), lbRulesOf(file.after))) {
      const setting = rule.idleTimeout;
      const value = numberOf(setting);
      const path = setting.path ?? rule.path;
      if (setting.kind === "literal" && value !== undefined && (value < 4 || value > 100)) {
        if (!previous || numberOf(previous.idleTimeout) !== value) {
          findings.push({
            severity: "medium",
            line: setting.line,
            path,
            message: `${rule.label} sets idle_timeout_in_minutes to ${value}, outside the 4–100 minutes Azure accepts: the deploy will fail.`,
            after: value,
            checklist: [`Set idle_timeout_in_minutes of ${rule.label} within 4–100.`],
          });
        }
        continue;
      }
      if (!previous) continue;
      const values = valuesOf(previous.idleTimeout, rule.idleTimeout);
      const was = toNumber(values?.[0]);
      const now = toNumber(values?.[1]);
      if (was === undefined || now === undefined || now >= was) continue;
      const silent = boolOf(rule.tcpReset) !== true;
      const sharp = now <= was * params.highCutRatio;
      findings.push({
        severity: sharp ? "high" : now <= was * params.maxCutRatio ? "medium" : "low",
        line: setting.line,
        path,
        message:
          `${rule.label} idle timeout cut from ${was} to ${now} minutes: flows idle for ${now} minutes are dropped` +
          (silent
            ? " silently (TCP reset is off), so clients only notice on their next send."
            : ", with a TCP reset.") +
          (sharp ? ` Safe: keep idle_timeout_in_minutes = ${was} as before.` : ""),
        before: was,
        after: now,
        figures: { idleMinutesBefore: was, idleMinutes: now },
        checklist: [
          `Confirm clients of ${rule.label} send keep-alives more often than every ${now} minutes (database pools, WebSockets).`,
        ],
      });
    }
    return findings;
  },
});
