import { child } from "../../formats/tree.js";
import { formatSeconds, toNumber } from "../model/figures.js";
import { defineRule, type Detection } from "../types.js";
import { type GatewayBlock, gatewayBlocksOf } from "../model/azure/application-gateways.js";
import { DRAIN_PARAMS, drainCutDetection } from "../model/drain-cut.js";
import { boolOf, type Setting, settingOf, valuesOf } from "../model/iac/settings.js";
import { keptPairs } from "../model/pairs.js";
import { safe } from "../model/advice.js";
import { lineFix } from "../model/fix.js";

/**
 * backend_http_settings.connection_draining { enabled, drain_timeout_sec 1–3600 } (docs/lb-facts.md §6c):
 * how long a backend being removed keeps its in-flight requests.
 */
export default defineRule({
  id: "azure.app-gateway.connection-draining-weakened",
  family: "azure",
  title: "Application Gateway connection draining turned off or cut",
  description:
    "In an azurerm_application_gateway's `backend_http_settings`, connection draining goes off (or its block is " +
    "removed): requests in flight on a backend being removed or updated are cut at once (high). Or " +
    "`drain_timeout_sec` is lowered (high at a floor, medium when at least halved, low otherwise), or set " +
    "outside 1–3600 s, which makes the deploy fail (medium).",
  severity: "high",
  params: DRAIN_PARAMS,
  dialects: ["terraform"],
  check(file, params) {
    const findings: Detection[] = [];
    const settings = (tree: typeof file.before) =>
      gatewayBlocksOf(tree, "backend_http_settings", "backend settings");
    for (const [before, after] of keptPairs(settings(file.before), settings(file.after))) {
      const was = draining(before);
      const now = draining(after);
      if (boolOf(was.enabled) !== true) continue;
      const enabledNow = boolOf(now.enabled);
      if (enabledNow === false) {
        const fix = lineFix(file, now.enabled.line, [{ keys: ["enabled"], value: "true" }]);
        findings.push({
          ...(fix ? { fix } : {}),
          severity: "high",
          line: now.enabled.line,
          path: now.enabled.path ?? after.path,
          message: `${after.label} turns connection draining off (it allowed ${formatSeconds(toNumber(valuesOf(was.timeout, was.timeout)?.[1]) ?? 0)}): requests in flight on a backend being removed are cut at once.${safe(`keep connection draining on: enabled = true (drain_timeout_sec ${toNumber(valuesOf(was.timeout, was.timeout)?.[1]) ?? 0} as before)`)}`,
          before: true,
          after: false,
          checklist: [
            `Keep connection draining on for ${after.label}, or confirm backends only leave when idle.`,
          ],
        });
        continue;
      }
      if (enabledNow !== true) continue;
      const timeout = toNumber(valuesOf(now.timeout, now.timeout)?.[1]);
      if (
        now.timeout.kind === "literal" &&
        timeout !== undefined &&
        (timeout < 1 || timeout > 3600)
      ) {
        findings.push({
          severity: "medium",
          line: now.timeout.line,
          path: now.timeout.path ?? after.path,
          message: `${after.label} sets drain_timeout_sec to ${timeout}, outside the 1–3600 s Azure accepts: the deploy will fail.`,
          after: timeout,
          checklist: [`Set drain_timeout_sec of ${after.label} within 1–3600.`],
        });
        continue;
      }
      const values = valuesOf(was.timeout, now.timeout);
      const from = toNumber(values?.[0]);
      const to = toNumber(values?.[1]);
      if (from === undefined || to === undefined) continue;
      const finding = drainCutDetection(
        {
          label: after.label,
          was: from,
          now: to,
          line: now.timeout.line,
          path: now.timeout.path ?? after.path,
          setting: "connection-draining timeout",
          when: "a backend is removed or updated",
          checklist: `Confirm the slowest requests behind ${after.label} finish within ${formatSeconds(to)}.`,
        },
        params,
      );
      if (finding) findings.push(finding);
    }
    return findings;
  },
});

function draining(block: GatewayBlock): { enabled: Setting; timeout: Setting } {
  const drain = child(block.body, "connection_draining");
  const line = drain?.line ?? block.line;
  const base = `${block.path}.connection_draining`;
  // No block: draining is off (the block's fields are required when it is present).
  return {
    enabled: settingOf(drain, "enabled", false, line, `${base}.enabled`),
    timeout: settingOf(drain, "drain_timeout_sec", undefined, line, `${base}.drain_timeout_sec`),
  };
}
