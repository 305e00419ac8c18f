// Server pools of every proxy format, normalised to the addresses they send traffic to: nginx upstreams (http and
// stream), HAProxy backend/listen servers and server-templates, Envoy cluster endpoints, Traefik load-balancer
// servers, Kubernetes Endpoints, EndpointSlices and ExternalName Services. For the rule that compares a pool's
// addresses as a whole (lb.pool.readdressed): identity matching pairs servers by name or address, so a
// re-addressed server can look like a removal plus an addition.
import { formatPath, key } from "../../diff/path.js";
import type { Dialect } from "../../formats/dialect.js";
import { child, itemsOf, scalarAt, type ScalarNode, type TreeNode } from "../../formats/tree.js";
import { clusterLabel, clusterPath, clustersOf } from "./envoy/clusters.js";
import { assignmentsOf } from "./envoy/endpoints.js";
import { cloudFormationPath, cloudFormationResources } from "./iac/cloudformation.js";
import { terraformPath, terraformResources } from "./iac/terraform.js";
import {
  haproxySections,
  holdsServers,
  sectionPath,
  type HaproxySection,
} from "./haproxy/sections.js";
import {
  isActive as haproxyActive,
  serversOf as haproxyServers,
  type HaproxyServer,
} from "./haproxy/servers.js";
import { isTemplated, objectPath, objectsOf } from "./kubernetes/objects.js";
import { memoByDialectTree } from "./memo.js";
import { ownDirective, scopedBlocksOf } from "./nginx/blocks.js";
import {
  hasFlag,
  isActive as nginxActive,
  serverPath as nginxServerPath,
  upstreamsOf,
} from "./nginx/upstreams.js";
import { balancerOf, servicePath, servicesOf, serversOf } from "./traefik/services.js";

export interface PoolMember {
  /** As written (`10.0.0.1:8080`, `http://web:80`); `compare` is what two versions are compared by. */
  readonly address: string;
  readonly compare: string;
  readonly line: number;
  readonly path: string;
  /** Takes traffic while healthy (not a backup, not down, weight above 0). */
  readonly active: boolean;
  /** Resolved at run time (nginx `resolve`, HAProxy server-template or `resolvers`): starts empty until DNS answers. */
  readonly discovered: boolean;
}

/** Where a pool's members come from when they are not written in the file. */
export interface DynamicSource {
  /** `state`: an NGINX Plus state file, empty until the API writes it; `discovery`: Envoy EDS, empty until sent. */
  readonly kind: "state" | "discovery";
  readonly line: number;
  readonly text: string;
}

export interface Pool {
  /** Stable across versions, per dialect: `upstream:app`, `backend:app`, `cluster:web`, `http:svc`. */
  readonly key: string;
  readonly name: string;
  /** What kind of pool, for pairing renames: `upstream`, `backend`, `cluster`. */
  readonly type: string;
  readonly label: string;
  readonly line: number;
  readonly path: string;
  readonly members: readonly PoolMember[];
  readonly dynamic?: DynamicSource | undefined;
  /** The pool's addresses are Helm/template placeholders: unknowable until rendered. */
  readonly templated?: boolean;
}

/**
 * Addresses compared case-insensitively, a bare host with its default port, `localhost` as 127.0.0.1, a fully
 * qualified name's trailing dot dropped and a Kubernetes `.svc.cluster.local` name as its `.svc` form (the same name).
 */
function comparable(address: string, defaultPort?: number): string {
  let text = address.trim().toLowerCase().replace(/\/+$/, "");
  text = text.replace(/^([a-z][a-z0-9+.-]*:\/\/)?localhost(?=[:/]|$)/, "$1127.0.0.1");
  text = text
    .replace(/\.svc\.cluster\.local(?=\.?(?:[:/]|$))/, ".svc")
    .replace(/([a-z0-9])\.(?=[:/]|$)/, "$1");
  if (defaultPort !== undefined && !text.startsWith("unix:") && !/:\d+$/.test(text))
    text = `${text}:${defaultPort}`;
  return text;
}

const PASS_DIRECTIVES = ["proxy_pass", "grpc_pass", "uwsgi_pass", "fastcgi_pass", "scgi_pass"];

/**
 * A location that passes to a literal address (`proxy_pass http://10.0.0.5:8080/`) is a pool of one: its address
 * (with the scheme's default port) is what it sends traffic to. A name of an upstream of the file, a variable or a
 * unix socket is not such an address.
 */
