// Session affinity of Services (sessionAffinity: ClientIP) and of ingress-nginx Ingresses (affinity annotations).
import { key } from "../../../diff/path.js";
import { child, scalarAt } from "../../../formats/tree.js";
import type { Affinity } from "../affinity.js";
import { numberAt, toNumber, withDefault, type Figure } from "../figures.js";
import { annotationsLine, annotationsOf, objectPath, type KubernetesObject } from "./objects.js";
import { INGRESS_NGINX } from "./ingress-nginx.js";

// Service sessionAffinity: None by default; ClientIP lasts sessionAffinityConfig.clientIP.timeoutSeconds,
// default 10800 s (kubernetes/api core/v1 types.go; docs/lb-facts.md §P5a).
export function serviceAffinities(objects: readonly KubernetesObject[]): Affinity[] {
  return objects
    .filter((object) => object.kind === "Service")
    .map((object) => {
      const spec = child(object.body, "spec");
      const node = child(spec, "sessionAffinity");
      const mode = String(scalarAt(node) ?? "None");
      const enabled = mode === "ClientIP";
      const timeoutNode = child(
        child(child(spec, "sessionAffinityConfig"), "clientIP"),
        "timeoutSeconds",
      );
      const line = node?.line ?? spec?.line ?? object.line;
      return {
        key: object.id,
        label: object.label,
        path: objectPath(object, key("spec"), key("sessionAffinity")),
        line,
        enabled,
        mode,
        durationSeconds: enabled
          ? withDefault(numberAt(timeoutNode), 10800, line, timeoutNode !== undefined)
          : undefined,
      };
    });
}

// ingress-nginx annotations (docs/lb-facts.md §P5b): `affinity: cookie` pins by a cookie named
// INGRESSCOOKIE unless renamed, a session cookie unless max-age/expires is set; `upstream-hash-by` hashes
// on a variable. Cookie affinity wins over upstream-hash-by (ingress-nginx balancer picks sticky first).
// affinity-mode (balanced/persistent) is not part of the mode: both read the same cookie, so switching
// does not re-pin existing sessions.
export function ingressNginxAffinities(objects: readonly KubernetesObject[]): Affinity[] {
  return objects
    .filter((object) => object.kind === "Ingress")
    .map((object) => {
      const annotations = annotationsOf(object);
      const affinity = annotations.get(`${INGRESS_NGINX}affinity`);
      const hashBy = annotations.get(`${INGRESS_NGINX}upstream-hash-by`);
      const cookie = affinity?.value.trim().toLowerCase() === "cookie";
      const hash = !cookie && hashBy !== undefined && hashBy.value.trim() !== "";
      const maxAge =
        annotations.get(`${INGRESS_NGINX}session-cookie-max-age`) ??
        annotations.get(`${INGRESS_NGINX}session-cookie-expires`);
      const seconds = toNumber(maxAge?.value);
      const duration: Figure | undefined =
        cookie && maxAge && seconds !== undefined
          ? { value: seconds, line: maxAge.line, explicit: true }
          : undefined;
      const where = cookie
        ? `${INGRESS_NGINX}affinity`
        : hash
          ? `${INGRESS_NGINX}upstream-hash-by`
          : undefined;
      return {
        key: `${object.id}:ingress-nginx`,
        label: `ingress-nginx affinity of ${object.label}`,
        path: objectPath(
          object,
          key("metadata"),
          key("annotations"),
          ...(where ? [key(where)] : []),
        ),
        line:
          (cookie ? affinity?.line : hash ? hashBy?.line : undefined) ?? annotationsLine(object),
        enabled: cookie || hash,
        mode: cookie ? "cookie" : hash ? `hash ${hashBy!.value.trim()}` : undefined,
        cookieName: cookie
          ? (annotations.get(`${INGRESS_NGINX}session-cookie-name`)?.value ?? "INGRESSCOOKIE")
          : undefined,
        durationSeconds: duration,
      };
    });
}
