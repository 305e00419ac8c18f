// Load-balancer-like things of each proxy and Kubernetes format, with a content print for spotting renames.
// Terraform and CloudFormation resources are the cloud families' (their deletion rules read the resource types).
import { formatPath, key } from "../../diff/path.js";
import type { Dialect } from "../../formats/dialect.js";
import { child, entriesOf, fingerprint, itemsOf, type TreeNode } from "../../formats/tree.js";
import { envoyClusters } from "./envoy/clusters.js";
import { haproxySections, holdsServers, sectionPath } from "./haproxy/sections.js";
import { isTemplated, objectPath, objectsOf } from "./kubernetes/objects.js";
import { upstreamsOf } from "./nginx/upstreams.js";
import { listenersOf } from "./proxy-listeners.js";
import { childFold } from "./traefik/keys.js";

export interface LbResource {
  readonly key: string;
  /** What kind of thing, for messages and for matching renames: `upstream`, `backend`, `Service`. */
  readonly type: string;
  readonly name: string;
  readonly label: string;
  readonly line: number;
  readonly path: string;
  /** The content without the name: equal prints on both sides of a removal and an addition mean a rename. */
  readonly print: string;
  /** The name is a Helm placeholder: unknowable, so a "removal" may be the same object. */
  readonly templatedName: boolean;
  /** Traefik v1 (`backends`/`frontends`) as opposed to v2+; a file migrated between them renames everything. */
  readonly traefikVersion?: 1 | undefined;
}

/** Kubernetes kinds that carry traffic: Services, Ingresses, Gateway API, Istio and Traefik routing objects. */
const ROUTING_KINDS = new Set([
  "Service",
  "Ingress",
  "Gateway",
  "HTTPRoute",
  "GRPCRoute",
  "TCPRoute",
  "TLSRoute",
  "UDPRoute",
  "VirtualService",
  "IngressRoute",
  "IngressRouteTCP",
  "IngressRouteUDP",
  "TraefikService",
]);

function resource(
  type: string,
  name: string,
  body: TreeNode,
  path: string,
  print = fingerprint(body),
  traefikVersion?: 1,
): LbResource {
  return {
    key: `${type}:${name}`,
    type,
    name,
    label: `${type} ${name}`,
    line: body.line,
    path,
    print,
    templatedName: isTemplated(name),
    ...(traefikVersion ? { traefikVersion } : {}),
  };
}

/** A map's print without one key (Envoy clusters carry their own name). */
function printWithout(body: TreeNode, omitted: string): string {
  return entriesOf(body)
    .filter(([name]) => name !== omitted)
    .map(([name, value]) => `${name}=${fingerprint(value)}`)
    .sort()
    .join(",");
}

function traefikResources(tree: TreeNode): LbResource[] {
  const documents = tree.kind === "list" ? tree.items : [tree];
  const out: LbResource[] = [];
  for (const document of documents) {
    for (const protocol of ["http", "tcp", "udp"]) {
      const section = childFold(document, protocol);
      for (const kind of ["services", "routers"]) {
        const found = childFold(section?.[1], kind);
        if (!section || !found) continue;
        for (const [name, body] of entriesOf(found[1]))
          out.push(
            resource(
              `${protocol} ${kind === "services" ? "service" : "router"}`,
              name,
              body,
              formatPath([key(section[0]), key(found[0]), key(name)]),
            ),
          );
      }
    }
    // The v2 pre-release layout: top-level `services.NAME.loadbalancer` and `routers`.
    const services = childFold(document, "services");
    if (entriesOf(services?.[1]).some(([, body]) => childFold(body, "loadBalancer"))) {
      for (const kind of ["services", "routers"]) {
        const found = childFold(document, kind);
        for (const [name, body] of entriesOf(found?.[1]))
          out.push(
            resource(
              `http ${kind === "services" ? "service" : "router"}`,
              name,
              body,
              formatPath([key(found![0]), key(name)]),
            ),
          );
      }
    }
    // Traefik v1: backends and frontends.
    for (const kind of ["backends", "frontends"]) {
      const found = childFold(document, kind);
      for (const [name, body] of entriesOf(found?.[1]))
        out.push(
          resource(
            kind.slice(0, -1),
            name,
            body,
            formatPath([key(found![0]), key(name)]),
            undefined,
            1,
          ),
        );
    }
  }
  return out;
}

export function lbResourcesOf(dialect: Dialect, tree: TreeNode | null): LbResource[] {
  if (!tree) return [];
  switch (dialect) {
    case "nginx":
      return upstreamsOf(tree).map((upstream) =>
        resource(
          upstream.stream ? "stream upstream" : "upstream",
          upstream.name,
          upstream.body,
          formatPath(upstream.path),
        ),
      );
    case "haproxy": {
      const frontends = entriesOf(child(tree, "frontend")).flatMap(([name, node]) =>
        itemsOf(node).map((body) =>
          resource("frontend", name, body, formatPath([key("frontend"), key(name)])),
        ),
      );
      return [
        ...haproxySections(tree)
          .filter(holdsServers)
          .map((proxy) => resource(proxy.kind, proxy.name ?? "", proxy.body, sectionPath(proxy))),
        ...frontends,
      ];
    }
    case "envoy": {
      const clusters = envoyClusters(tree).map((cluster) =>
        resource(
          "cluster",
          cluster.name,
          cluster.body,
          formatPath(cluster.segments),
          printWithout(cluster.body, "name"),
        ),
      );
      // Unnamed listeners have no identity across versions: only named ones can be said to be deleted.
      const listeners = listenersOf("envoy", tree)
        .filter((listener) => listener.key.startsWith("listener:"))
        .map((listener) => ({
          ...resource(
            "listener",
            listener.key.slice("listener:".length),
            listener.body,
            listener.path,
          ),
          print: listener.binds.map((bind) => bind.address).join(","),
        }));
      return [...clusters, ...listeners];
    }
    case "traefik":
      return traefikResources(tree);
    case "kubernetes":
      return objectsOf(tree)
        .filter((object) => ROUTING_KINDS.has(object.kind))
        .map((object) => ({
          ...resource(object.kind, object.name, object.body, objectPath(object)),
          key: object.id,
          label: object.label,
          print: `${object.namespace}|${fingerprint(child(object.body, "spec") ?? object.body)}`,
        }));
    default:
      return [];
  }
}

/** Every string value of a tree: where references to a name (proxy_pass, use_backend, cluster, service) live. */
export function stringValues(tree: TreeNode | null): string[] {
  const out: string[] = [];
  const visit = (node: TreeNode): void => {
    if (node.kind === "scalar") {
      if (typeof node.value === "string") out.push(node.value);
    } else if (node.kind === "list") node.items.forEach(visit);
    else for (const value of node.entries.values()) visit(value);
  };
  if (tree) visit(tree);
  return out;
}

/** Does a name appear as a whole word (not inside a longer host or identifier) in any of the strings? */
export function referenced(name: string, strings: readonly string[]): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const word = new RegExp(`(^|[^\\w.-])${escaped}($|[^\\w.-])`);
  return strings.some((text) => word.test(text));
}