function nginxPassPools(tree: TreeNode, upstreams: ReadonlySet<string>): Pool[] {
  return scopedBlocksOf(tree).flatMap((block) => {
    let found: { name: string; node: ScalarNode } | undefined;
    for (const name of PASS_DIRECTIVES) {
      const node = child(block.body, name);
      if (node?.kind === "scalar" && typeof node.value === "string") {
        found = { name, node };
        break;
      }
    }
    if (!found) return [];
    const value = String(found.node.value).trim();
    const match = /^(?:([a-z]+):\/\/)?([^/]+)/i.exec(value);
    const scheme = match?.[1]?.toLowerCase();
    const host = match?.[2];
    if (!host || host.includes("$") || host.startsWith("unix:") || upstreams.has(host)) return [];
    // Without a scheme (stream `proxy_pass`, `fastcgi_pass`), only `host:port` is an address; a bare word names an upstream.
    if (!scheme && !/:\d+$/.test(host)) return [];
    const port = scheme === "https" || scheme === "grpcs" ? 443 : 80;
    return [
      {
        key: `pass:${block.key}`,
        name: block.key,
        type: "location",
        label: `${block.label} (${found.name})`,
        line: found.node.line,
        path: `${block.key}.${found.name}`,
        members: [
          {
            address: host,
            compare: comparable(host, /:\d+$/.test(host) ? undefined : port),
            line: found.node.line,
            path: `${block.key}.${found.name}`,
            active: true,
            discovered: false,
          },
        ],
      },
    ];
  });
}

function nginxPools(tree: TreeNode): Pool[] {
  const upstreams = new Set(upstreamsOf(tree).map((upstream) => upstream.name));
  return [...nginxUpstreamPools(tree), ...nginxPassPools(tree, upstreams)];
}

function nginxUpstreamPools(tree: TreeNode): Pool[] {
  return upstreamsOf(tree).map((upstream) => {
    const state = ownDirective(upstream.body, "state");
    return {
      key: upstream.key,
      name: upstream.name,
      type: upstream.stream ? "stream upstream" : "upstream",
      label: upstream.label,
      line: upstream.line,
      path: formatPath(upstream.path),
      // A server without a port listens on 80 (ngx_http_upstream_module "server"; docs/lb-facts.md §P2).
      members: upstream.servers.map((server) => ({
        address: server.address,
        compare: comparable(server.address, upstream.stream ? undefined : 80),
        line: server.line,
        path: nginxServerPath(upstream, server),
        active: nginxActive(server),
        discovered: hasFlag(server, "resolve"),
      })),
      dynamic: state
        ? { kind: "state", line: state.line, text: `state ${String(state.value)}` }
        : undefined,
    };
  });
}

function haproxyPools(tree: TreeNode): Pool[] {
  return haproxySections(tree)
    .filter(holdsServers)
    .map((section) => ({
      key: section.key,
      name: section.name ?? "",
      type: section.kind,
      label: section.label,
      line: section.line,
      path: sectionPath(section),
      members: haproxyServers(section).flatMap((server) =>
        server.address === undefined ? [] : [new HaproxyMember(section, server, server.address)],
      ),
    }));
}

/** A server as a pool member; its comparable form and path are worked out when first read. */
class HaproxyMember implements PoolMember {
  readonly line: number;
  readonly active: boolean;
  readonly discovered: boolean;
  private comparableAddress: string | undefined;
  private writtenPath: string | undefined;

  constructor(
    private readonly section: HaproxySection,
    private readonly server: HaproxyServer,
    readonly address: string,
  ) {
    this.line = server.line;
    this.active = haproxyActive(server);
    this.discovered =
      server.keyword === "server-template" || child(server.node, "resolvers") !== undefined;
  }

  get compare(): string {
    return (this.comparableAddress ??= comparable(this.address));
  }

  get path(): string {
    return (this.writtenPath ??= sectionPath(this.section, this.server.keyword, this.server.name));
  }
}

/** Envoy clusters whose endpoints come from a management server (`type: EDS`): empty until it sends them. */
function envoyDiscoveredPools(tree: TreeNode, assigned: ReadonlySet<string>): Pool[] {
  return clustersOf(tree).flatMap((cluster): Pool[] => {
    const type = child(cluster.body, "type");
    const eds = child(cluster.body, "eds_cluster_config");
    if (assigned.has(cluster.name)) return [];
    if (!(type?.kind === "scalar" && String(type.value).toUpperCase() === "EDS") && !eds) return [];
    const line = (type ?? eds)!.line;
    return [
      {
        key: `cluster:${cluster.name}`,
        name: cluster.name,
        type: "cluster",
        label: clusterLabel(cluster),
        line,
        path: clusterPath(cluster),
        members: [],
        dynamic: { kind: "discovery", line, text: "type: EDS" },
      },
    ];
  });
}

