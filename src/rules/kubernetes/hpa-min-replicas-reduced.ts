import { key } from "../../diff/path.js";
import { at } from "../../formats/tree.js";
import { toNumber } from "../model/figures.js";
import { lineFix } from "../model/fix.js";
import {
  isTemplated,
  keptObjects,
  type KubernetesObject,
  objectPath,
} from "../model/kubernetes/objects.js";
import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";

// HorizontalPodAutoscaler spec.minReplicas defaults to 1 (kubernetes/api autoscaling/v2 types.go;
// docs/lb-facts.md §P5a).
const DEFAULT_MIN_REPLICAS = 1;

function minReplicasOf(
  hpa: KubernetesObject,
): { value: number; line: number; explicit: boolean } | undefined {
  const node = at(hpa.body, "spec", "minReplicas");
  if (!node) return { value: DEFAULT_MIN_REPLICAS, line: hpa.line, explicit: false };
  if (node.kind !== "scalar" || isTemplated(node.value)) return undefined;
  const value = toNumber(node.value);
  return value === undefined ? undefined : { value, line: node.line, explicit: true };
}

/**
 * An autoscaler's floor is the capacity a workload keeps at its quietest and right after a deploy
 * (docs/risk.md "Capacity drops": minReplicas loosened sharply).
 */
export default defineRule({
  id: "kubernetes.hpa.min-replicas-reduced",
  family: "kubernetes",
  title: "Autoscaler floor (minReplicas) cut",
  description:
    "A HorizontalPodAutoscaler's minReplicas (default 1) drops: to 1 from more (high: at its quietest the workload " +
    "has no redundancy, and a burst must wait for new pods), to `highCutRatio` of what it was or less (high: " +
    "loosened sharply), or to half or less (medium).",
  severity: "high",
  params: {
    // docs/risk.md "Capacity drops": loosened sharply = by five times or more, as for drains.
    highCutRatio: {
      default: 0.2,
      description: "A floor cut to this share of the old one or less (by 5× or more) is high.",
    },
    maxCutRatio: {
      default: 0.5,
      description: "A floor cut to this share of the old one or less is reported (medium).",
    },
  },
  dialects: ["kubernetes"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of keptObjects(file.before, file.after)) {
      if (after.kind !== "HorizontalPodAutoscaler") continue;
      const was = minReplicasOf(before);
      const now = minReplicasOf(after);
      if (!was || !now || now.value >= was.value) continue;
      let severity: Severity | undefined;
      if (now.value <= 1 || now.value <= was.value * params.highCutRatio) severity = "high";
      else if (now.value <= was.value * params.maxCutRatio) severity = "medium";
      if (!severity) continue;
      const target = at(after.body, "spec", "scaleTargetRef", "name");
      const what = `${after.label}${target?.kind === "scalar" ? ` (${String(target.value)})` : ""}`;
      const fix =
        severity === "high" && now.explicit
          ? lineFix(file, now.line, [{ keys: ["minReplicas"], value: was.value }])
          : undefined;
      findings.push({
        ...(fix ? { fix } : {}),
        severity,
        line: now.explicit
          ? now.line
          : (at(before.body, "spec", "minReplicas")?.line ?? after.line),
        path: objectPath(after, key("spec"), key("minReplicas")),
        message:
          `${what} may now scale down to ${now.value} replica${now.value === 1 ? "" : "s"}${now.explicit ? "" : " (the default)"}, was ${was.value}: ` +
          (now.value <= 1
            ? "at its quietest one pod serves, so a crash, a node drain or a deploy is an outage until it scales up."
            : `${now.value} pods take the load of ${was.value} until the autoscaler reacts.`) +
          (severity === "high" ? ` Safe: keep minReplicas: ${was.value} (at least 2).` : ""),
        before: was.value,
        after: now.value,
        figures: { minReplicasBefore: was.value, minReplicas: now.value },
        checklist: [
          `Confirm ${now.value} replica${now.value === 1 ? "" : "s"} carry the load while the autoscaler adds pods (it takes a minute or more).`,
        ],
      });
    }
    return findings;
  },
});
