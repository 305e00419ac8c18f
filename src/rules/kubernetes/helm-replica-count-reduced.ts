import { formatPath, key, type PathSegment } from "../../diff/path.js";
import { entriesOf, type TreeNode } from "../../formats/tree.js";
import { toNumber } from "../model/figures.js";
import { defineRule, type Detection } from "../types.js";

interface Count {
  readonly path: string;
  readonly value: number;
  readonly line: number;
}

/** Every numeric `replicaCount` of a values file, at any depth (charts nest one per component). */
function replicaCounts(tree: TreeNode | null): Map<string, Count> {
  const out = new Map<string, Count>();
  const visit = (node: TreeNode, segments: PathSegment[]): void => {
    for (const [name, value] of entriesOf(node)) {
      const here = [...segments, key(name)];
      if (name === "replicaCount" && value.kind === "scalar") {
        const count = toNumber(value.value);
        if (count !== undefined) {
          const path = formatPath(here);
          out.set(path, { path, value: count, line: value.line });
        }
      } else if (value.kind === "map") visit(value, here);
    }
  };
  if (tree) visit(tree, []);
  return out;
}

/**
 * Values files are free-form, so only the convention every `helm create` chart follows is read:
 * `replicaCount` (docs/lb-facts.md §P7 Capacity; judgement).
 */
export default defineRule({
  id: "kubernetes.helm.replica-count-reduced",
  family: "kubernetes",
  title: "Helm replicaCount reduced",
  description:
    "A `replicaCount` in a Helm values file drops. How the chart uses it is not visible here, so this is medium: " +
    "fewer pods take the load, and at 1 every rollout or node drain is an outage.",
  severity: "medium",
  params: {},
  dialects: ["helm-values"],
  check(file) {
    const findings: Detection[] = [];
    const before = replicaCounts(file.before);
    for (const now of replicaCounts(file.after).values()) {
      const was = before.get(now.path);
      if (!was || now.value >= was.value) continue;
      findings.push({
        severity: "medium",
        line: now.line,
        path: now.path,
        message:
          `${now.path} cut from ${was.value} to ${now.value}: ` +
          (now.value === 0
            ? "the chart's workload runs no pods."
            : now.value === 1
              ? "a single pod is left, so every rollout, node drain or crash is an outage."
              : `${now.value} pods take the load of ${was.value}.`),
        before: was.value,
        after: now.value,
        figures: { replicasBefore: was.value, replicas: now.value },
        checklist: [
          `Confirm ${now.value} replica${now.value === 1 ? "" : "s"} carry peak load for every environment that uses this values file.`,
        ],
      });
    }
    return findings;
  },
});
