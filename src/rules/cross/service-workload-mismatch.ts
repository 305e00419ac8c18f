import { at, child, itemsOf, scalarAt, type TreeNode } from "../../formats/tree.js";
import type { KubernetesObject } from "../model/kubernetes/objects.js";
import {
  BATCH_KINDS,
  containerPorts,
  selectorOf,
  selects,
  targetResolves,
  type Workload,
} from "../model/kubernetes/workloads.js";
import {
  byIdentity,
  isChanged,
  KUBERNETES_DIALECTS,
  objectsAcross,
  workloadsAcross,
  type Placed,
} from "../model/workspace.js";
import { defineWorkspaceRule, type WorkspaceDetection } from "../types.js";

const show = (labels: ReadonlyMap<string, string>): string =>
  labels.size === 0
    ? "no labels"
    : [...labels].map(([name, value]) => `${name}=${value}`).join(",");

/** The line of the first selector key the labels do not match, in `node` (labels or selector), else `node`'s. */
function mismatchLine(
  node: TreeNode | undefined,
  selector: ReadonlyMap<string, string>,
  labels: ReadonlyMap<string, string>,
  fallback: number,
): number {
  for (const [name, value] of selector)
    if (labels.get(name) !== value) return child(node, name)?.line ?? node?.line ?? fallback;
  return node?.line ?? fallback;
}

function podLabelsNode(workload: Workload): TreeNode | undefined {
  const templateKeys = workload.specSegments
    .slice(0, -1)
    .map((segment) => (segment.kind === "key" ? segment.key : segment.label));
  return at(workload.object.body, ...templateKeys, "metadata", "labels");
}

interface ServicePort {
  readonly id: string;
  readonly target: string;
  readonly line: number;
}

/** Each port of a Service with the pod port it sends to (targetPort, by default the port itself). */
function servicePorts(service: KubernetesObject): ServicePort[] {
  return itemsOf(child(child(service.body, "spec"), "ports")).flatMap((port) => {
    const number = scalarAt(port, "port");
    const target = scalarAt(port, "targetPort") ?? number;
    if (target === undefined || target === null) return [];
    const name = scalarAt(port, "name");
    return [
      {
        id: String(name ?? number),
        target: String(target),
        line: child(port, "targetPort")?.line ?? port.line,
      },
    ];
  });
}

/** Lines where a workload declares its container ports (the first `ports:`), else its containers. */
function portsLine(workload: Workload): number {
  for (const container of workload.containers)
    if (container.field === "containers") {
      const ports = child(container.body, "ports");
      if (ports) return ports.line;
    }
  return child(workload.spec, "containers")?.line ?? workload.spec.line;
}

/**
 * A Service's endpoints are the ready pods its selector matches, reached on targetPort (a number,
 * or the name of a container port); a selector nothing matches leaves no endpoints and every
 * request fails (https://kubernetes.io/docs/concepts/services-networking/service/). Here the
 * Service and the workload sit in different files of the workspace.
 */
export default defineWorkspaceRule({
  id: "cross.service.workload-mismatch",
  family: "cross",
  scope: "workspace",
  title: "Service in one file no longer reaches the workload of another",
  description:
    "A Service and a workload of the same namespace in different files: after the change the Service's selector no " +
    "longer matches the pod labels it matched before (high; critical when it then matches no workload of the " +
    "workspace: the Service has no endpoints), or a targetPort the workload's containers declared (number or name) " +
    "is no longer declared by any of them (high). Reported in the changed file: the workload's when its labels or " +
    "ports changed, else the Service's. A Service and workload in the same file are kubernetes.service.* rules'.",
  severity: "critical",
  params: {},
  dialects: KUBERNETES_DIALECTS,
  check(workspace) {
    const out: WorkspaceDetection[] = [];
    const services = objectsAcross(workspace, "after").filter(
      ({ entity }) => entity.kind === "Service",
    );
    if (services.length === 0) return out;
    const workloads = workloadsAcross(workspace, "after").filter(
      ({ entity }) => !BATCH_KINDS.has(entity.object.kind),
    );
    const oldServices = byIdentity(
      objectsAcross(workspace, "before").filter(({ entity }) => entity.kind === "Service"),
      (object) => object.id,
    );
    const oldWorkloads = byIdentity(
      workloadsAcross(workspace, "before"),
      (workload) => workload.object.id,
    );

    for (const service of services) {
      const selector = selectorOf(service.entity);
      const old = oldServices.get(service.entity.id);
      const oldSelector = old && selectorOf(old.entity);
      if (!selector || !old || !oldSelector) continue;
      const sameNamespace = workloads.filter(
        ({ entity }) => entity.object.namespace === service.entity.namespace,
      );
      for (const workload of sameNamespace) {
        if (workload.file.path === service.file.path) continue;
        if (!isChanged(workload.file) && !isChanged(service.file)) continue;
        const previous = oldWorkloads.get(workload.entity.object.id);
        if (!previous || selects(oldSelector, previous.entity.podLabels) !== true) continue;
        const detection =
          selects(selector, workload.entity.podLabels) === false
            ? lostSelection(service, workload, previous, selector, oldSelector, sameNamespace)
            : selects(selector, workload.entity.podLabels) === true
              ? lostPort(service, old, workload, previous)
              : undefined;
        if (detection) out.push(detection);
      }
    }
    return out;
  },
});

