// Kubernetes objects of a manifest (documents, `kind: List` items), paired across versions by kind, namespace
// and name, and the Helm placeholders that make a value unknowable until rendered.
import { formatPath, item, key, type PathSegment } from "../../../diff/path.js";
import { child, entriesOf, itemsOf, scalarAt, type TreeNode } from "../../../formats/tree.js";
import { memoByNode } from "../memo.js";
import { pairBy } from "../pairs.js";

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

/** Every object with a string `kind`, in documents and (one level of) `kind: List` items; once per tree. */
export const kubernetesObjects = memoByNode((tree: TreeNode) => extractObjects(tree));

function extractObjects(tree: TreeNode): KubernetesObject[] {
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

/** A Helm action neutralised by the parser (`'{{ .Values.x }}'` or `__tpl_12__`): unknowable until rendered. */
export function isTemplated(value: unknown): boolean {
  return typeof value === "string" && /\{\{|__tpl_\d+__/.test(value);
}

/**
 * The parser keeps `{{ .Release.Name }}` as written when a side is valid YAML, and turns it into `__tpl_19__`
 * (its length) when the side had to be neutralised: ids use the second form so both versions pair up.
 */
function canonicalId(id: string): string {
  return id.replace(/\{\{-?[\s\S]*?-?\}\}/g, (action) => `__tpl_${action.length}__`);
}

/** Extracted once per tree (many rules read it). */
const pairableObjects = memoByNode((tree: TreeNode): KubernetesObject[] =>
  kubernetesObjects(tree).map((object) => ({ ...object, id: canonicalId(object.id) })),
);

/** The file's Kubernetes objects, with ids that pair across versions even through Helm placeholders. */
export function objectsOf(tree: TreeNode | null): KubernetesObject[] {
  return tree ? pairableObjects(tree) : [];
}

/** Objects of the two versions paired by `Kind/namespace/name`: [before, after]. */
export function pairObjects(
  before: readonly KubernetesObject[],
  after: readonly KubernetesObject[],
): [KubernetesObject | undefined, KubernetesObject | undefined][] {
  return pairBy(before, after, (object) => object.id);
}

/** Both versions of every object present on both sides. */
export function keptObjects(
  before: TreeNode | null,
  after: TreeNode | null,
): [KubernetesObject, KubernetesObject][] {
  return pairObjects(objectsOf(before), objectsOf(after)).filter(
    (pair): pair is [KubernetesObject, KubernetesObject] =>
      pair[0] !== undefined && pair[1] !== undefined,
  );
}

/** A Helm template (neutralised): blocks rendered by actions (`{{ include ... | nindent 8 }}`) are invisible. */
export function hasTemplates(tree: TreeNode | null): boolean {
  const visit = (node: TreeNode): boolean => {
    if (node.kind === "scalar") return isTemplated(node.value);
    if (node.kind === "list") return node.items.some(visit);
    for (const [name, value] of node.entries) if (isTemplated(name) || visit(value)) return true;
    return false;
  };
  return tree !== null && visit(tree);
}
