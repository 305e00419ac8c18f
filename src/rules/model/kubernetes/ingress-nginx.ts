// Where ingress-nginx settings live: Ingress annotations (`nginx.ingress.kubernetes.io/KEY`) for one Ingress,
// and the controller's ConfigMap (`KEY`) for every Ingress it serves (docs/lb-facts.md §P5b).
import { child, entriesOf } from "../../../formats/tree.js";
import { annotationsOf, type KubernetesObject } from "./objects.js";

export const INGRESS_NGINX = "nginx.ingress.kubernetes.io/";

export interface NginxSetting {
  readonly value: string;
  readonly line: number;
  /** Where it is written: `metadata.annotations` or `data`. */
  readonly field: "annotations" | "data";
}

/** The controller's ConfigMap, by the names the project's manifests and chart give it. */
function isIngressNginxConfigMap(object: KubernetesObject): boolean {
  return (
    object.kind === "ConfigMap" &&
    /ingress-nginx|nginx-ingress|nginx-configuration/.test(object.name) &&
    !/tcp-services|udp-services/.test(object.name)
  );
}

/** Settings of an Ingress (annotations) or of the controller's ConfigMap (data), by bare key. */
export function nginxSettings(object: KubernetesObject): Map<string, NginxSetting> | undefined {
  const out = new Map<string, NginxSetting>();
  if (object.kind === "Ingress") {
    for (const [name, annotation] of annotationsOf(object)) {
      if (name.startsWith(INGRESS_NGINX))
        out.set(name.slice(INGRESS_NGINX.length), { ...annotation, field: "annotations" });
    }
    return out;
  }
  if (!isIngressNginxConfigMap(object)) return undefined;
  for (const [name, node] of entriesOf(child(object.body, "data"))) {
    if (node.kind === "scalar" && node.value !== null)
      out.set(name, { value: String(node.value), line: node.line, field: "data" });
  }
  return out;
}
