// Envoy routes of every virtual host (HCM route_config, RouteConfiguration resources), with their target cluster
// and hash policy.
import { formatPath, item, key, type PathSegment } from "../../../diff/path.js";
import { entriesOf, fingerprint, itemsOf, scalarAt, type TreeNode } from "../../../formats/tree.js";
import { field } from "./fields.js";

export interface EnvoyRoute {
  /** Route configuration, virtual host and match: stable across versions when the route is kept. */
  readonly key: string;
  readonly label: string;
  readonly line: number;
  /** The target cluster (a plain `cluster`; weighted and header-named clusters are not followed). */
  readonly cluster: string | undefined;
  readonly hashPolicy: TreeNode | undefined;
  /** Tree path of the route's hash_policy. */
  readonly path: string;
}

/** Every route of every virtual host in the file (HCM route_config, RouteConfiguration resources). */
export function routesOf(tree: TreeNode | null): EnvoyRoute[] {
  const out: EnvoyRoute[] = [];
  const seen = new Map<string, number>();
  const visit = (node: TreeNode, configName: string, segments: PathSegment[]): void => {
    if (node.kind === "list") {
      node.items.forEach((entry, index) =>
        visit(entry, configName, [...segments, item(String(index))]),
      );
      return;
    }
    if (node.kind !== "map") return;
    const hosts = field(node, "virtual_hosts");
    const name = scalarAt(node, "name");
    const here = hosts && typeof name === "string" ? name : configName;
    itemsOf(hosts).forEach((host, hostIndex) => {
      const hostName = String(scalarAt(host, "name") ?? "");
      itemsOf(field(host, "routes")).forEach((route, routeIndex) => {
        const match = field(route, "match");
        const base = `${here}/${hostName}/${match ? fingerprint(match) : ""}`;
        const n = (seen.get(base) ?? 0) + 1;
        seen.set(base, n);
        const action = field(route, "route");
        const cluster = scalarAt(field(action, "cluster"));
        const prefix = match ? (scalarAt(match, "prefix") ?? scalarAt(match, "path")) : undefined;
        out.push({
          key: n > 1 ? `${base}#${n}` : base,
          label: `route ${prefix === undefined ? `#${routeIndex + 1}` : `"${String(prefix)}"`} of virtual host "${hostName}"`,
          path: formatPath([
            ...segments,
            key("virtual_hosts"),
            item(String(hostIndex)),
            key("routes"),
            item(String(routeIndex)),
            key("route"),
            key("hash_policy"),
          ]),
          line: route.line,
          cluster: typeof cluster === "string" ? cluster : undefined,
          hashPolicy: field(action, "hash_policy"),
        });
      });
    });
    for (const [entryKey, value] of entriesOf(node))
      if (value !== hosts) visit(value, here, [...segments, key(entryKey)]);
  };
  if (tree) visit(tree, "", []);
  return out;
}
