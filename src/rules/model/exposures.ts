// Inbound allow rules, normalised: which sources may reach which ports. Security groups and firewalls
// (Terraform, CloudFormation) and Kubernetes source ranges (Service, AWS LBC Ingress, NetworkPolicy).
import { key } from "../../diff/path.js";
import type { Dialect } from "../../formats/dialect.js";
import { at, child, entriesOf, itemsOf, scalarAt, type TreeNode } from "../../formats/tree.js";
import { toNumber } from "./figures.js";
import { cloudFormationResources } from "./iac/cloudformation.js";
import { terraformResources } from "./iac/terraform.js";
import { annotationsOf, isTemplated, objectPath, objectsOf } from "./kubernetes/objects.js";

/** A port range; `all` is every port (AWS protocol -1, GCP allow without ports, Azure `*`). */
export type Ports = readonly [number, number][] | "all";

export interface Exposure {
  /** The rule's identity across versions: its owner and its ports. */
  readonly key: string;
  /** The owner's identity alone: an exposure whose owner already existed was widened, not created. */
  readonly owner: string;
  readonly label: string;
  readonly line: number;
  readonly path: string;
  /** The sources as written; `undefined` entries were unknowable (expressions). */
  readonly sources: readonly string[];
  /** Open to any address on the internet. */
  readonly world: boolean;
  readonly ports: Ports;
}

// Any IPv4 or IPv6 address; Azure's `*`, `Internet` and `Any` service tags mean the same (azurerm
// network_security_rule docs; judgement, docs/lb-facts.md §8).
const WORLD = new Set(["0.0.0.0/0", "::/0", "0.0.0.0", "*", "internet", "any"]);

/** Any address: a world word above, or any CIDR with a /0 prefix (`::0/0`, `0::/0`, `0:0:0:0:0:0:0:0/0`). */
export const isWorld = (source: string): boolean => {
  const text = source.trim().toLowerCase();
  return WORLD.has(text) || /^[0-9a-f.:]+\/0$/.test(text);
};

const strings = (node: TreeNode | undefined): string[] =>
  itemsOf(node).flatMap((item) =>
    item.kind === "scalar" && typeof item.value === "string" && !item.value.includes("${")
      ? [item.value]
      : [],
  );

export function showPorts(ports: Ports): string {
  if (ports === "all") return "all ports";
  return ports.map(([low, high]) => (low === high ? String(low) : `${low}-${high}`)).join(", ");
}

function rangeOf(text: string): [number, number] | undefined {
  const match = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(text);
  return match ? [Number(match[1]), Number(match[2] ?? match[1])] : undefined;
}

const ranges = (text: string): [number, number][] => {
  const range = rangeOf(text);
  return range ? [range] : [];
};

function awsPorts(from: unknown, to: unknown, protocol: unknown): Ports {
  const proto = String(protocol ?? "").toLowerCase();
  if (proto === "-1" || proto === "all") return "all";
  const low = toNumber(from);
  const high = toNumber(to) ?? low;
  if (low === undefined || high === undefined) return "all";
  // AWS writes "all ports" of a protocol as 0-65535 (or -1 for ICMP).
  return low <= 0 && high >= 65535 ? "all" : [[low, high]];
}

function exposure(
  owner: string,
  label: string,
  node: TreeNode,
  path: string,
  sources: string[],
  ports: Ports,
): Exposure {
  return {
    key: `${owner}|${showPorts(ports)}`,
    owner,
    label,
    line: node.line,
    path,
    sources,
    world: sources.some(isWorld),
    ports,
  };
}

