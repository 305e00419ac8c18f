import type { Scalar } from "../../formats/tree.js";
import { defineRule, type Detection } from "../types.js";
import { lbProbesOf } from "../model/azure/load-balancers.js";
import { type Setting, show, valuesOf } from "../model/iac/settings.js";
import { keptPairs } from "../model/pairs.js";
import { safe } from "../model/advice.js";

const HTTP = new Set(["HTTP", "HTTPS"]);

/**
 * An HTTP(S) probe marks an instance down on any answer but 200, or a reset (docs/lb-facts.md §6a):
 * a new protocol, port or path that the backends do not serve takes them all out of rotation at once.
 */
export default defineRule({
  id: "azure.lb-probe.target-changed",
  family: "azure",
  title: "Load-balancer probe target changed",
  description:
    "An azurerm_lb_probe changes its protocol, port or request path. Backends that do not answer the new probe " +
    "(HTTP(S): with a 200) are all marked down at once and stop receiving new flows (high). Going from Http(s) " +
    "to Tcp only checks that the port accepts connections (medium).",
  severity: "high",
  params: {},
  dialects: ["terraform"],
  check(file) {
    const findings: Detection[] = [];
    for (const [before, after] of keptPairs(lbProbesOf(file.before), lbProbesOf(file.after))) {
      const protocol = change(before.protocol, after.protocol, true);
      const port = change(before.port, after.port);
      const path = change(before.requestPath, after.requestPath);
      const nowProtocol = String(valuesOf(after.protocol, after.protocol)?.[1] ?? "").toUpperCase();
      const changes = [
        protocol && { name: "protocol", ...protocol, setting: after.protocol },
        port && { name: "port", ...port, setting: after.port },
        path &&
          HTTP.has(nowProtocol) && { name: "request_path", ...path, setting: after.requestPath },
      ].filter((c): c is { name: string; was: Scalar; now: Scalar; setting: Setting } =>
        Boolean(c),
      );
      if (changes.length === 0) continue;
      const looser =
        changes.length === 1 &&
        protocol !== undefined &&
        HTTP.has(String(protocol.was).toUpperCase()) &&
        nowProtocol === "TCP";
      const what = changes.map((c) => `${c.name} ${show(c.was)} → ${show(c.now)}`).join(", ");
      const first = changes[0]!;
      findings.push({
        severity: looser ? "medium" : "high",
        line: first.setting.line,
        path: first.setting.path ?? after.path,
        message: looser
          ? `${after.label} now only checks that the port accepts TCP connections (${what}): backends whose application fails stay in rotation.`
          : `${after.label} probes differently (${what}): backends that do not answer the new probe${HTTP.has(nowProtocol) ? " with a 200" : ""} are all marked down at once and stop receiving new flows.${safe(`keep ${changes.map((c) => `${c.name} = ${show(c.was)}`).join(", ")} until every backend answers the new probe`)}`,
        before: Object.fromEntries(changes.map((c) => [c.name, c.was])),
        after: Object.fromEntries(changes.map((c) => [c.name, c.now])),
        checklist: [
          looser
            ? `Confirm another signal catches backends of ${after.label} that accept connections but fail requests.`
            : `Confirm every backend already answers the new probe (${what}) and that NSGs admit AzureLoadBalancer on that port.`,
        ],
      });
    }
    return findings;
  },
});

function change(
  before: Setting,
  after: Setting,
  caseless = false,
): { was: Scalar; now: Scalar } | undefined {
  const values = valuesOf(before, after);
  if (!values) return undefined;
  const norm = (value: Scalar) => (caseless ? String(value).toUpperCase() : String(value));
  return norm(values[0]) === norm(values[1]) ? undefined : { was: values[0], now: values[1] };
}
