/** One step of a change's path: a map key, or a list item named by its identity. */
export type PathSegment =
  | { readonly kind: "key"; readonly key: string }
  | { readonly kind: "item"; readonly label: string };

const BARE_KEY = /^[A-Za-z0-9_\-/$@*:]+$/;

/** `spec.containers[name=web].readinessProbe`, with keys that hold dots quoted: `annotations["a.b/c"]`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = "";
  for (const segment of segments) {
    if (segment.kind === "item") out += `[${segment.label}]`;
    else if (BARE_KEY.test(segment.key)) out += out === "" ? segment.key : `.${segment.key}`;
    else out += `[${JSON.stringify(segment.key)}]`;
  }
  return out;
}

export const key = (name: string): PathSegment => ({ kind: "key", key: name });
export const item = (label: string): PathSegment => ({ kind: "item", label });
