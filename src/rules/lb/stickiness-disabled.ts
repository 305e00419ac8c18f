import type { Dialect } from "../../formats/dialect.js";
import { defineRule, type Detection } from "../types.js";
import { affinitiesOf } from "../model/index.js";
import { pairByKey } from "../model/pairs.js";
import { safe } from "../model/advice.js";
import { nearLineFix } from "../model/fix.js";

/** The setting that keeps persistence on, as the format spells it (docs/lb-facts.md). */
function keepAdvice(dialect: Dialect, mode: string | undefined): string {
  if (dialect === "terraform") {
    // azurerm_lb_rule load_distribution (SourceIP, SourceIPProtocol); google session_affinity (CLIENT_IP, ...).
    if (mode && /^SourceIP/.test(mode)) return `keep \`load_distribution = "${mode}"\``;
    if (mode && /^[A-Z_]+$/.test(mode)) return `keep \`session_affinity = "${mode}"\``;
    return `keep stickiness on: \`enabled = true\`${mode ? ` with type "${mode}"` : ""}`;
  }
  if (dialect === "cloudformation")
    return `keep the attribute \`stickiness.enabled\` at 'true'${mode ? ` with \`stickiness.type\` '${mode}'` : ""}`;
  if (dialect === "kubernetes" && mode === "ClientIP") return "keep `sessionAffinity: ClientIP`";
  return `keep session persistence on as before${mode ? ` (${mode})` : ""}`;
}

/**
 * The before → after a reviewer sees: the mode → `off` when persistence is gone (a removed block or annotation), the
 * modes when they differ, else the switch, `enabled true` → `enabled false`.
 */
function shownChange(
  was: string | undefined,
  now: string | undefined,
): { before: string; after: string } {
  if (now === undefined) return { before: was ?? "on", after: "off" };
  if (was !== undefined && was !== now) return { before: was, after: now };
  return { before: "enabled true", after: "enabled false" };
}

/** The postmortem's second failure mode: session persistence broken, users lose their sessions. */
export default defineRule({
  id: "lb.stickiness.disabled",
  family: "lb",
  title: "Session persistence turned off",
  description:
    "Stickiness / session affinity that was on is now off (stickiness disabled, ip_hash/hash/cookie/stick-table removed, " +
    "sessionAffinity back to None, a hash load-balancing policy left). Every user is re-balanced: those whose session " +
    "lives on one instance lose it.",
  severity: "high",
  params: {},
  dialects: "any",
  check(file) {
    const findings: Detection[] = [];
    for (const [before, after] of pairByKey(
      affinitiesOf(file.dialect, file.before),
      affinitiesOf(file.dialect, file.after),
    )) {
      if (!before?.enabled || !after || after.enabled) continue;
      const fix = nearLineFix(file, after.line, 6, ["enabled", "Value"], "false", "true");
      findings.push({
        ...(fix ? { fix } : {}),
        severity: "high",
        line: after.line,
        path: after.path,
        message: `${after.label} no longer keeps sessions on one target (was ${before.mode ?? "on"}): users are re-balanced and lose server-side sessions.${safe(keepAdvice(file.dialect, before.mode))}`,
        // What changed: the mode when it moved (SourceIP → Default, ClientIP → None), else the switch itself
        // (a stickiness block keeps its type when it is turned off, so `lb_cookie` → `lb_cookie` says nothing).
        ...shownChange(before.mode, after.mode),
        checklist: [
          `Confirm the application behind ${after.label} keeps no session state on the instance (or shares it).`,
          "Plan the switch for low traffic and watch logged-out / session-lost rates.",
        ],
      });
    }
    return findings;
  },
});