function terraformExposures(tree: TreeNode): Exposure[] {
  const out: Exposure[] = [];
  for (const resource of terraformResources(tree, ["aws_security_group"])) {
    for (const rule of itemsOf(child(resource.body, "ingress"))) {
      const sources = [
        ...strings(child(rule, "cidr_blocks")),
        ...strings(child(rule, "ipv6_cidr_blocks")),
      ];
      const ports = awsPorts(
        scalarAt(rule, "from_port"),
        scalarAt(rule, "to_port"),
        scalarAt(rule, "protocol"),
      );
      out.push(
        exposure(
          resource.path,
          `security group ${resource.name}`,
          child(rule, "cidr_blocks") ?? rule,
          resource.path,
          sources,
          ports,
        ),
      );
    }
  }
  for (const resource of terraformResources(tree, ["aws_security_group_rule"])) {
    if (scalarAt(resource.body, "type") !== "ingress") continue;
    const body = resource.body;
    const sources = [
      ...strings(child(body, "cidr_blocks")),
      ...strings(child(body, "ipv6_cidr_blocks")),
    ];
    const ports = awsPorts(
      scalarAt(body, "from_port"),
      scalarAt(body, "to_port"),
      scalarAt(body, "protocol"),
    );
    out.push(
      exposure(
        resource.path,
        `security group rule ${resource.name}`,
        child(body, "cidr_blocks") ?? body,
        resource.path,
        sources,
        ports,
      ),
    );
  }
  for (const resource of terraformResources(tree, ["aws_vpc_security_group_ingress_rule"])) {
    const body = resource.body;
    const sources = [...strings(child(body, "cidr_ipv4")), ...strings(child(body, "cidr_ipv6"))];
    const ports = awsPorts(
      scalarAt(body, "from_port"),
      scalarAt(body, "to_port"),
      scalarAt(body, "ip_protocol"),
    );
    out.push(
      exposure(
        resource.path,
        `security group ingress rule ${resource.name}`,
        child(body, "cidr_ipv4") ?? child(body, "cidr_ipv6") ?? body,
        resource.path,
        sources,
        ports,
      ),
    );
  }
  for (const resource of terraformResources(tree, ["google_compute_firewall"])) {
    const body = resource.body;
    const direction = String(scalarAt(body, "direction") ?? "INGRESS").toUpperCase();
    if (direction !== "INGRESS" || scalarAt(body, "disabled") === true) continue;
    const allows = itemsOf(child(body, "allow"));
    if (allows.length === 0) continue;
    const ports: Ports = allows.some(
      (allow) =>
        strings(child(allow, "ports")).length === 0 &&
        String(scalarAt(allow, "protocol") ?? "") !== "icmp",
    )
      ? "all"
      : allows.flatMap((allow) => strings(child(allow, "ports")).flatMap((text) => ranges(text)));
    out.push(
      exposure(
        resource.path,
        `firewall ${resource.name}`,
        child(body, "source_ranges") ?? body,
        resource.path,
        strings(child(body, "source_ranges")),
        ports,
      ),
    );
  }
  const azureRule = (owner: string, label: string, rule: TreeNode, path: string) => {
    if (String(scalarAt(rule, "direction") ?? "").toLowerCase() !== "inbound") return;
    if (String(scalarAt(rule, "access") ?? "").toLowerCase() !== "allow") return;
    const sources = [
      ...strings(child(rule, "source_address_prefix")),
      ...strings(child(rule, "source_address_prefixes")),
    ];
    const portTexts = [
      ...strings(child(rule, "destination_port_range")),
      ...strings(child(rule, "destination_port_ranges")),
    ];
    const ports: Ports =
      portTexts.length === 0 || portTexts.includes("*")
        ? "all"
        : portTexts.flatMap((text) => ranges(text));
    out.push(
      exposure(
        owner,
        label,
        child(rule, "source_address_prefix") ?? child(rule, "source_address_prefixes") ?? rule,
        path,
        sources,
        ports,
      ),
    );
  };
  for (const resource of terraformResources(tree, ["azurerm_network_security_rule"]))
    azureRule(
      resource.path,
      `network security rule ${resource.name}`,
      resource.body,
      resource.path,
    );
  for (const resource of terraformResources(tree, ["azurerm_network_security_group"]))
    for (const rule of itemsOf(child(resource.body, "security_rule"))) {
      const name = String(scalarAt(rule, "name") ?? "?");
      azureRule(
        `${resource.path}:${name}`,
        `rule ${name} of network security group ${resource.name}`,
        rule,
        resource.path,
      );
    }
  return out;
}

