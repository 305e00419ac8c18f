// Kubernetes workloads with their pod templates and containers, the Services that select them, Ingress backends,
// preStop hooks and container ports.
import { item, key, type PathSegment } from "../../../diff/path.js";
import { at, child, entriesOf, itemsOf, scalarAt, type TreeNode } from "../../../formats/tree.js";
import { toNumber } from "../figures.js";
import { memoByNode } from "../memo.js";
import { keptPairsBy } from "../pairs.js";
import { isTemplated, objectPath, objectsOf, type KubernetesObject } from "./objects.js";

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ["spec"],
  PodTemplate: ["template", "spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};

/** The pod spec of a workload and its path segments; other kinds (Argo Rollouts...) by shape. */
export function podSpecOf(
  object: KubernetesObject,
): { spec: TreeNode; segments: PathSegment[] } | undefined {
  const path = POD_SPEC_PATHS[object.kind] ?? ["spec", "template", "spec"];
  const spec = at(object.body, ...path);
  if (spec?.kind !== "map") return undefined;
  if (!POD_SPEC_PATHS[object.kind] && child(spec, "containers")?.kind !== "list") return undefined;
  return { spec, segments: path.map(key) };
}

export interface Container {
  readonly name: string;
  readonly field: "containers" | "initContainers";
  readonly body: TreeNode;
  /** Path segments inside the object. */
  readonly segments: readonly PathSegment[];
}

export interface Workload {
  readonly object: KubernetesObject;
  readonly spec: TreeNode;
  readonly specSegments: readonly PathSegment[];
  /** The pod template's labels; values may be Helm placeholders. */
  readonly podLabels: ReadonlyMap<string, string>;
  readonly containers: readonly Container[];
}

/** Kinds whose pods run to completion: no Service traffic, no rollouts to protect. */
export const BATCH_KINDS = new Set(["Job", "CronJob"]);

/** Every object with a pod template (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod ...), once per list of objects. */
export const workloadsOf = memoByNode((objects: readonly KubernetesObject[]): Workload[] =>
  extractWorkloads(objects),
);

function extractWorkloads(objects: readonly KubernetesObject[]): Workload[] {
  const out: Workload[] = [];
  for (const object of objects) {
    const pod = podSpecOf(object);
    if (!pod) continue;
    const templateKeys = pod.segments
      .slice(0, -1)
      .map((segment) => (segment.kind === "key" ? segment.key : segment.label));
    const labels = new Map<string, string>();
    for (const [name, value] of entriesOf(at(object.body, ...templateKeys, "metadata", "labels"))) {
      if (value.kind === "scalar" && value.value !== null) labels.set(name, String(value.value));
    }
    const containers: Container[] = [];
    for (const field of ["containers", "initContainers"] as const) {
      itemsOf(child(pod.spec, field)).forEach((body, index) => {
        const rawName = scalarAt(body, "name");
        const name = typeof rawName === "string" ? rawName : String(index);
        containers.push({
          name,
          field,
          body,
          segments: [
            ...pod.segments,
            key(field),
            item(typeof rawName === "string" ? `name=${rawName}` : String(index)),
          ],
        });
      });
    }
    out.push({
      object,
      spec: pod.spec,
      specSegments: pod.segments,
      podLabels: labels,
      containers,
    });
  }
  return out;
}

/** Workloads of both versions paired by object id. */
export function keptWorkloads(
  before: TreeNode | null,
  after: TreeNode | null,
): [Workload, Workload][] {
  return keptPairsBy(
    workloadsOf(objectsOf(before)),
    workloadsOf(objectsOf(after)),
    (workload) => workload.object.id,
  );
}

export function containerNamed(workload: Workload, container: Container): Container | undefined {
  return workload.containers.find(
    (candidate) => candidate.field === container.field && candidate.name === container.name,
  );
}

export function workloadPath(workload: Workload, ...segments: PathSegment[]): string {
  return objectPath(workload.object, ...segments);
}

/** A Service's `spec.selector` as strings; undefined when absent (a Service without selector has manual endpoints). */
export function selectorOf(service: KubernetesObject): Map<string, string> | undefined {
  const node = child(child(service.body, "spec"), "selector");
  if (node?.kind !== "map") return undefined;
  const out = new Map<string, string>();
  for (const [name, value] of entriesOf(node)) {
    if (value.kind === "scalar" && value.value !== null) out.set(name, String(value.value));
  }
  return out;
}

/** true / false when the selector can be evaluated against the labels, undefined when a Helm placeholder hides it. */
export function selects(
  selector: ReadonlyMap<string, string>,
  labels: ReadonlyMap<string, string>,
): boolean | undefined {
  if (selector.size === 0) return undefined;
  let unknown = false;
  for (const [name, value] of selector) {
    const label = labels.get(name);
    if (isTemplated(value) || isTemplated(name) || (label !== undefined && isTemplated(label))) {
      unknown = true;
      continue;
    }
    if (label !== value) return false;
  }
  return unknown ? undefined : true;
}

/** The workloads (with a pod template) a Service selects, among those of the same namespace in the file. */
export function selectedWorkloads(
  service: KubernetesObject,
  workloads: readonly Workload[],
): Workload[] {
  const selector = selectorOf(service);
  if (!selector) return [];
  return workloads.filter(
    (workload) =>
      workload.object.namespace === service.namespace &&
      selects(selector, workload.podLabels) === true,
  );
}

/** The workloads (with a pod template) whose pods a PodDisruptionBudget's matchLabels select, in its namespace. */
export function protectedWorkloads(
  pdb: KubernetesObject,
  workloads: readonly Workload[],
): Workload[] {
  const labels = new Map<string, string>();
  const matchLabels = child(child(child(pdb.body, "spec"), "selector"), "matchLabels");
  for (const [name, value] of entriesOf(matchLabels)) {
    if (value.kind === "scalar" && value.value !== null) labels.set(name, String(value.value));
  }
  if (labels.size === 0) return [];
  return workloads.filter(
    (workload) =>
      workload.object.namespace === pdb.namespace && selects(labels, workload.podLabels) === true,
  );
}

export interface ServiceBackend {
  readonly service: string;
  /** Number or name of the Service port; undefined when not given. */
  readonly port: string | undefined;
  readonly line: number;
}

/** The Service an Ingress backend points to (networking.k8s.io/v1 or the v1beta1 `serviceName`/`servicePort`). */
export function ingressBackend(node: TreeNode | undefined): ServiceBackend | undefined {
  if (!node || node.kind !== "map") return undefined;
  const v1 = child(node, "service");
  if (v1) {
    const name = scalarAt(v1, "name");
    const port = scalarAt(v1, "port", "number") ?? scalarAt(v1, "port", "name");
    if (name === undefined || name === null) return undefined;
    return {
      service: String(name),
      port: port === undefined || port === null ? undefined : String(port),
      line: node.line,
    };
  }
  const name = scalarAt(node, "serviceName");
  if (name === undefined || name === null) return undefined;
  const port = scalarAt(node, "servicePort");
  return {
    service: String(name),
    port: port === undefined || port === null ? undefined : String(port),
    line: node.line,
  };
}

/** Every Service an Ingress sends traffic to. */
export function ingressServiceNames(ingress: KubernetesObject): Set<string> {
  const spec = child(ingress.body, "spec");
  const names = new Set<string>();
  const add = (node: TreeNode | undefined): void => {
    const backend = ingressBackend(node);
    if (backend) names.add(backend.service);
  };
  add(child(spec, "defaultBackend"));
  add(child(spec, "backend"));
  for (const rule of itemsOf(child(spec, "rules")))
    for (const path of itemsOf(at(rule, "http", "paths"))) add(child(path, "backend"));
  return names;
}

export interface PreStopSleep {
  /** Seconds slept, or undefined for a hook that does something else (a script, an HTTP call). */
  readonly seconds: number | undefined;
  readonly line: number;
}

/** The container's preStop hook: `sleep: { seconds }` (1.29+) or an exec command that runs `sleep N`. */
export function preStopOf(container: Container | undefined): PreStopSleep | undefined {
  const hook = at(container?.body, "lifecycle", "preStop");
  if (!hook) return undefined;
  const native = child(hook, "sleep");
  if (native) return { seconds: toNumber(scalarAt(native, "seconds")), line: native.line };
  const command = at(hook, "exec", "command");
  const words = itemsOf(command).flatMap((word) =>
    word.kind === "scalar" && word.value !== null ? [String(word.value)] : [],
  );
  const match = /\bsleep\s+(\d+(?:\.\d+)?)s?\b/.exec(words.join(" "));
  return { seconds: match ? Number(match[1]) : undefined, line: command?.line ?? hook.line };
}

export interface ContainerPort {
  readonly name: string | undefined;
  readonly number: number | undefined;
  readonly container: string;
  /** Its name or number is a Helm placeholder (or unreadable): it may render to any port. */
  readonly templated: boolean;
}

/** Every declared container port of a workload (its containers, not init containers). */
export function containerPorts(workload: Workload): ContainerPort[] {
  return workload.containers
    .filter((container) => container.field === "containers")
    .flatMap((container) =>
      itemsOf(child(container.body, "ports")).map((port) => {
        const name = scalarAt(port, "name");
        const number = toNumber(scalarAt(port, "containerPort"));
        return {
          name: typeof name === "string" && !isTemplated(name) ? name : undefined,
          number,
          container: container.name,
          // containerPort is required: without a readable one, the entry is rendered from values.
          templated: isTemplated(name) || number === undefined,
        };
      }),
    );
}

/**
 * Does a port (a Service targetPort or a probe port, number or name) land on a declared port of `ports`? undefined
 * when none is declared, or when it matches none but a declared port is a Helm placeholder that may render to it.
 */
export function portResolves(target: string, ports: readonly ContainerPort[]): boolean | undefined {
  if (ports.length === 0) return undefined;
  const found = /^\d+$/.test(target)
    ? ports.some((port) => port.number === Number(target))
    : ports.some((port) => port.name === target);
  return found ? true : ports.some((port) => port.templated) ? undefined : false;
}

/** Does a Service targetPort (number or name) land on a declared port of the workload? undefined if it declares none. */
export function targetResolves(target: string, workload: Workload): boolean | undefined {
  return portResolves(target, containerPorts(workload));
}
