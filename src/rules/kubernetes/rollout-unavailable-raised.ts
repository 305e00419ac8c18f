import { key } from "../../diff/path.js";
import { at, scalarAt, type TreeNode } from "../../formats/tree.js";
import { toNumber } from "../model/figures.js";
import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import {
  isTemplated,
  keptObjects,
  type KubernetesObject,
  objectPath,
} from "../model/kubernetes/objects.js";
import { safe } from "../model/advice.js";
import { lineFix } from "../model/fix.js";

// Where the rolling update limit sits and its default (kubernetes/api apps/v1 types.go): Deployment 25 %,
// DaemonSet and StatefulSet 1 pod.
const STRATEGIES: Readonly<Record<string, { path: readonly string[]; fallback: string }>> = {
  Deployment: { path: ["spec", "strategy"], fallback: "25%" },
  DaemonSet: { path: ["spec", "updateStrategy"], fallback: "1" },
  StatefulSet: { path: ["spec", "updateStrategy"], fallback: "1" },
};

interface Limit {
  readonly text: string;
  readonly node: TreeNode | undefined;
}

function limitOf(object: KubernetesObject): Limit | undefined {
  const strategy = STRATEGIES[object.kind]!;
  const node = at(object.body, ...strategy.path, "rollingUpdate", "maxUnavailable");
  if (!node) return { text: strategy.fallback, node: undefined };
  if (node.kind !== "scalar" || node.value === null || isTemplated(node.value)) return undefined;
  return { text: String(node.value).trim(), node };
}

/** Share of the pods a rollout may take down at once; undefined when the pod count is unknown. */
function downShare(limit: Limit, replicas: number | undefined): number | undefined {
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(limit.text);
  if (percent) {
    const share = Number(percent[1]) / 100;
    // Deployments round maxUnavailable down (kubernetes/api apps/v1 types.go).
    return replicas ? Math.floor(replicas * share) / replicas : share;
  }
  const count = toNumber(limit.text);
  return count !== undefined && replicas ? Math.min(1, count / replicas) : undefined;
}

function replicasOf(object: KubernetesObject): number | undefined {
  if (object.kind === "DaemonSet") return undefined;
  const node = at(object.body, "spec", "replicas");
  return node ? toNumber(node.kind === "scalar" ? node.value : undefined) : 1;
}

/**
 * A rolling update keeps most pods serving; the Recreate strategy stops every pod first, and a large
 * maxUnavailable takes many down at once (docs/lb-facts.md §P5a; judgement, §P7 Capacity).
 */
export default defineRule({
  id: "kubernetes.rollout.unavailable-raised",
  family: "kubernetes",
  title: "Rollouts take more pods down at once",
  description:
    "A Deployment switches to the Recreate strategy (high: every rollout stops all pods before new ones start), or a " +
    "Deployment, DaemonSet or StatefulSet raises rollingUpdate.maxUnavailable so that a given share of its pods or more " +
    "may be down at once during a rollout (medium; high when it reaches every pod).",
  severity: "high",
  params: {
    // Judgement: with half the pods down, the rest take double load during every rollout.
    maxDownShare: {
      default: 0.5,
      description: "Rollouts that may take down this share of the pods or more are reported.",
    },
  },
  dialects: ["kubernetes"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of keptObjects(file.before, file.after)) {
      if (!STRATEGIES[after.kind]) continue;
      if (after.kind === "Deployment") {
        const was = scalarAt(before.body, "spec", "strategy", "type") ?? "RollingUpdate";
        const now = scalarAt(after.body, "spec", "strategy", "type") ?? "RollingUpdate";
        if (now === "Recreate" && was !== "Recreate") {
          findings.push({
            severity: "high",
            line: at(after.body, "spec", "strategy", "type")!.line,
            path: objectPath(after, key("spec"), key("strategy"), key("type")),
            message: `${after.label} switches its rollout strategy from ${String(was)} to Recreate: every rollout stops all pods before the new ones start, an outage on each deploy.${safe(`keep strategy type "${String(was)}" (e.g. maxUnavailable 0, maxSurge 1)`)}`,
            before: String(was),
            after: "Recreate",
            checklist: [
              `Confirm ${after.label} can be down for the length of a rollout on every deploy.`,
            ],
          });
          continue;
        }
        if (now === "Recreate") continue;
      }
      const wasLimit = limitOf(before);
      const limit = limitOf(after);
      if (!wasLimit || !limit || wasLimit.text === limit.text) continue;
      const replicas = replicasOf(after);
      const wasShare = downShare(wasLimit, replicasOf(before));
      const share = downShare(limit, replicas);
      if (share === undefined || wasShare === undefined || share <= wasShare) continue;
      if (share < params.maxDownShare) continue;
      const severity: Severity = share >= 1 ? "high" : "medium";
      const pods =
        replicas !== undefined
          ? `${Math.round(share * replicas)} of ${replicas} pods`
          : `${Math.round(share * 100)}% of the pods`;
      const line = limit.node?.line ?? wasLimit.node?.line ?? after.line;
      const fix =
        severity === "high" && limit.node && wasLimit.node
          ? lineFix(file, line, [{ keys: ["maxUnavailable"], value: wasLimit.text }])
          : undefined;
      findings.push({
        ...(fix ? { fix } : {}),
        severity,
        line,
        path: objectPath(
          after,
          ...STRATEGIES[after.kind]!.path.map(key),
          key("rollingUpdate"),
          key("maxUnavailable"),
        ),
        message: `${after.label} rollouts may now take ${pods} down at once (maxUnavailable ${wasLimit.text} → ${limit.text}): ${share >= 1 ? "every pod can be down together, an outage on each deploy" : "the rest carry their load during every rollout"}.${severity === "high" ? safe(`keep maxUnavailable: ${wasLimit.text}`) : ""}`,
        before: wasLimit.text,
        after: limit.text,
        figures: { downShareBefore: wasShare, downShare: share },
        checklist: [
          `Confirm the pods left running carry peak load while ${after.label} rolls out.`,
        ],
      });
    }
    return findings;
  },
});
