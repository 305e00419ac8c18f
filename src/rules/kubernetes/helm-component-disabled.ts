import { formatPath, key, type PathSegment } from "../../diff/path.js";
import { child, entriesOf, type TreeNode } from "../../formats/tree.js";
import { defineRule, type Detection } from "../types.js";

/** Values keys whose component carries traffic: its workload, budget, Service or Ingress (chart conventions). */
const TRAFFIC =
  /^(controller|defaultbackend|default-backend|backend|frontend|server|api|web|gateway|ingress|service|deployment|statefulset|daemonset|pdb|poddisruptionbudget|podDisruptionBudget|proxy|router)$/i;
/**
 * Components that carry no user traffic: monitoring, policies, accounts, tests, and helper containers that run
 * beside or before the pods that serve (init containers, sidecars, exporters) with images of their own.
 */
const AUXILIARY =
  /metric|monitor|prometheus|grafana|dashboard|test|rbac|psp|account|networkpolicy|podsecurity|autoscal|hpa|webhook|admission|cert|log|trac|debug|backup|job|cron|init|permission|sidecar|exporter|sysctl/i;
/** A values map that configures a workload of its own. */
const WORKLOAD_KEYS = ["replicaCount", "replicas", "image"];

interface Toggle {
  readonly path: string;
  readonly component: string;
  readonly value: boolean;
  readonly line: number;
  readonly workload: boolean;
}

const asBool = (node: TreeNode | undefined): boolean | undefined =>
  node?.kind === "scalar"
    ? node.value === true || node.value === "true"
      ? true
      : node.value === false || node.value === "false"
        ? false
        : undefined
    : undefined;

/** Every `enabled`/`create` switch of a component that carries traffic, at any depth. */
function toggles(tree: TreeNode | null): Map<string, Toggle> {
  const out = new Map<string, Toggle>();
  const visit = (node: TreeNode, segments: PathSegment[], names: string[]): void => {
    for (const [name, value] of entriesOf(node)) {
      if (value.kind !== "map") continue;
      const here = [...segments, key(name)];
      const path = [...names, name];
      const workload = WORKLOAD_KEYS.some((field) => child(value, field) !== undefined);
      if (!path.some((part) => AUXILIARY.test(part)) && (TRAFFIC.test(name) || workload)) {
        for (const field of ["enabled", "create"]) {
          const flag = asBool(child(value, field));
          if (flag === undefined) continue;
          const full = formatPath([...here, key(field)]);
          out.set(full, {
            path: full,
            component: path.join("."),
            value: flag,
            line: child(value, field)!.line,
            workload,
          });
        }
      }
      visit(value, here, path);
    }
  };
  if (tree) visit(tree, [], []);
  return out;
}

/**
 * A Helm values switch that turns off a component deletes what the chart rendered for it (docs/risk.md: capacity
 * drops, traffic goes nowhere): its workload, Service, Ingress or PodDisruptionBudget. The chart is not visible
 * here, so only components that carry traffic by their name, or that configure pods of their own, are read.
 */
export default defineRule({
  id: "kubernetes.helm.component-disabled",
  family: "kubernetes",
  title: "Helm values turn off a component that carries traffic",
  description:
    "In a Helm values file, `<component>.enabled` or `<component>.create` goes from true to false for a component " +
    "that carries traffic: one named like a workload, Service, Ingress, gateway, controller, backend or " +
    "PodDisruptionBudget, or one with its own `replicaCount`/`replicas`/`image`. The chart stops rendering it, so Helm " +
    "deletes it on upgrade: high. Monitoring, policy, account and test components, and helper containers (init " +
    "containers, sidecars, exporters), are not read.",
  severity: "high",
  params: {},
  dialects: ["helm-values"],
  check(file) {
    const findings: Detection[] = [];
    const before = toggles(file.before);
    for (const now of toggles(file.after).values()) {
      const was = before.get(now.path);
      if (!was || !was.value || now.value) continue;
      const budget = /pdb|disruption/i.test(now.component);
      findings.push({
        severity: "high",
        line: now.line,
        path: now.path,
        message:
          `${now.path} turns off ${now.component}: Helm deletes what the chart rendered for it on the next upgrade, ` +
          (budget
            ? "so node drains and upgrades may evict every pod it protected at once."
            : "its pods, Service or Ingress go at once and the traffic they served fails.") +
          ` Safe: keep \`${now.path.split(".").pop()}: true\` until nothing depends on ${now.component}.`,
        before: true,
        after: false,
        checklist: [
          `Confirm from the chart's templates what ${now.path} renders, and that nothing still sends traffic to it.`,
        ],
      });
    }
    return findings;
  },
});