function cloudFormationExposures(tree: TreeNode): Exposure[] {
  const out: Exposure[] = [];
  const add = (owner: string, label: string, rule: TreeNode, path: string) => {
    const sources = [...strings(child(rule, "CidrIp")), ...strings(child(rule, "CidrIpv6"))];
    const ports = awsPorts(
      scalarAt(rule, "FromPort"),
      scalarAt(rule, "ToPort"),
      scalarAt(rule, "IpProtocol"),
    );
    out.push(
      exposure(
        owner,
        label,
        child(rule, "CidrIp") ?? child(rule, "CidrIpv6") ?? rule,
        path,
        sources,
        ports,
      ),
    );
  };
  for (const resource of cloudFormationResources(tree, ["AWS::EC2::SecurityGroup"]))
    for (const rule of itemsOf(child(resource.properties, "SecurityGroupIngress")))
      add(resource.path, `security group ${resource.logicalId}`, rule, resource.path);
  for (const resource of cloudFormationResources(tree, ["AWS::EC2::SecurityGroupIngress"]))
    if (resource.properties)
      add(
        resource.path,
        `security group ingress ${resource.logicalId}`,
        resource.properties,
        resource.path,
      );
  return out;
}

/**
 * A LoadBalancer Service that asks for an internal load balancer is not reachable from the internet: cloud
 * annotations, and the AWS Load Balancer Controller, whose NLB scheme defaults to internal (docs/lb-facts.md §4).
 */
function internalService(
  annotations: Map<string, { value: string }>,
  object: { body: TreeNode },
): boolean {
  const value = (name: string) => annotations.get(name)?.value.trim().toLowerCase();
  if (value("service.beta.kubernetes.io/aws-load-balancer-internal") === "true") return true;
  if (value("service.beta.kubernetes.io/azure-load-balancer-internal") === "true") return true;
  if (value("cloud.google.com/load-balancer-type") === "internal") return true;
  if (value("networking.gke.io/load-balancer-type") === "internal") return true;
  const scheme = value("service.beta.kubernetes.io/aws-load-balancer-scheme");
  if (scheme !== undefined) return scheme !== "internet-facing";
  const lbc =
    scalarAt(object.body, "spec", "loadBalancerClass") === "service.k8s.aws/nlb" ||
    value("service.beta.kubernetes.io/aws-load-balancer-type") === "external";
  return lbc;
}

const NLB_SOURCE_RANGES = "service.beta.kubernetes.io/load-balancer-source-ranges";
const ALB_INBOUND = "alb.ingress.kubernetes.io/inbound-cidrs";

function kubernetesExposures(tree: TreeNode): Exposure[] {
  const out: Exposure[] = [];
  for (const object of objectsOf(tree)) {
    const annotations = annotationsOf(object);
    if (
      object.kind === "Service" &&
      scalarAt(object.body, "spec", "type") === "LoadBalancer" &&
      !internalService(annotations, object)
    ) {
      const ranges = child(child(object.body, "spec"), "loadBalancerSourceRanges");
      const annotation = annotations.get(NLB_SOURCE_RANGES);
      const written = ranges
        ? strings(ranges)
        : annotation
          ? annotation.value.split(",").map((text) => text.trim())
          : undefined;
      if ((ranges && strings(ranges).some(isTemplated)) || isTemplated(annotation?.value)) continue;
      const ports: Ports = itemsOf(at(object.body, "spec", "ports")).flatMap((port) => {
        const value = toNumber(scalarAt(port, "port"));
        return value === undefined ? [] : [[value, value] as [number, number]];
      });
      // No source ranges: the cloud load balancer accepts any address (kubernetes/api core/v1 types.go).
      out.push(
        exposure(
          object.id,
          object.label,
          ranges ?? child(child(object.body, "metadata"), "annotations") ?? object.body,
          objectPath(object, key("spec"), key("loadBalancerSourceRanges")),
          written ?? ["0.0.0.0/0"],
          ports,
        ),
      );
    }
    if (
      object.kind === "Ingress" &&
      [...annotations.keys()].some((name) => name.startsWith("alb.ingress.kubernetes.io/"))
    ) {
      // inbound-cidrs defaults to 0.0.0.0/0 for an internet-facing ALB, to the VPC for an internal one
      // (LBC docs, docs/lb-facts.md §4).
      const scheme = annotations.get("alb.ingress.kubernetes.io/scheme")?.value ?? "internal";
      const inbound = annotations.get(ALB_INBOUND);
      if (isTemplated(inbound?.value) || isTemplated(scheme)) continue;
      const sources = inbound
        ? inbound.value.split(",").map((text) => text.trim())
        : scheme === "internet-facing"
          ? ["0.0.0.0/0"]
          : ["(VPC)"];
      out.push({
        ...exposure(
          object.id,
          object.label,
          object.body,
          objectPath(object, key("metadata"), key("annotations"), key(ALB_INBOUND)),
          sources,
          "all",
        ),
        line:
          inbound?.line ?? annotations.get("alb.ingress.kubernetes.io/scheme")?.line ?? object.line,
      });
    }
    if (object.kind === "NetworkPolicy") {
      itemsOf(at(object.body, "spec", "ingress")).forEach((rule, index) => {
        const cidrs = itemsOf(child(rule, "from")).flatMap((peer) => {
          const cidr = scalarAt(peer, "ipBlock", "cidr");
          return typeof cidr === "string" && !isTemplated(cidr)
            ? [{ cidr, line: at(peer, "ipBlock", "cidr")!.line }]
            : [];
        });
        const ports: Ports =
          itemsOf(child(rule, "ports")).length === 0
            ? "all"
            : itemsOf(child(rule, "ports")).flatMap((port) => {
                const value = toNumber(scalarAt(port, "port"));
                const end = toNumber(scalarAt(port, "endPort")) ?? value;
                return value === undefined || end === undefined
                  ? []
                  : [[value, end] as [number, number]];
              });
        const world = cidrs.find((entry) => isWorld(entry.cidr));
        out.push({
          ...exposure(
            `${object.id}#${index}`,
            `${object.label} ingress rule ${index + 1}`,
            rule,
            objectPath(object, key("spec"), key("ingress")),
            cidrs.map((entry) => entry.cidr),
            ports,
          ),
          line: world?.line ?? rule.line,
        });
      });
    }
  }
  return out;
}

