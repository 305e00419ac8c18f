import { formatPath, item, key, type PathSegment } from "../../diff/path.js";
import { child, entriesOf, itemsOf, scalarAt, type TreeNode } from "../../formats/tree.js";

/** One Kubernetes object of a manifest: a document of a multi-document file or an item of a `kind: List`. */
export interface KubernetesObject {
  readonly kind: string;
  readonly apiVersion: string;
  readonly name: string;
  readonly namespace: string;
  readonly body: TreeNode;
  readonly line: number;
  /** Stable identity across versions: `Deployment/default/web` (no namespace = `default`). */
  readonly id: string;
  /** How a reviewer names it: `Deployment web`. */
  readonly label: string;
  /** Tree path segments of the object, as the semantic diff names them (`[Deployment/web]`). */
  readonly segments: readonly PathSegment[];
}

/** Every object with a string `kind`, in documents and (one level of) `kind: List` items. */
export function kubernetesObjects(tree: TreeNode): KubernetesObject[] {
  const documents = tree.kind === "list" ? tree.items : [tree];
  const multi = tree.kind === "list";
  const out: KubernetesObject[] = [];
  documents.forEach((document, index) => {
    const base = multi ? [item(documentLabel(document, index))] : [];
    if (scalarAt(document, "kind") === "List") {
      itemsOf(child(document, "items")).forEach((entry, itemIndex) => {
        const object = objectOf(entry, [
          ...base,
          key("items"),
          item(documentLabel(entry, itemIndex)),
        ]);
        if (object) out.push(object);
      });
      return;
    }
    const object = objectOf(document, base);
    if (object) out.push(object);
  });
  return out;
}

function objectOf(body: TreeNode, segments: PathSegment[]): KubernetesObject | undefined {
  const kind = scalarAt(body, "kind");
  if (typeof kind !== "string" || body.kind !== "map") return undefined;
  const rawName = scalarAt(body, "metadata", "name") ?? scalarAt(body, "metadata", "generateName");
  const name = rawName === undefined || rawName === null ? `(line ${body.line})` : String(rawName);
  const rawNamespace = scalarAt(body, "metadata", "namespace");
  // An object without a namespace lands in the namespace it is applied to; `default` keeps keys stable.
  const namespace =
    rawNamespace === undefined || rawNamespace === null ? "default" : String(rawNamespace);
  return {
    kind,
    apiVersion: String(scalarAt(body, "apiVersion") ?? ""),
    name,
    namespace,
    body,
    line: body.line,
    id: `${kind}/${namespace}/${name}`,
    label: `${kind} ${name}`,
    segments,
  };
}

/** The label the semantic diff gives a document: `Kind/ns/name`, `Kind/name`, else its index. */
function documentLabel(document: TreeNode, index: number): string {
  const kind = scalarAt(document, "kind");
  const name =
    scalarAt(document, "metadata", "name") ?? scalarAt(document, "metadata", "generateName");
  if (typeof kind !== "string" || (typeof name !== "string" && typeof name !== "number"))
    return String(index);
  const namespace = scalarAt(document, "metadata", "namespace");
  return namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`;
}

/** A path inside an object, formatted like the semantic diff's change paths. */
export function objectPath(object: KubernetesObject, ...segments: PathSegment[]): string {
  return formatPath([...object.segments, ...segments]);
}

export interface Annotation {
  readonly value: string;
  readonly line: number;
}

/** `metadata.annotations` as strings (YAML may type `"30"` as a number when unquoted). */
export function annotationsOf(object: KubernetesObject): Map<string, Annotation> {
  const out = new Map<string, Annotation>();
  for (const [name, node] of entriesOf(child(child(object.body, "metadata"), "annotations"))) {
    if (node.kind !== "scalar" || node.value === null) continue;
    out.set(name, { value: String(node.value), line: node.line });
  }
  return out;
}

/** Line of `metadata.annotations` (or of the object when it has none), for defaulted figures. */
export function annotationsLine(object: KubernetesObject): number {
  const metadata = child(object.body, "metadata");
  return child(metadata, "annotations")?.line ?? metadata?.line ?? object.line;
}
