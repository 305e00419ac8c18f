import { item, key } from "../../diff/path.js";
import { child, itemsOf, scalarAt, type TreeNode } from "../../formats/tree.js";
import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import {
  isTemplated,
  keptObjects,
  type KubernetesObject,
  objectPath,
  objectsOf,
} from "../model/kubernetes/objects.js";
import {
  containerPorts,
  selectedWorkloads,
  targetResolves,
  type Workload,
  workloadsOf,
} from "../model/kubernetes/workloads.js";
import { safe } from "../model/advice.js";

interface ServicePort {
  /** How the port is matched across versions: its name, else its number, else its position. */
  readonly id: string;
  readonly label: string;
  readonly port: string | undefined;
  readonly targetPort: string | undefined;
  readonly protocol: string;
  readonly nodePort: string | undefined;
  readonly node: TreeNode;
  readonly templated: boolean;
}

const text = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : String(value);

function portsOf(service: KubernetesObject): ServicePort[] {
  const items = itemsOf(child(child(service.body, "spec"), "ports"));
  return items.map((node, index) => {
    const name = text(scalarAt(node, "name"));
    const port = text(scalarAt(node, "port"));
    const values = ["name", "port", "targetPort", "protocol", "nodePort"].map((field) =>
      scalarAt(node, field),
    );
    return {
      id:
        name !== undefined ? `name=${name}` : items.length === 1 ? "only" : `port=${port ?? index}`,
      label: name !== undefined ? `port "${name}"` : `port ${port ?? index}`,
      port,
      // targetPort defaults to port (kubernetes/api core/v1 types.go; docs/lb-facts.md §P5a).
      targetPort: text(scalarAt(node, "targetPort")) ?? port,
      protocol: text(scalarAt(node, "protocol")) ?? "TCP",
      nodePort: text(scalarAt(node, "nodePort")),
      node,
      templated: values.some(isTemplated),
    };
  });
}

/** The `ports` line of the container that used to declare the target port: where the rename happened. */
function declaringLine(workload: Workload, old: Workload, target: string): number {
  const numeric = /^\d+$/.test(target);
  const owner = containerPorts(old).find((port) =>
    numeric ? port.number === Number(target) : port.name === target,
  )?.container;
  const container = workload.containers.find((candidate) => candidate.name === owner);
  return child(container?.body, "ports")?.line ?? container?.body.line ?? workload.spec.line;
}

/**
 * A Service is an address clients use (port) in front of a port on each pod (targetPort, a number or a named
 * container port looked up per pod). Changing either, or renaming the container port, breaks it
 * (docs/lb-facts.md §P5a). This rule owns Kubernetes Service ports;
 * generic.port-or-protocol.changed leaves Kubernetes to it.
 */
