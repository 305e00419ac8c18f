// The workspace as cross-file rules read it (docs/architecture.md, "The workspace view"): the
// entities of every file on one side of the change, each with the file it sits in.
import type { Dialect } from "../../formats/dialect.js";
import { child, scalarAt, type TreeNode } from "../../formats/tree.js";
import type { FileUnderReview, Workspace, WorkspaceFile } from "../types.js";
import {
  annotationsOf,
  isTemplated,
  objectsOf,
  type KubernetesObject,
} from "./kubernetes/objects.js";
import {
  ingressServiceNames,
  selectorOf,
  selects,
  workloadsOf,
  type Workload,
} from "./kubernetes/workloads.js";

export type Side = "before" | "after";

/** An entity and the workspace file that holds it. */
export interface Placed<T> {
  readonly file: WorkspaceFile;
  readonly entity: T;
}

/** Kubernetes manifests and Helm templates both hold objects. */
export const KUBERNETES_DIALECTS: readonly Dialect[] = ["kubernetes", "helm-template"];

/** Whether the file is part of the change (not a context file). */
export function isChanged(file: WorkspaceFile): file is WorkspaceFile & FileUnderReview {
  return file.status !== "unchanged";
}

/** The trees of one side of the workspace, for files of the given dialects. */
export function treesOf(
  workspace: Workspace,
  side: Side,
  dialects: readonly Dialect[],
): Placed<TreeNode>[] {
  return workspace.files.flatMap((file) => {
    const tree = file[side];
    return tree && dialects.includes(file.dialect) ? [{ file, entity: tree }] : [];
  });
}

/** Per workspace and side, computed once however many rules ask. */
export function memoBySide<T>(
  extract: (workspace: Workspace, side: Side) => T,
): (workspace: Workspace, side: Side) => T {
  const cache = new WeakMap<Workspace, Map<Side, T>>();
  return (workspace, side) => {
    let sides = cache.get(workspace);
    if (!sides) cache.set(workspace, (sides = new Map()));
    if (!sides.has(side)) sides.set(side, extract(workspace, side));
    return sides.get(side)!;
  };
}

/** Every Kubernetes object on one side, with its file. */
export const objectsAcross = memoBySide((workspace, side): Placed<KubernetesObject>[] =>
  treesOf(workspace, side, KUBERNETES_DIALECTS).flatMap(({ file, entity }) =>
    objectsOf(entity).map((object) => ({ file, entity: object })),
  ),
);

/** Every workload on one side, with its file. */
export const workloadsAcross = memoBySide((workspace, side): Placed<Workload>[] =>
  treesOf(workspace, side, KUBERNETES_DIALECTS).flatMap(({ file, entity }) =>
    workloadsOf(objectsOf(entity)).map((workload) => ({ file, entity: workload })),
  ),
);

/** The first entity with the identity, wherever it sits (a moved object keeps its identity). */
export function byIdentity<T>(
  placed: readonly Placed<T>[],
  identity: (entity: T) => string,
): Map<string, Placed<T>> {
  const out = new Map<string, Placed<T>>();
  for (const entry of placed) {
    const id = identity(entry.entity);
    if (!out.has(id)) out.set(id, entry);
  }
  return out;
}

/** What routes to a workload across the workspace: the Services that select its pods, the Ingresses
 * that send to those Services, and the GKE BackendConfigs those Services name. */
export interface Fronts {
  readonly services: readonly Placed<KubernetesObject>[];
  readonly ingresses: readonly Placed<KubernetesObject>[];
  readonly backendConfigs: readonly Placed<KubernetesObject>[];
}

// GKE: a Service names its BackendConfig in `cloud.google.com/backend-config` (or the beta
// annotation) as `{"default": "NAME"}` or `{"ports": {"80": "NAME"}}`
// (https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration#associating_backendconfig_with_your_ingress).
const BACKEND_CONFIG_ANNOTATIONS = [
  "cloud.google.com/backend-config",
  "beta.cloud.google.com/backend-config",
];

function backendConfigNames(service: KubernetesObject): Set<string> {
  const names = new Set<string>();
  const annotations = annotationsOf(service);
  for (const annotation of BACKEND_CONFIG_ANNOTATIONS) {
    const text = annotations.get(annotation)?.value;
    if (!text) continue;
    for (const match of text.matchAll(/:\s*"([^"]+)"/g)) names.add(match[1]!);
  }
  return names;
}

export function frontsOf(workload: Workload, objects: readonly Placed<KubernetesObject>[]): Fronts {
  const namespace = workload.object.namespace;
  const services = objects.filter(({ entity }) => {
    if (entity.kind !== "Service" || entity.namespace !== namespace) return false;
    const selector = selectorOf(entity);
    return selector !== undefined && selects(selector, workload.podLabels) === true;
  });
  const serviceNames = new Set(services.map(({ entity }) => entity.name));
  const ingresses = objects.filter(
    ({ entity }) =>
      entity.kind === "Ingress" &&
      entity.namespace === namespace &&
      [...ingressServiceNames(entity)].some((name) => serviceNames.has(name)),
  );
  const configNames = new Set(services.flatMap(({ entity }) => [...backendConfigNames(entity)]));
  const backendConfigs = objects.filter(
    ({ entity }) =>
      entity.kind === "BackendConfig" &&
      entity.namespace === namespace &&
      configNames.has(entity.name),
  );
  return { services, ingresses, backendConfigs };
}

/**
 * The target groups the AWS Load Balancer Controller registers the pods of `services` in: a TargetGroupBinding
 * whose `serviceRef` is one of them names its group by `targetGroupName` or by ARN (`…:targetgroup/NAME/ID`).
 * "any" when a binding names its group in a way this cannot read (a variable, an ARN from elsewhere).
 * An empty set when no binding names them, so a Terraform target group beside them may belong to anything (an
 * ECS service, another cluster)
 * (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/targetgroupbinding/targetgroupbinding/).
 */
export function boundTargetGroups(
  objects: readonly Placed<KubernetesObject>[],
  services: readonly Placed<KubernetesObject>[],
): Set<string> | "any" {
  const names = new Set<string>();
  for (const { entity } of objects) {
    if (entity.kind !== "TargetGroupBinding") continue;
    const spec = child(entity.body, "spec");
    const ref = scalarAt(spec, "serviceRef", "name");
    const fronting = services.some(
      (service) => service.entity.name === ref && service.entity.namespace === entity.namespace,
    );
    if (!fronting) continue;
    const byName = scalarAt(spec, "targetGroupName");
    const arn = /:targetgroup\/([^/]+)\//.exec(String(scalarAt(spec, "targetGroupARN") ?? ""));
    const name = typeof byName === "string" ? byName : arn?.[1];
    if (name === undefined || isTemplated(name)) return "any";
    names.add(name);
  }
  return names;
}
