import { key } from "../../diff/path.js";
import { child, entriesOf } from "../../formats/tree.js";
import { formatSeconds } from "../model/figures.js";
import { haproxySeconds } from "../model/durations.js";
import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import {
  annotationsLine,
  annotationsOf,
  isTemplated,
  keptObjects,
  objectPath,
  type KubernetesObject,
} from "../model/kubernetes/objects.js";

const PREFIX = "haproxy.org/";

// The HAProxy Kubernetes Ingress Controller's base configuration (docs/lb-facts.md §P5e): timeout client and
// server 50 s, connect, queue and http-request 5 s, http-keep-alive 60 s, tunnel 1 h.
const TIMEOUTS: Readonly<Record<string, number>> = {
  "timeout-client": 50,
  "timeout-server": 50,
  "timeout-connect": 5,
  "timeout-queue": 5,
  "timeout-http-request": 5,
  "timeout-http-keep-alive": 60,
  "timeout-tunnel": 3600,
};

interface Setting {
  readonly value: string;
  readonly line: number;
}

/** The controller's ConfigMap (`data`), or an Ingress/Service's `haproxy.org/` annotations, by bare key. */
function settingsOf(object: KubernetesObject): Map<string, Setting> | undefined {
  const out = new Map<string, Setting>();
  if (object.kind === "ConfigMap") {
    if (!/haproxy/.test(object.name) || /tcp|udp|errorfile|pattern|auxiliary/.test(object.name))
      return undefined;
    for (const [name, node] of entriesOf(child(object.body, "data")))
      if (node.kind === "scalar" && node.value !== null)
        out.set(name, { value: String(node.value), line: node.line });
    return out;
  }
  if (object.kind !== "Ingress" && object.kind !== "Service") return undefined;
  for (const [name, annotation] of annotationsOf(object))
    if (name.startsWith(PREFIX)) out.set(name.slice(PREFIX.length), annotation);
  return out;
}

/**
 * The HAProxy Kubernetes Ingress Controller (haproxytech) reads timeouts and the HTTPS redirect from its ConfigMap
 * (every Ingress) and from `haproxy.org/` annotations (docs/risk.md: connections are cut; TLS that weakens).
 */
export default defineRule({
  id: "kubernetes.haproxy-ingress.settings-cut",
  family: "kubernetes",
  title: "HAProxy ingress controller timeouts cut or HTTPS redirect dropped",
  description:
    "In the HAProxy Kubernetes Ingress Controller's ConfigMap (a ConfigMap named like haproxy) or in `haproxy.org/` " +
    "annotations: a `timeout-*` cut by `cutFactor` times or more from its value or the controller's default (client " +
    "and server 50 s, connect, queue and http-request 5 s, http-keep-alive 60 s, tunnel 1 h): high in the ConfigMap, " +
    "where it applies to every Ingress, medium on one object; `ssl-redirect` true → false: plain HTTP is served " +
    "instead of redirected (high; removed, it falls back to the ConfigMap or the controller's default: medium).",
  severity: "high",
  params: {
    // docs/risk.md, Connections: a cut by five times or more is sharp.
    cutFactor: { default: 5, description: "A timeout cut by this factor or more is reported." },
  },
  dialects: ["kubernetes"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of keptObjects(file.before, file.after)) {
      const old = settingsOf(before);
      const now = settingsOf(after);
      if (!old || !now) continue;
      const global = after.kind === "ConfigMap";
      const where = (name: string) =>
        global
          ? objectPath(after, key("data"), key(name))
          : objectPath(after, key("metadata"), key("annotations"), key(`${PREFIX}${name}`));
      const lineOf = (name: string) =>
        now.get(name)?.line ??
        (global ? (child(after.body, "data")?.line ?? after.line) : annotationsLine(after));
      for (const [name, fallback] of Object.entries(TIMEOUTS)) {
        const wasText = old.get(name)?.value;
        const nowText = now.get(name)?.value;
        if (wasText === nowText || isTemplated(wasText) || isTemplated(nowText)) continue;
        // A bare number is milliseconds in HAProxy.
        const was =
          wasText === undefined ? (global ? fallback : undefined) : haproxySeconds(wasText.trim());
        const value =
          nowText === undefined ? (global ? fallback : undefined) : haproxySeconds(nowText.trim());
        if (
          was === undefined ||
          value === undefined ||
          value <= 0 ||
          was / value < params.cutFactor
        )
          continue;
        const severity: Severity = global ? "high" : "medium";
        findings.push({
          severity,
          line: lineOf(name),
          path: where(name),
          message:
            `${name} of ${after.label} cut from ${formatSeconds(was)}${wasText === undefined ? " (default)" : ""} to ${formatSeconds(value)}: connections and requests that need longer are cut${global ? ", on every Ingress this controller serves" : ""}.` +
            (severity === "high" ? ` Safe: keep \`${name}: "${wasText ?? `${fallback}s`}"\`.` : ""),
          before: wasText ?? `${fallback}s`,
          after: nowText ?? `${fallback}s`,
          figures: { timeoutSecondsBefore: was, timeoutSeconds: value },
          checklist: [
            `Confirm the slowest request and the longest idle connection behind ${after.label} stay within ${formatSeconds(value)}.`,
          ],
        });
      }
      const redirect = (settings: Map<string, Setting>) =>
        settings.get("ssl-redirect")?.value.trim().toLowerCase();
      // Removed, the setting falls back to the ConfigMap's (an annotation) or to a default that differs between
      // releases (docs/lb-facts.md §P5e): uncertain, medium. Only an explicit off is known to serve plain HTTP.
      const dropped = !now.has("ssl-redirect");
      if (redirect(old) === "true" && redirect(now) !== "true")
        findings.push({
          severity: dropped ? "medium" : "high",
          line: lineOf("ssl-redirect"),
          path: where("ssl-redirect"),
          message: dropped
            ? `${after.label} drops ssl-redirect: whether plain-HTTP requests are still redirected to HTTPS now depends on ${global ? "the controller's default, which differs between releases" : "the controller's ConfigMap"}.`
            : `${after.label} turns ssl-redirect off: plain-HTTP requests are served instead of being redirected to HTTPS${global ? ", on every Ingress this controller serves" : ""}. Safe: keep \`ssl-redirect: "true"\`.`,
          before: "true",
          after: now.get("ssl-redirect")?.value ?? null,
          checklist: [`Confirm serving the hosts of ${after.label} over plain HTTP is intended.`],
        });
    }
    return findings;
  },
});
