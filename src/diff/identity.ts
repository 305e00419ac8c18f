import { scalarAt, type TreeNode } from "../formats/tree.js";

/**
 * How list items are recognised across versions, so a reordered or moved item is not a delete
 * plus an add. The first identity that names every item of both lists uniquely wins.
 */
export interface Identity {
  /** `of` returns the item's identity, or undefined when this identity does not apply. */
  readonly of: (item: TreeNode) => string | undefined;
  /** Path label for an item: `name=web`, `Deployment/web`. */
  readonly label: (identity: string) => string;
}

const byKey = (name: string): Identity => ({
  of: (item) => {
    const value = scalarAt(item, name);
    return value === undefined || value === null || typeof value === "boolean"
      ? undefined
      : String(value);
  },
  label: (identity) => `${name}=${identity}`,
});

/** Kubernetes objects (documents of a manifest, items of a List): kind, namespace and name. */
const kubernetesObject: Identity = {
  of: (item) => {
    const kind = scalarAt(item, "kind");
    const name = scalarAt(item, "metadata", "name") ?? scalarAt(item, "metadata", "generateName");
    if (typeof kind !== "string" || (typeof name !== "string" && typeof name !== "number"))
      return undefined;
    const namespace = scalarAt(item, "metadata", "namespace");
    return namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`;
  },
  label: (identity) => identity,
};

/** Envoy endpoints: `endpoint.address.socket_address` host and port. */
const envoyEndpoint: Identity = {
  of: (item) => {
    const address = scalarAt(item, "endpoint", "address", "socket_address", "address");
    const port = scalarAt(item, "endpoint", "address", "socket_address", "port_value");
    return typeof address === "string" ? `${address}:${port ?? ""}` : undefined;
  },
  label: (identity) => `endpoint=${identity}`,
};

/** Envoy `socket_address` lists, Traefik servers and similar: an address and a port. */
const socketAddress: Identity = {
  of: (item) => {
    const address = scalarAt(item, "socket_address", "address");
    const port = scalarAt(item, "socket_address", "port_value");
    return typeof address === "string" ? `${address}:${port ?? ""}` : undefined;
  },
  label: (identity) => `address=${identity}`,
};

/** Ordered by how reliably each names an item in real configs. */
export const IDENTITIES: readonly Identity[] = [
  kubernetesObject,
  byKey("name"),
  byKey("Name"),
  byKey("id"),
  byKey("Id"),
  byKey("Key"),
  byKey("key"),
  byKey("Sid"),
  envoyEndpoint,
  socketAddress,
  byKey("url"),
  byKey("address"),
  byKey("server_name"),
  byKey("host"),
  byKey("path"),
  byKey("mountPath"),
  byKey("containerPort"),
  byKey("port"),
  byKey("cluster"),
  byKey("type"),
];

/** Picks the identity that names every item of both lists, uniquely within each list. */
export function chooseIdentity(
  before: readonly TreeNode[],
  after: readonly TreeNode[],
): Identity | undefined {
  if (before.length + after.length === 0) return undefined;
  if (![...before, ...after].every((item) => item.kind === "map")) return undefined;
  return IDENTITIES.find((identity) => names(identity, before) && names(identity, after));
}

function names(identity: Identity, items: readonly TreeNode[]): boolean {
  const seen = new Set<string>();
  for (const item of items) {
    const id = identity.of(item);
    if (id === undefined || seen.has(id)) return false;
    seen.add(id);
  }
  return true;
}