function envoyPools(tree: TreeNode): Pool[] {
  const assignments = assignmentsOf(tree);
  return [
    ...envoyAssignedPools(assignments),
    ...envoyDiscoveredPools(tree, new Set(assignments.map((assignment) => assignment.name))),
  ];
}

function envoyAssignedPools(assignments: ReturnType<typeof assignmentsOf>): Pool[] {
  return assignments.map((assignment) => ({
    key: `cluster:${assignment.name}`,
    name: assignment.name,
    type: "cluster",
    label: assignment.label,
    line: assignment.endpoints[0]?.line ?? 1,
    path: assignment.path,
    members: assignment.endpoints.map((endpoint) => ({
      address: endpoint.address,
      compare: comparable(endpoint.address),
      line: endpoint.line,
      path: assignment.path,
      active: endpoint.active,
      discovered: false,
    })),
  }));
}

function traefikPools(tree: TreeNode): Pool[] {
  return servicesOf(tree).flatMap((service) => {
    if (!balancerOf(service)) return [];
    return [
      {
        key: service.key,
        name: service.name,
        type: `${service.protocol} service`,
        label: service.label,
        line: service.body.line,
        path: servicePath(service),
        members: serversOf(service).map((server) => ({
          address: server.key,
          compare: comparable(server.key),
          line: server.line,
          path: server.path,
          active: server.weight !== 0,
          discovered: false,
        })),
      },
    ];
  });
}

/** `10.0.0.1:8080` for each address × port of an Endpoints subset or an EndpointSlice. */
function kubernetesPools(tree: TreeNode): Pool[] {
  return objectsOf(tree).flatMap((object): Pool[] => {
    const base = {
      key: object.id,
      name: object.name,
      type: object.kind,
      label: object.label,
      line: object.line,
      path: objectPath(object),
    };
    const member = (address: string, line: number, active: boolean): PoolMember => ({
      address,
      compare: comparable(address),
      line,
      path: objectPath(object),
      active,
      discovered: false,
    });
    const ports = (node: TreeNode | undefined): string[] => {
      const found = itemsOf(child(node, "ports")).flatMap((port) => {
        const value = scalarAt(port, "port");
        return value === undefined || value === null ? [] : [String(value)];
      });
      return found.length > 0 ? found : [""];
    };
    const join = (host: string, port: string): string => (port ? `${host}:${port}` : host);
    switch (object.kind) {
      case "Endpoints": {
        const members = itemsOf(child(object.body, "subsets")).flatMap((subset) =>
          (["addresses", "notReadyAddresses"] as const).flatMap((field) =>
            itemsOf(child(subset, field)).flatMap((entry) => {
              const ip = scalarAt(entry, "ip") ?? scalarAt(entry, "hostname");
              if (ip === undefined || ip === null) return [];
              return ports(subset).map((port) =>
                member(join(String(ip), port), entry.line, field === "addresses"),
              );
            }),
          ),
        );
        return [{ ...base, members, templated: members.some((m) => isTemplated(m.address)) }];
      }
      case "EndpointSlice": {
        const members = itemsOf(child(object.body, "endpoints")).flatMap((endpoint) => {
          const ready = scalarAt(endpoint, "conditions", "ready") !== false;
          return itemsOf(child(endpoint, "addresses")).flatMap((address) =>
            address.kind === "scalar" && address.value !== null
              ? ports(object.body).map((port) =>
                  member(join(String(address.value), port), address.line, ready),
                )
              : [],
          );
        });
        return [{ ...base, members, templated: members.some((m) => isTemplated(m.address)) }];
      }
      case "Service": {
        const external = child(child(object.body, "spec"), "externalName");
        if (scalarAt(object.body, "spec", "type") !== "ExternalName") return [];
        if (external?.kind !== "scalar" || external.value === null) return [];
        const address = String(external.value);
        return [
          {
            ...base,
            path: objectPath(object, key("spec"), key("externalName")),
            members: [member(address, external.line, true)],
            templated: isTemplated(address),
          },
        ];
      }
      default:
        return [];
    }
  });
}

