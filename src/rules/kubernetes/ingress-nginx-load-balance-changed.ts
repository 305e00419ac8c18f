import { key } from "../../diff/path.js";
import { defineRule, type Detection } from "../types.js";
import { INGRESS_NGINX, nginxSettings } from "../model/kubernetes/ingress-nginx.js";
import {
  annotationsLine,
  isTemplated,
  keptObjects,
  objectPath,
} from "../model/kubernetes/objects.js";

// ingress-nginx (docs/lb-facts.md §P5b): load-balance round_robin (default) or ewma; upstream-hash-by
// overrides it and can hash onto subsets (upstream-hash-by-subset, subset size 3 by default).
const SETTINGS = [
  {
    name: "load-balance",
    fallback: "round_robin",
    consequence: "requests are spread by another algorithm, so per-pod load shifts at once",
  },
  {
    name: "upstream-hash-by-subset",
    fallback: "false",
    consequence:
      "every hash key is mapped afresh (to a subset of pods or to a single pod), so keys move to other pods",
  },
  {
    name: "upstream-hash-by-subset-size",
    fallback: "3",
    consequence: "hash keys are mapped onto subsets of a new size, so most keys move to other pods",
  },
] as const;

/**
 * The balancing algorithm itself. The hash key (`upstream-hash-by`) and cookie affinity are affinity and belong to
 * lb.stickiness.*; this rule covers `load-balance` and the hash subset settings that remap keys.
 */
export default defineRule({
  id: "kubernetes.ingress-nginx.load-balance-changed",
  family: "kubernetes",
  title: "ingress-nginx balancing algorithm or hash subsets changed",
  description:
    "The ingress-nginx `load-balance` algorithm (round_robin/ewma) changes, or the `upstream-hash-by-subset` mode or " +
    "its size changes while a hash key is set (medium; low on load-balance for one Ingress): load or hash keys move " +
    "between pods at once. The hash key itself is judged by lb.stickiness.changed.",
  severity: "medium",
  params: {},
  dialects: ["kubernetes"],
  check(file) {
    const findings: Detection[] = [];
    for (const [before, after] of keptObjects(file.before, file.after)) {
      const old = nginxSettings(before);
      const now = nginxSettings(after);
      if (!old || !now) continue;
      const global = after.kind === "ConfigMap";
      const hashed = now.has("upstream-hash-by") && old.has("upstream-hash-by");
      for (const { name, fallback, consequence } of SETTINGS) {
        if (name !== "load-balance" && !hashed) continue;
        const was = (old.get(name)?.value ?? fallback).trim();
        const value = (now.get(name)?.value ?? fallback).trim();
        if (was === value || isTemplated(was) || isTemplated(value)) continue;
        const setting = now.get(name) ?? old.get(name);
        const field = global
          ? ["data", name]
          : ["metadata", "annotations", `${INGRESS_NGINX}${name}`];
        findings.push({
          // Judgement (docs/lb-facts.md §P7 Algorithm changes); round_robin ↔ ewma on one Ingress is mild.
          severity: name === "load-balance" && !global ? "low" : "medium",
          line: setting?.line ?? annotationsLine(after),
          path: objectPath(after, ...field.map(key)),
          message: `${name} of ${after.label} changes from ${was} to ${value}: ${consequence}${global ? ", on every Ingress this controller serves" : ""}.`,
          before: was,
          after: value,
          checklist: [
            `Confirm the pods behind ${after.label} can take the redistributed load (and, for hashing, the cold caches).`,
          ],
        });
      }
    }
    return findings;
  },
});
