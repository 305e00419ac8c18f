import { key } from "../../diff/path.js";
import { at, child, type TreeNode } from "../../formats/tree.js";
import { toNumber } from "../model/figures.js";
import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import {
  isTemplated,
  type KubernetesObject,
  objectPath,
  objectsOf,
  pairObjects,
} from "../model/kubernetes/objects.js";
import { protectedWorkloads, type Workload, workloadsOf } from "../model/kubernetes/workloads.js";

type Field = "minAvailable" | "maxUnavailable";

interface Budget {
  readonly field: Field;
  readonly amount: number;
  readonly percent: boolean;
  readonly line: number;
  readonly text: string;
}

/** The PDB's one limit (the API takes minAvailable or maxUnavailable, never both); undefined when unknowable. */
function budgetOf(pdb: KubernetesObject): Budget | undefined | "none" {
  const spec = child(pdb.body, "spec");
  for (const field of ["minAvailable", "maxUnavailable"] as const) {
    const node = child(spec, field);
    if (!node) continue;
    if (node.kind !== "scalar" || isTemplated(node.value)) return undefined;
    const text = String(node.value);
    const percent = /^\s*\d+(\.\d+)?%\s*$/.test(text);
    const amount = percent ? Number(text.trim().slice(0, -1)) : toNumber(node.value);
    if (amount === undefined) return undefined;
    return { field, amount, percent, line: node.line, text };
  }
  return "none";
}

/** The workloads of the file whose pods the PDB's matchLabels select. */
const protectedIn = (pdb: KubernetesObject, tree: TreeNode | null): Workload[] =>
  protectedWorkloads(pdb, workloadsOf(objectsOf(tree)));

/** Replicas of the workloads the PDB selects in the same file, when they are all plain numbers. */
function selectedReplicas(pdb: KubernetesObject, tree: TreeNode | null): number | undefined {
  const matched = protectedIn(pdb, tree);
  if (matched.length === 0) return undefined;
  let total = 0;
  for (const workload of matched) {
    const replicas = at(workload.object.body, "spec", "replicas");
    const value = replicas ? toNumber(replicas.kind === "scalar" ? replicas.value : undefined) : 1;
    if (value === undefined) return undefined;
    total += value;
  }
  return total;
}

// The disruption controller rounds percentages up for both fields (kubernetes/api policy/v1; docs/lb-facts.md §P5a).
function allowedDisruptions(budget: Budget, replicas: number): number {
  const scaled = budget.percent ? Math.ceil((replicas * budget.amount) / 100) : budget.amount;
  return Math.max(0, budget.field === "maxUnavailable" ? scaled : replicas - scaled);
}

/** Without the replica count: does the literal block every eviction, or allow all of them? */
function literalEffect(budget: Budget): "blocks" | "allows-all" | undefined {
  if (budget.field === "maxUnavailable" && budget.amount === 0) return "blocks";
  if (budget.field === "minAvailable" && budget.percent && budget.amount >= 100) return "blocks";
  if (budget.field === "minAvailable" && budget.amount === 0) return "allows-all";
  if (budget.field === "maxUnavailable" && budget.percent && budget.amount >= 100)
    return "allows-all";
  return undefined;
}

const show = (budget: Budget): string => `${budget.field}: ${budget.text}`;

/**
 * A PodDisruptionBudget limits voluntary evictions (drains, the Eviction API), not rollouts. Loosened, a drain
 * can take more pods at once; `maxUnavailable: 0` or `minAvailable: 100%` blocks drains and stalls node
 * upgrades (docs/lb-facts.md §P5a).
 */
