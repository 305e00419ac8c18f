// What a pod's shutdown must outlast: the load balancer's deregistration delay (AWS Load Balancer Controller
// target-group attributes) for the Services and Ingresses in the same file that route to the workload.
import { child } from "../../../formats/tree.js";
import { toNumber } from "../figures.js";
import { memoByPair } from "../memo.js";
import { parseTargetGroupAttributes } from "./aws-load-balancer-controller.js";
import { annotationsOf, isTemplated, type KubernetesObject } from "./objects.js";
import { BATCH_KINDS, ingressServiceNames, selectedWorkloads, type Workload } from "./workloads.js";

const ATTRIBUTE_ANNOTATIONS = [
  "alb.ingress.kubernetes.io/target-group-attributes",
  "service.beta.kubernetes.io/aws-load-balancer-target-group-attributes",
];

/** A pod's terminationGracePeriodSeconds, or its default when absent. */
export interface Grace {
  readonly seconds: number;
  readonly line: number;
  readonly explicit: boolean;
}

// terminationGracePeriodSeconds defaults to 30 (kubernetes/api core/v1 types.go; docs/lb-facts.md §P5a).
export function graceOf(workload: Workload): Grace | undefined {
  const node = child(workload.spec, "terminationGracePeriodSeconds");
  if (!node) return { seconds: 30, line: workload.spec.line, explicit: false };
  if (node.kind !== "scalar" || isTemplated(node.value)) return undefined;
  const seconds = toNumber(node.value);
  return seconds === undefined ? undefined : { seconds, line: node.line, explicit: true };
}

export interface DrainDelay {
  readonly seconds: number;
  readonly line: number;
  /** `Ingress web`: where the delay is set. */
  readonly source: string;
}

function explicitDelay(object: KubernetesObject): DrainDelay | undefined {
  const annotations = annotationsOf(object);
  for (const name of ATTRIBUTE_ANNOTATIONS) {
    const annotation = annotations.get(name);
    if (!annotation) continue;
    const seconds = toNumber(
      parseTargetGroupAttributes(annotation.value).get("deregistration_delay.timeout_seconds"),
    );
    if (seconds !== undefined) return { seconds, line: annotation.line, source: object.label };
  }
  return undefined;
}

/**
 * The Services and Ingresses of the file that route to the workload: Services that select its pods and
 * Ingresses whose backends are such Services. When the file holds a single serving workload, every Service
 * and Ingress of the file is taken as its own.
 */
function frontingObjects(
  workload: Workload,
  objects: readonly KubernetesObject[],
  workloads: readonly Workload[],
): readonly KubernetesObject[] {
  const index = frontingIndex(objects, workloads);
  let fronting = index.byWorkload.get(workload.object.id);
  if (!fronting) {
    fronting = index.only === workload.object.id ? index.routing : frontingOf(workload, index);
    index.byWorkload.set(workload.object.id, fronting);
  }
  return fronting;
}

interface FrontingIndex {
  /** The file's one serving workload, when it holds exactly one. */
  readonly only: string | undefined;
  /** Every Service and Ingress of the file, in file order. */
  readonly routing: readonly KubernetesObject[];
  readonly selected: Map<KubernetesObject, Set<string>>;
  readonly ingressServices: Map<KubernetesObject, Set<string>>;
  readonly byWorkload: Map<string, readonly KubernetesObject[]>;
}

/** Built once per (objects, workloads) pair of a rule run, so a file of many workloads is not scanned per workload. */
const frontingIndex = memoByPair(
  (objects: readonly KubernetesObject[], workloads: readonly Workload[]): FrontingIndex => {
    const serving = workloads.filter((candidate) => !BATCH_KINDS.has(candidate.object.kind));
    const routing = objects.filter(
      (object) => object.kind === "Service" || object.kind === "Ingress",
    );
    return {
      only: serving.length === 1 ? serving[0]!.object.id : undefined,
      routing,
      selected: selectionIndex(objects, workloads),
      ingressServices: new Map(
        routing
          .filter((object) => object.kind === "Ingress")
          .map((object) => [object, ingressServiceNames(object)]),
      ),
      byWorkload: new Map(),
    };
  },
);

function frontingOf(workload: Workload, index: FrontingIndex): KubernetesObject[] {
  const serviceNames = new Set<string>();
  for (const object of index.routing)
    if (object.kind === "Service" && index.selected.get(object)?.has(workload.object.id))
      serviceNames.add(object.name);
  if (serviceNames.size === 0) return [];
  return index.routing.filter((object) =>
    object.kind === "Service"
      ? index.selected.get(object)?.has(workload.object.id) === true
      : [...(index.ingressServices.get(object) ?? [])].some((name) => serviceNames.has(name)),
  );
}

/** Which workloads each Service selects, computed once per (objects, workloads) pair of a rule run. */
const selectionIndex = memoByPair(
  (
    objects: readonly KubernetesObject[],
    workloads: readonly Workload[],
  ): Map<KubernetesObject, Set<string>> => {
    const index = new Map<KubernetesObject, Set<string>>();
    for (const object of objects) {
      if (object.kind === "Service")
        index.set(object, new Set(selectedWorkloads(object, workloads).map((w) => w.object.id)));
    }
    return index;
  },
);

/**
 * The longest explicit deregistration delay of a load balancer that routes to the workload. The 300 s
 * default is not assumed (it would flag nearly every cluster); only a delay written in the file counts.
 */
export function drainDelayFor(
  workload: Workload,
  objects: readonly KubernetesObject[],
  workloads: readonly Workload[],
): DrainDelay | undefined {
  let longest: DrainDelay | undefined;
  for (const object of frontingObjects(workload, objects, workloads)) {
    const delay = explicitDelay(object);
    if (delay && (!longest || delay.seconds > longest.seconds)) longest = delay;
  }
  return longest;
}

/** True when an AWS Load Balancer Controller annotation sits on a Service or Ingress that routes to the workload. */
export function behindAwsLoadBalancer(
  workload: Workload,
  objects: readonly KubernetesObject[],
  workloads: readonly Workload[],
): boolean {
  return frontingObjects(workload, objects, workloads).some((object) =>
    [...annotationsOf(object).keys()].some(
      (name) =>
        name.startsWith("alb.ingress.kubernetes.io/") ||
        name.startsWith("service.beta.kubernetes.io/aws-load-balancer-"),
    ),
  );
}