/** Where to report: the workload's file when the workload changed this, else the Service's. */
function reportIn(
  service: Placed<KubernetesObject>,
  workload: Placed<Workload>,
  workloadChanged: boolean,
  workloadLine: number,
  serviceLine: number,
): { file: string; line: number } | undefined {
  if (isChanged(workload.file) && workloadChanged)
    return { file: workload.file.path, line: workloadLine };
  if (isChanged(service.file)) return { file: service.file.path, line: serviceLine };
  if (isChanged(workload.file)) return { file: workload.file.path, line: workloadLine };
  return undefined;
}

function lostSelection(
  service: Placed<KubernetesObject>,
  workload: Placed<Workload>,
  previous: Placed<Workload>,
  selector: ReadonlyMap<string, string>,
  oldSelector: ReadonlyMap<string, string>,
  sameNamespace: readonly Placed<Workload>[],
): WorkspaceDetection | undefined {
  const labels = workload.entity.podLabels;
  const relabelled = show(labels) !== show(previous.entity.podLabels);
  const where = reportIn(
    service,
    workload,
    relabelled,
    mismatchLine(podLabelsNode(workload.entity), selector, labels, workload.entity.spec.line),
    mismatchLine(
      child(child(service.entity.body, "spec"), "selector"),
      selector,
      labels,
      service.entity.line,
    ),
  );
  if (!where) return undefined;
  const none = sameNamespace.every(({ entity }) => selects(selector, entity.podLabels) === false);
  const serviceName = `${service.entity.label} (${service.file.path})`;
  const workloadName = `${workload.entity.object.label} (${workload.file.path})`;
  return {
    ...where,
    severity: none ? "critical" : "high",
    message:
      // What changed: the pods' labels, or (labels as they were) the Service's selector.
      (relabelled
        ? `${serviceName} selects ${show(selector)}, which the pods of ${workloadName} no longer carry ` +
          `(now ${show(labels)}, were ${show(previous.entity.podLabels)}): `
        : `${serviceName} now selects ${show(selector)} (was ${show(oldSelector)}), which the pods of ${workloadName} ` +
          `do not carry (${show(labels)}): `) +
      (none
        ? "it then selects no pod of the workspace, so it has no endpoints and every request to it fails."
        : "the Service stops sending them traffic.") +
      (relabelled
        ? ` Safe: keep the pod labels \`${show(selector)}\` on ${workload.entity.object.label}, or change the Service's selector in the same change.`
        : ` Safe: keep the selector \`${show(oldSelector)}\`, or relabel the pods of ${workload.entity.object.label} in the same change.`),
    figures: { selector: show(selector), podLabels: show(labels) },
    checklist: [
      `Confirm ${service.entity.label} still has endpoints after the rollout (\`kubectl get endpointslices -l kubernetes.io/service-name=${service.entity.name}\`).`,
    ],
  };
}

function lostPort(
  service: Placed<KubernetesObject>,
  old: Placed<KubernetesObject>,
  workload: Placed<Workload>,
  previous: Placed<Workload>,
): WorkspaceDetection | undefined {
  const oldTargets = new Map(servicePorts(old.entity).map((port) => [port.id, port.target]));
  for (const port of servicePorts(service.entity)) {
    if (targetResolves(port.target, workload.entity) !== false) continue;
    const oldTarget = oldTargets.get(port.id);
    // Only a port this change broke: it landed on a declared port before.
    if (oldTarget === undefined || targetResolves(oldTarget, previous.entity) !== true) continue;
    const declared = containerPorts(workload.entity)
      .map((declared) => declared.name ?? String(declared.number))
      .join(", ");
    const portsChanged =
      declared !==
      containerPorts(previous.entity)
        .map((p) => p.name ?? String(p.number))
        .join(", ");
    const where = reportIn(service, workload, portsChanged, portsLine(workload.entity), port.line);
    if (!where) continue;
    const named = !/^\d+$/.test(port.target);
    return {
      ...where,
      severity: "high",
      message:
        `${service.entity.label} (${service.file.path}) sends port ${port.id} to targetPort ${port.target}, which no container of ` +
        `${workload.entity.object.label} (${workload.file.path}) declares any more (declared: ${declared}): ` +
        (named
          ? "a named targetPort that no container declares gets no endpoints, so requests to that port fail."
          : "the pods may no longer listen there, so requests to that port fail.") +
        ` Safe: declare ${named ? `a container port named \`${port.target}\`` : `containerPort ${port.target}`} again, or move the Service's targetPort in the same change.`,
      figures: { targetPort: port.target, declaredPorts: declared },
      checklist: [
        `Confirm ${workload.entity.object.label} serves on the port ${service.entity.label} sends to (${port.target}).`,
      ],
    };
  }
  return undefined;
}