/**
 * Helm values: a map with `type: LoadBalancer` (a chart's `service:` block, `controller.service`, …) renders a
 * LoadBalancer Service; its `annotations` and `loadBalancerSourceRanges` siblings say whether it is internal or
 * restricted, as on the Service itself. Keyed by the map's path in the values.
 */
function helmValuesExposures(tree: TreeNode): Exposure[] {
  const out: Exposure[] = [];
  const visit = (node: TreeNode, path: string[]): void => {
    if (node.kind !== "map") return;
    if (scalarAt(node, "type") === "LoadBalancer") {
      const annotations = new Map(
        entriesOf(child(node, "annotations")).flatMap(([name, value]) =>
          value.kind === "scalar" && value.value !== null
            ? [[name, { value: String(value.value) }] as const]
            : [],
        ),
      );
      const ranges = child(node, "loadBalancerSourceRanges");
      const written = ranges ? strings(ranges) : undefined;
      const templated = [...annotations.values()].some((entry) => isTemplated(entry.value));
      if (
        !internalService(annotations, { body: node }) &&
        !templated &&
        !written?.some(isTemplated)
      ) {
        const portNumbers = [
          toNumber(scalarAt(node, "port")),
          ...entriesOf(child(node, "ports")).map(([, value]) =>
            toNumber(value.kind === "scalar" ? value.value : scalarAt(value, "port")),
          ),
          ...itemsOf(child(node, "ports")).map((value) => toNumber(scalarAt(value, "port"))),
        ].filter((port): port is number => port !== undefined);
        const where = path.join(".") || "(top level)";
        out.push(
          exposure(
            `values:${where}`,
            `the LoadBalancer Service of values ${where}`,
            child(node, "type") ?? node,
            where,
            written ?? ["0.0.0.0/0"],
            portNumbers.length > 0
              ? portNumbers.map((port) => [port, port] as [number, number])
              : "all",
          ),
        );
      }
    }
    for (const [name, value] of entriesOf(node)) visit(value, [...path, name]);
  };
  visit(tree, []);
  return out;
}

export function exposuresOf(dialect: Dialect, tree: TreeNode | null): Exposure[] {
  if (!tree) return [];
  switch (dialect) {
    case "helm-values":
      return helmValuesExposures(tree);
    case "terraform":
      return terraformExposures(tree);
    case "cloudformation":
      return cloudFormationExposures(tree);
    case "kubernetes":
      return kubernetesExposures(tree);
    default:
      return [];
  }
}
