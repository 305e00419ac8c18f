import { key } from "../../diff/path.js";
import { formatSeconds } from "../model/figures.js";
import { nginxSeconds } from "../model/durations.js";
import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import { INGRESS_NGINX, nginxSettings } from "../model/kubernetes/ingress-nginx.js";
import {
  annotationsLine,
  isTemplated,
  keptObjects,
  objectPath,
} from "../model/kubernetes/objects.js";
import { safe } from "../model/advice.js";
import { lineFix } from "../model/fix.js";

// ingress-nginx defaults (docs/lb-facts.md §P5b): proxy-connect-timeout 5, read and send 60 (seconds).
const TIMEOUTS = [
  {
    name: "proxy-read-timeout",
    fallback: 60,
    what: "a backend response that pauses longer than that between two reads gets a 504",
  },
  {
    name: "proxy-send-timeout",
    fallback: 60,
    what: "a request the backend stops reading for longer than that gets a 504",
  },
  {
    name: "proxy-connect-timeout",
    fallback: 5,
    what: "a connection to a pod that takes longer than that gets a 504",
  },
] as const;

/**
 * Timeouts cut below the slowest endpoint's time give 504s (docs/lb-facts.md §P7 Timeouts); in
 * the controller's ConfigMap the cut applies to every Ingress (§P7 Blast radius).
 */
export default defineRule({
  id: "kubernetes.ingress-nginx.timeouts-cut",
  family: "kubernetes",
  title: "ingress-nginx proxy timeouts cut",
  description:
    "An ingress-nginx proxy-read-timeout or proxy-send-timeout (default 60 s) is cut to a given share or less, or " +
    "proxy-connect-timeout (default 5 s) is cut below a floor: slow responses and uploads end in 504s. Medium on one " +
    "Ingress; high in the controller's ConfigMap, where it applies to every Ingress.",
  severity: "high",
  params: {
    // Judgement (docs/lb-facts.md §P7 Timeouts): a cut to half or less is unlikely to stay above the slowest endpoint.
    maxCutRatio: {
      default: 0.5,
      description: "A read/send timeout cut to this share of the old value or less is reported.",
    },
    // Judgement: in-cluster connects take milliseconds, but below 1 s a busy node's SYN retry (1 s) fails.
    minConnectSeconds: {
      default: 1,
      description: "proxy-connect-timeout cut below this is reported (seconds).",
    },
  },
  dialects: ["kubernetes"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of keptObjects(file.before, file.after)) {
      const old = nginxSettings(before);
      const now = nginxSettings(after);
      if (!old || !now) continue;
      const global = after.kind === "ConfigMap";
      for (const { name, fallback, what } of TIMEOUTS) {
        const wasText = old.get(name)?.value;
        const nowText = now.get(name)?.value;
        if (isTemplated(wasText) || isTemplated(nowText)) continue;
        const was = wasText === undefined ? fallback : nginxSeconds(wasText.trim());
        const value = nowText === undefined ? fallback : nginxSeconds(nowText.trim());
        if (was === undefined || value === undefined || value >= was) continue;
        const reported =
          name === "proxy-connect-timeout"
            ? value < params.minConnectSeconds
            : value <= was * params.maxCutRatio;
        if (!reported) continue;
        const severity: Severity = global ? "high" : "medium";
        const setting = now.get(name) ?? old.get(name);
        const field = global
          ? ["data", name]
          : ["metadata", "annotations", `${INGRESS_NGINX}${name}`];
        const fix =
          severity === "high" && wasText !== undefined && nowText !== undefined && setting
            ? lineFix(file, setting.line, [{ keys: [field[field.length - 1]!], value: wasText }])
            : undefined;
        findings.push({
          ...(fix ? { fix } : {}),
          severity,
          line: setting?.line ?? annotationsLine(after),
          path: objectPath(after, ...field.map(key)),
          message:
            `${name} of ${after.label} cut from ${formatSeconds(was)}${wasText === undefined ? " (default)" : ""} to ${formatSeconds(value)}${nowText === undefined ? " (default)" : ""}: ` +
            what +
            (global ? ", on every Ingress this controller serves." : ".") +
            (severity === "high"
              ? safe(
                  `keep ${name}: "${wasText ?? fallback}" in ${after.label}, and lower it per Ingress where needed`,
                )
              : ""),
          before: wasText ?? fallback,
          after: nowText ?? fallback,
          figures: { timeoutSecondsBefore: was, timeoutSeconds: value },
          checklist: [
            `Confirm the slowest endpoint${global ? " behind this controller" : ` of ${after.label}`} (p99, uploads, long polls, streaming) stays within ${formatSeconds(value)}.`,
          ],
        });
      }
    }
    return findings;
  },
});