export default defineRule({
  id: "kubernetes.service.port-changed",
  family: "kubernetes",
  title: "Service port, targetPort or protocol changed",
  description:
    "A Service port is removed or its port or protocol changes (high: clients still use the old one); its targetPort " +
    "changes (high when it no longer lands on a declared container port of the selected workload in the same file, " +
    "medium otherwise: during the rollout the old pods do not listen on the new port); its nodePort changes " +
    "(medium); or the container port a targetPort names or numbers disappears from the selected workload (high).",
  severity: "high",
  params: {},
  dialects: ["kubernetes"],
  check(file) {
    const findings: Detection[] = [];
    const beforeWorkloads = workloadsOf(objectsOf(file.before));
    const afterWorkloads = workloadsOf(objectsOf(file.after));
    for (const [before, after] of keptObjects(file.before, file.after)) {
      if (after.kind !== "Service") continue;
      const selected = selectedWorkloads(after, afterWorkloads);
      const oldSelected = new Map(
        selectedWorkloads(before, beforeWorkloads).map((w) => [w.object.id, w]),
      );
      // No ports at all is a Helm block (`{{ toYaml .Values.ports }}`) or an ExternalName Service: nothing to compare.
      if (itemsOf(child(child(after.body, "spec"), "ports")).length === 0) continue;
      const afterPorts = portsOf(after);
      const beforePorts = portsOf(before);
      const nowPorts = new Map(afterPorts.map((port) => [port.id, port]));
      for (const was of beforePorts) {
        if (was.templated) continue;
        // By name; a port that gained or lost its name is the same port if its number or its place is.
        const now =
          nowPorts.get(was.id) ??
          afterPorts.find(
            (port) => port.port === was.port && !beforePorts.some((b) => b.id === port.id),
          ) ??
          (beforePorts.length === 1 && afterPorts.length === 1 ? afterPorts[0] : undefined);
        const path = (field?: string) =>
          objectPath(
            after,
            key("spec"),
            key("ports"),
            item(was.id),
            ...(field ? [key(field)] : []),
          );
        const report = (
          severity: Severity,
          line: number,
          where: string,
          message: string,
          values: [string | null, string | null],
          check: string,
        ) =>
          findings.push({
            severity,
            line,
            path: where,
            message,
            before: values[0],
            after: values[1],
            checklist: [check],
          });
        if (!now) {
          report(
            "high",
            was.node.line,
            path(),
            `${after.label} no longer exposes ${was.label} (${was.port}/${was.protocol}): clients that connect to it fail.${safe(`keep port ${was.port}/${was.protocol} until no client uses it`)}`,
            [was.port ?? null, null],
            `Confirm no client of ${after.label} still uses port ${was.port}.`,
          );
          continue;
        }
        if (now.templated) continue;
        if (now.port !== was.port || now.protocol !== was.protocol) {
          const field = now.port !== was.port ? "port" : "protocol";
          report(
            "high",
            child(now.node, field)?.line ?? now.node.line,
            path(field),
            `${after.label} ${was.label} changes from ${was.port}/${was.protocol} to ${now.port}/${now.protocol}: clients that still connect to ${was.port}/${was.protocol} fail.${safe(`keep port ${was.port}/${was.protocol}, and add ${now.port}/${now.protocol} as a second port until clients have moved`)}`,
            [`${was.port}/${was.protocol}`, `${now.port}/${now.protocol}`],
            `Confirm every client of ${after.label} (including other repositories and DNS-based configs) moves to ${now.port}/${now.protocol} in the same release.`,
          );
        }
        if (now.targetPort !== undefined && now.targetPort !== was.targetPort) {
          const unresolved = selected.filter((w) => targetResolves(now.targetPort!, w) === false);
          const severity: Severity = unresolved.length > 0 ? "high" : "medium";
          report(
            severity,
            child(now.node, "targetPort")?.line ?? now.node.line,
            path("targetPort"),
            `${after.label} ${was.label} now sends traffic to pod port ${now.targetPort} (was ${was.targetPort})` +
              (unresolved.length > 0
                ? `, which no container of ${unresolved.map((w) => w.object.label).join(", ")} declares: every request fails.`
                : ": pods that still run the old version do not listen there, so requests fail until the rollout ends.") +
              (severity === "high"
                ? safe(
                    `keep targetPort ${was.targetPort ?? "(unset)"} until a container declares port ${now.targetPort}`,
                  )
                : ""),
            [was.targetPort ?? null, now.targetPort],
            `Confirm the pods listen on ${now.targetPort} before ${after.label} switches to it (old pods during a rollout too).`,
          );
        } else if (now.targetPort !== undefined) {
          // The same targetPort, but the selected workload no longer declares the port it lands on (renamed container port).
          const lost = selected.filter((w) => {
            const old = oldSelected.get(w.object.id);
            return (
              old !== undefined &&
              targetResolves(now.targetPort!, old) === true &&
              targetResolves(now.targetPort!, w) === false
            );
          });
          if (lost.length > 0) {
            report(
              "high",
              declaringLine(lost[0]!, oldSelected.get(lost[0]!.object.id)!, now.targetPort),
              path("targetPort"),
              `${after.label} ${was.label} targets pod port ${now.targetPort}, which ${lost.map((w) => w.object.label).join(", ")} no longer declares (container port renamed or changed): the Service has nowhere to send requests.${safe(`keep container port \`${now.targetPort}\` in ${lost.map((w) => w.object.label).join(", ")}, or change targetPort with it`)}`,
              // The targetPort stays; what changed is that the pods no longer declare it.
              [`${now.targetPort} (declared)`, `${now.targetPort} (not declared)`],
              `Confirm the container port ${now.targetPort} still exists, or update the targetPort of ${after.label} with it.`,
            );
          }
        }
        if (
          was.nodePort !== undefined &&
          now.nodePort !== undefined &&
          now.nodePort !== was.nodePort
        ) {
          report(
            "medium",
            child(now.node, "nodePort")?.line ?? now.node.line,
            path("nodePort"),
            `${after.label} ${was.label} moves from nodePort ${was.nodePort} to ${now.nodePort}: external load balancers and firewall rules that point at node port ${was.nodePort} stop reaching it.`,
            [was.nodePort, now.nodePort],
            `Confirm whatever targets node port ${was.nodePort} (an external load balancer, firewall rules) is updated.`,
          );
        }
      }
    }
    return findings;
  },
});
