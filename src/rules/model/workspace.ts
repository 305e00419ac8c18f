// The workspace as cross-file rules read it (docs/architecture.md, "The workspace view"): the
// entities of every file on one side of the change, each with the file it sits in.
import type { Dialect } from "../../formats/dialect.js";
import type { TreeNode } from "../../formats/tree.js";
import type { Workspace, WorkspaceFile } from "../types.js";
import { objectsOf, type KubernetesObject } from "./kubernetes/objects.js";
import { workloadsOf, type Workload } from "./kubernetes/workloads.js";

export type Side = "before" | "after";

/** An entity and the workspace file that holds it. */
export interface Placed<T> {
  readonly file: WorkspaceFile;
  readonly entity: T;
}

/** Kubernetes manifests and Helm templates both hold objects. */
export const KUBERNETES_DIALECTS: readonly Dialect[] = ["kubernetes", "helm-template"];

/** Whether the file is part of the change (not a context file). */
export const isChanged = (file: WorkspaceFile): boolean => file.status !== "unchanged";

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

/** Every Kubernetes object on one side, with its file. */
export function objectsAcross(workspace: Workspace, side: Side): Placed<KubernetesObject>[] {
  return treesOf(workspace, side, KUBERNETES_DIALECTS).flatMap(({ file, entity }) =>
    objectsOf(entity).map((object) => ({ file, entity: object })),
  );
}

/** Every workload on one side, with its file. */
export function workloadsAcross(workspace: Workspace, side: Side): Placed<Workload>[] {
  return treesOf(workspace, side, KUBERNETES_DIALECTS).flatMap(({ file, entity }) =>
    workloadsOf(objectsOf(entity)).map((workload) => ({ file, entity: workload })),
  );
}

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