// Terraform resources that each add one member to a pool: the argument naming the pool, and the member's address.
const TERRAFORM_MEMBERS: readonly {
  readonly type: string;
  readonly pool: string;
  readonly address: readonly string[];
  readonly port?: string;
}[] = [
  {
    type: "aws_lb_target_group_attachment",
    pool: "target_group_arn",
    address: ["target_id"],
    port: "port",
  },
  {
    type: "azurerm_lb_backend_address_pool_address",
    pool: "backend_address_pool_id",
    address: ["ip_address"],
  },
  {
    type: "google_compute_network_endpoint",
    pool: "network_endpoint_group",
    address: ["ip_address", "instance"],
    port: "port",
  },
  {
    type: "google_compute_global_network_endpoint",
    pool: "global_network_endpoint_group",
    address: ["fqdn", "ip_address"],
    port: "port",
  },
];

/** A value written in the file (not an expression: `${...}` is unknowable here). */
function literal(node: TreeNode | undefined): string | undefined {
  if (node?.kind !== "scalar" || node.value === null || node.expression) return undefined;
  const text = String(node.value);
  return text.includes("${") ? undefined : text;
}

/**
 * Terraform members grouped by the pool they attach to (the expression naming it). A member whose address is an
 * expression makes its pool unknowable (`templated`), so a refactor of references is not a re-addressing.
 */
function terraformPools(tree: TreeNode): Pool[] {
  const pools = new Map<string, { pool: Pool; members: PoolMember[]; templated: boolean }>();
  for (const spec of TERRAFORM_MEMBERS) {
    for (const resource of terraformResources(tree, [spec.type])) {
      const poolNode = child(resource.body, spec.pool);
      if (poolNode?.kind !== "scalar" || poolNode.value === null) continue;
      const poolKey = `${spec.type}|${String(poolNode.value)}`;
      const addressNode = spec.address.map((name) => child(resource.body, name)).find(Boolean);
      const host = literal(addressNode);
      const port = spec.port ? child(resource.body, spec.port) : undefined;
      const portText = port === undefined ? undefined : literal(port);
      let entry = pools.get(poolKey);
      if (!entry) {
        const name = String(poolNode.value).replace(/^\$\{|\}$/g, "");
        entry = {
          pool: {
            key: poolKey,
            name,
            type: spec.type,
            label: `${name.replace(/\.(arn|id)$/, "")} (through ${spec.type})`,
            line: resource.line,
            path: terraformPath(spec.type, resource.name),
            members: [],
          },
          members: [],
          templated: false,
        };
        pools.set(poolKey, entry);
      }
      if (host === undefined || (port !== undefined && portText === undefined)) {
        entry.templated = true;
        continue;
      }
      const address = portText ? `${host}:${portText}` : host;
      entry.members.push({
        address,
        compare: comparable(address),
        line: addressNode?.line ?? resource.line,
        path: terraformPath(spec.type, resource.name, spec.address[0]!),
        active: true,
        discovered: false,
      });
    }
  }
  return [...pools.values()].map(({ pool, members, templated }) => ({
    ...pool,
    members,
    templated,
  }));
}

/** CloudFormation target groups with their `Targets` (Id and Port, else the group's Port). */
function cloudFormationPools(tree: TreeNode): Pool[] {
  return cloudFormationResources(tree, ["AWS::ElasticLoadBalancingV2::TargetGroup"]).flatMap(
    (group) => {
      const targets = child(group.properties, "Targets");
      if (!targets) return [];
      const groupPort = literal(child(group.properties, "Port"));
      let templated = false;
      const members = itemsOf(targets).flatMap((target): PoolMember[] => {
        const id = literal(child(target, "Id"));
        const portNode = child(target, "Port");
        const port = portNode ? literal(portNode) : groupPort;
        if (id === undefined || (portNode && port === undefined)) {
          templated = true;
          return [];
        }
        const address = port ? `${id}:${port}` : id;
        return [
          {
            address,
            compare: comparable(address),
            line: target.line,
            path: cloudFormationPath(group.logicalId, "Properties", "Targets"),
            active: true,
            discovered: false,
          },
        ];
      });
      return [
        {
          key: group.logicalId,
          name: group.logicalId,
          type: group.type,
          label: `target group ${group.logicalId}`,
          line: group.line,
          path: group.path,
          members,
          templated,
        },
      ];
    },
  );
}

/** The pools of a parsed file of any proxy or Kubernetes dialect; none for other dialects. */
export const poolsOf = memoByDialectTree((dialect: Dialect, tree: TreeNode): Pool[] => {
  switch (dialect) {
    case "nginx":
      return nginxPools(tree);
    case "haproxy":
      return haproxyPools(tree);
    case "envoy":
      return envoyPools(tree);
    case "traefik":
      return traefikPools(tree);
    case "kubernetes":
      return kubernetesPools(tree);
    case "terraform":
      return terraformPools(tree);
    case "cloudformation":
      return cloudFormationPools(tree);
    default:
      return [];
  }
});