export default defineRule({
  id: "kubernetes.pdb.changed",
  family: "kubernetes",
  title: "PodDisruptionBudget loosened, blocking or removed",
  description:
    "A PodDisruptionBudget now allows every pod to be evicted at once (high: loosened sharply, docs/risk.md " +
    '"Capacity drops"; a node drain can empty the workload), is removed (medium: another budget may protect the pods), now allows no eviction at all (medium: node drains and cluster upgrades hang), or is loosened ' +
    "less drastically (low). With the selected workloads' replicas in the same file, the allowed disruptions are " +
    "computed; otherwise the literal values are compared.",
  severity: "high",
  params: {},
  dialects: ["kubernetes"],
  check(file) {
    const findings: Detection[] = [];
    const pdbs = (tree: TreeNode | null) =>
      objectsOf(tree).filter((object) => object.kind === "PodDisruptionBudget");
    for (const [before, after] of pairObjects(pdbs(file.before), pdbs(file.after))) {
      if (!after) {
        if (!before) continue;
        // Removed together with the workloads it protected: nothing is left to protect.
        const protectedBefore = protectedIn(before, file.before);
        const remaining = new Set(objectsOf(file.after).map((object) => object.id));
        if (
          protectedBefore.length > 0 &&
          protectedBefore.every((workload) => !remaining.has(workload.object.id))
        )
          continue;
        findings.push({
          severity: "medium",
          line: before.line,
          path: objectPath(before),
          message: `${before.label} removed: node drains and other voluntary evictions may now take every pod it protected at once.`,
          before: before.name,
          after: null,
          checklist: [
            `Confirm another PodDisruptionBudget protects the pods ${before.label} selected.`,
          ],
        });
        continue;
      }
      // A new PDB (or one that had no limit) is judged only on blocking drains: it loosens nothing.
      const was = before ? budgetOf(before) : "none";
      const now = budgetOf(after);
      if (!was || !now || now === "none") continue;
      if (was !== "none" && was.field === now.field && was.text === now.text) continue;
      const replicas = selectedReplicas(after, file.after);
      let effect: "blocks" | "allows-all" | "looser" | undefined;
      let detail = "";
      if (replicas !== undefined) {
        const allowedNow = allowedDisruptions(now, replicas);
        const allowedWas = was === "none" ? undefined : allowedDisruptions(was, replicas);
        detail = ` (${allowedNow} of ${replicas} pods may be evicted at once${allowedWas !== undefined ? `, was ${allowedWas}` : ""})`;
        if (allowedNow === 0 && allowedWas !== 0) effect = "blocks";
        else if (allowedWas !== undefined && allowedNow >= replicas && allowedWas < replicas)
          effect = "allows-all";
        else if (allowedWas !== undefined && allowedNow > allowedWas) effect = "looser";
      } else {
        const literal = literalEffect(now);
        if (literal === "blocks" && (was === "none" || literalEffect(was) !== "blocks"))
          effect = literal;
        else if (literal === "allows-all" && was !== "none" && literalEffect(was) !== literal)
          effect = literal;
        else if (was !== "none" && was.field === now.field && was.percent === now.percent) {
          const looser =
            now.field === "minAvailable" ? now.amount < was.amount : now.amount > was.amount;
          if (looser) effect = "looser";
        }
      }
      if (!effect) continue;
      const severity: Severity =
        effect === "looser" ? "low" : effect === "allows-all" ? "high" : "medium";
      const change = `${after.label} ${was === "none" ? "now sets" : `changes ${show(was)} to`} ${show(now)}${detail}`;
      const consequence =
        effect === "blocks"
          ? "no pod may be evicted, so node drains, cluster upgrades and autoscaler scale-downs hang until someone overrides the budget."
          : effect === "allows-all"
            ? "a node drain may evict every pod at once; the budget no longer protects anything."
            : "a node drain may evict more pods at once, leaving fewer to serve.";
      findings.push({
        severity,
        line: now.line,
        path: objectPath(after, key("spec"), key(now.field)),
        message:
          `${change}: ${consequence}` +
          (severity === "high"
            ? was !== "none"
              ? ` Safe: keep ${was.field}: ${was.text} as before.`
              : " Safe: maxUnavailable: 1."
            : ""),
        before: was === "none" ? null : was.text,
        after: now.text,
        ...(replicas !== undefined ? { figures: { replicas } } : {}),
        checklist: [
          effect === "blocks"
            ? `Confirm how node drains and upgrades proceed with ${after.label} blocking every eviction.`
            : `Confirm the remaining pods carry the load while ${after.label} allows this many evictions.`,
        ],
      });
    }
    return findings;
  },
});
