import { key } from "../../diff/path.js";
import { at, child, entriesOf, fingerprint, mapNode, type TreeNode } from "../../formats/tree.js";
import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import { isTemplated, keptObjects, objectPath, objectsOf } from "../model/kubernetes/objects.js";
import { selectedWorkloads, type Workload, workloadsOf } from "../model/kubernetes/workloads.js";
import { safe } from "../model/advice.js";

/** `app=web,tier=front` as a reviewer reads a selector. */
function showSelector(node: TreeNode | undefined): string {
  if (!node) return "(none)";
  const pairs = entriesOf(node).map(([name, value]) =>
    value.kind === "scalar" ? `${name}=${String(value.value)}` : name,
  );
  return pairs.length > 0 ? pairs.join(",") : "(empty)";
}

function hasPlaceholder(node: TreeNode | undefined): boolean {
  return entriesOf(node).some(
    ([name, value]) => isTemplated(name) || (value.kind === "scalar" && isTemplated(value.value)),
  );
}

/** Line of a workload's pod template labels: where a relabel that breaks the Service was made. */
function podLabelsLine(workload: Workload | undefined): number | undefined {
  if (!workload) return undefined;
  const templateKeys = workload.specSegments
    .slice(0, -1)
    .map((segment) => (segment.kind === "key" ? segment.key : segment.label));
  return at(workload.object.body, ...templateKeys, "metadata", "labels")?.line;
}

/**
 * A Service's endpoints are the ready pods its selector matches. A selector that no longer matches the pods
 * leaves the Service with no endpoints: every request fails (kubernetes/api core/v1 types.go).
 */
export default defineRule({
  id: "kubernetes.service.selector-changed",
  family: "kubernetes",
  title: "Service selector changed or no longer matches its pods",
  description:
    "A Service's selector, or the pod labels it matched, changes. High when, in the same file, it selected a " +
    "workload's pods before and selects none after (the Service has no endpoints); medium when it now selects " +
    "different pods, or when the workloads are not in the file; low when it still selects the same workloads.",
  severity: "high",
  params: {},
  dialects: ["kubernetes"],
  check(file) {
    const findings: Detection[] = [];
    const beforeWorkloads = workloadsOf(objectsOf(file.before));
    const afterWorkloads = workloadsOf(objectsOf(file.after));
    for (const [before, after] of keptObjects(file.before, file.after)) {
      if (after.kind !== "Service") continue;
      const oldSelector = child(child(before.body, "spec"), "selector");
      const newSelector = child(child(after.body, "spec"), "selector");
      // A Service without a selector has hand-made endpoints; placeholders are unknowable.
      if (!oldSelector || hasPlaceholder(oldSelector) || hasPlaceholder(newSelector)) continue;
      const selectorChanged = fingerprint(oldSelector) !== fingerprint(newSelector ?? mapNode(0));
      const wasSelected = selectedWorkloads(before, beforeWorkloads);
      const nowSelected = selectedWorkloads(after, afterWorkloads).map((w) => w.object.id);
      const lostAll = wasSelected.length > 0 && nowSelected.length === 0;
      if (!selectorChanged && !lostAll) continue;
      const same =
        wasSelected.length > 0 &&
        wasSelected.length === nowSelected.length &&
        wasSelected.every((w) => nowSelected.includes(w.object.id));
      const severity: Severity = lostAll ? "high" : same ? "low" : "medium";
      const names = wasSelected.map((w) => w.object.label).join(", ");
      const change = `${after.label} selector changes from ${showSelector(oldSelector)} to ${showSelector(newSelector)}`;
      const message = lostAll
        ? selectorChanged
          ? `${change} and no longer matches the pods of ${names}: the Service has no endpoints and every request fails.${safe(`keep the selector \`${showSelector(oldSelector)}\`, or add the new labels to the pods of ${names} first`)}`
          : `The pod labels of ${names} no longer match the selector ${showSelector(newSelector)} of ${after.label}: the Service has no endpoints and every request fails.${safe(`keep the pod labels \`${showSelector(newSelector)}\` on ${names}`)}`
        : same
          ? `${change}: it still selects the same workloads in this file.`
          : `${change}: it now routes to a different set of pods; check which pods carry the new labels.`;
      const relabelled = afterWorkloads.find((w) => w.object.id === wasSelected[0]?.object.id);
      const line = selectorChanged
        ? (newSelector?.line ?? oldSelector.line)
        : (podLabelsLine(relabelled) ?? after.line);
      findings.push({
        severity,
        line,
        path: objectPath(after, key("spec"), key("selector")),
        message,
        // An unchanged selector that lost its pods: show the pods it selected, not the selector twice.
        ...(selectorChanged
          ? { before: showSelector(oldSelector), after: showSelector(newSelector) }
          : { before: `selects ${names}`, after: "selects no pod" }),
        checklist: [
          `Confirm the pods meant to serve ${after.label} carry every label of its selector (check its EndpointSlices after the rollout).`,
        ],
      });
    }
    return findings;
  },
});
