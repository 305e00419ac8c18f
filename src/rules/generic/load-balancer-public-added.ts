import { child, itemsOf, scalarAt, type TreeNode } from "../../formats/tree.js";
import { defineRule, type Detection } from "../types.js";
import { loadBalancersOf } from "../model/aws/load-balancers.js";
import { stringOf, toBool } from "../model/iac/settings.js";
import { terraformResources } from "../model/iac/terraform.js";

/** The exposure of one load-balancer frontend: public, internal, or unknowable (an expression). */
type Scheme = "public" | "internal" | "unknown";

interface Frontend {
  readonly key: string;
  /** What kind of frontend (`aws application`, `google_compute_forwarding_rule`), to pair one renamed or replaced. */
  readonly kind: string;
  readonly label: string;
  readonly line: number;
  readonly path: string;
  readonly scheme: Scheme;
  /** What makes it public, for the message. */
  readonly why: string;
  /** How to keep it private, for the checklist. */
  readonly private: string;
  /** Only flips of these are this rule's (AWS flips are aws.load-balancer.internal-flipped's). */
  readonly flips: boolean;
  /** AWS ELBv2 `ip_address_type` / `IpAddressType` (dualstack adds IPv6), when written. */
  readonly ipAddressType?: string | undefined;
  readonly ipLine?: number | undefined;
}

const scalar = (node: TreeNode | undefined): string | undefined =>
  node?.kind === "scalar" && typeof node.value === "string" && !node.value.includes("${")
    ? node.value
    : undefined;

// google_compute_(global_)forwarding_rule `load_balancing_scheme`: EXTERNAL when absent; EXTERNAL and
// EXTERNAL_MANAGED take internet traffic (docs/lb-facts.md §8).
function gcpFrontends(tree: TreeNode): Frontend[] {
  return terraformResources(tree, [
    "google_compute_forwarding_rule",
    "google_compute_global_forwarding_rule",
  ]).map((resource) => {
    const node = child(resource.body, "load_balancing_scheme");
    const value = node ? scalar(node) : "EXTERNAL";
    const scheme: Scheme =
      value === undefined
        ? "unknown"
        : value.toUpperCase().startsWith("EXTERNAL")
          ? "public"
          : "internal";
    return {
      key: `${resource.type}.${resource.name}`,
      kind: resource.type,
      label: `forwarding rule ${resource.name}`,
      line: node?.line ?? resource.line,
      path: resource.path,
      scheme,
      why: node
        ? `load_balancing_scheme ${value}`
        : "no load_balancing_scheme (EXTERNAL by default)",
      private: 'load_balancing_scheme = "INTERNAL"',
      flips: true,
    };
  });
}

// azurerm_lb / azurerm_application_gateway `frontend_ip_configuration`: public with a public IP (or prefix),
// private with a subnet (docs/lb-facts.md §8).
function azureFrontends(tree: TreeNode): Frontend[] {
  return terraformResources(tree, ["azurerm_lb", "azurerm_application_gateway"]).flatMap(
    (resource) => {
      const frontends = itemsOf(child(resource.body, "frontend_ip_configuration"));
      if (frontends.length === 0) return [];
      const publicFrontend = frontends.find(
        (frontend) =>
          child(frontend, "public_ip_address_id") !== undefined ||
          child(frontend, "public_ip_prefix_id") !== undefined,
      );
      return [
        {
          key: `${resource.type}.${resource.name}`,
          kind: resource.type,
          label: `${resource.type === "azurerm_lb" ? "load balancer" : "application gateway"} ${resource.name}`,
          line: publicFrontend?.line ?? resource.line,
          path: resource.path,
          scheme: publicFrontend ? "public" : "internal",
          why: `frontend ${String(scalarAt(publicFrontend, "name") ?? "?")} has a public IP address`,
          private:
            "subnet_id = <private subnet> in frontend_ip_configuration, not public_ip_address_id",
          flips: true,
        },
      ];
    },
  );
}

/**
 * The default of the parameter or variable a setting refers to (CloudFormation `!Ref Param`, Terraform
 * `var.name`), when written literally in the same file: what a stack or module deployed with its defaults gets.
 */
function declaredDefault(
  dialect: "terraform" | "cloudformation",
  tree: TreeNode,
  reference: string | undefined,
): { name: string; value: string } | undefined {
  if (!reference) return undefined;
  const documents = tree.kind === "list" ? tree.items : [tree];
  for (const document of documents) {
    const body =
      dialect === "cloudformation"
        ? child(child(document, "Parameters"), reference)
        : child(child(document, "variable"), reference.replace(/^var\./, ""));
    const value = child(body, dialect === "cloudformation" ? "Default" : "default");
    if (value?.kind === "scalar" && value.expression !== true && value.value !== null)
      return { name: reference, value: String(value.value) };
  }
  return undefined;
}

function awsFrontends(dialect: "terraform" | "cloudformation", tree: TreeNode): Frontend[] {
  return loadBalancersOf(dialect, tree).flatMap((lb) => {
    // Gateway load balancers take traffic from route tables, not from clients.
    if (!lb.classic && stringOf(lb.lbType)?.toLowerCase() === "gateway") return [];
    const node = dialect === "terraform" ? child(lb.body, "internal") : child(lb.body, "Scheme");
    const reference =
      lb.internal.kind !== "unknown"
        ? undefined
        : dialect === "cloudformation"
          ? lb.internal.reference
          : /^\$\{(var\.[A-Za-z0-9_-]+)\}$/.exec(
              node?.kind === "scalar" ? String(node.value) : "",
            )?.[1];
    const fallback = declaredDefault(dialect, tree, reference);
    const internal =
      lb.internal.kind === "unknown"
        ? fallback === undefined
          ? undefined
          : dialect === "cloudformation"
            ? fallback.value.toLowerCase() === "internal"
            : toBool(fallback.value)
        : lb.internal.value === undefined
          ? false // created internet-facing when not written (docs/lb-facts.md §2)
          : toBool(lb.internal.value);
    const written = lb.internal.kind === "literal";
    const ipNode =
      dialect === "terraform" ? child(lb.body, "ip_address_type") : child(lb.body, "IpAddressType");
    return [
      {
        key: lb.key,
        kind: `aws ${lb.classic ? "classic" : (stringOf(lb.lbType)?.toLowerCase() ?? "application")}`,
        label: lb.label,
        line: written || fallback ? (node?.line ?? lb.line) : lb.line,
        path: lb.path,
        scheme: internal === undefined ? "unknown" : internal ? "internal" : "public",
        why: written
          ? `${lb.names.internal} ${String(lb.internal.value)}`
          : fallback
            ? `${lb.names.internal} from ${fallback.name}, whose default is ${fallback.value}`
            : `no ${lb.names.internal}, so internet-facing by default`,
        private: dialect === "terraform" ? "internal = true" : "Scheme: internal",
        flips: false,
        ipAddressType: scalar(ipNode)?.toLowerCase(),
        ipLine: ipNode?.line,
      },
    ];
  });
}

function frontendsOf(dialect: string, tree: TreeNode | null): Frontend[] {
  if (!tree) return [];
  if (dialect === "cloudformation") return awsFrontends("cloudformation", tree);
  if (dialect === "terraform")
    return [...awsFrontends("terraform", tree), ...gcpFrontends(tree), ...azureFrontends(tree)];
  return [];
}

/**
 * A new load balancer that takes traffic from the internet, or a private one made public: a security exposure
 * (docs/risk.md, Exposure). Kubernetes LoadBalancer Services are generic.ingress.world-open's (their source ranges).
 */
export default defineRule({
  id: "generic.load-balancer.public-added",
  family: "generic",
  title: "New internet-facing load balancer",
  description:
    "A load balancer that did not exist is internet-facing: an AWS ALB, NLB or Classic ELB without `internal = true` " +
    "(CloudFormation `Scheme` absent or `internet-facing`; both defaults are public), a GCP forwarding rule whose " +
    "`load_balancing_scheme` is EXTERNAL (the default) or EXTERNAL_MANAGED, an Azure load balancer or application " +
    "gateway with a public frontend IP. High: everything behind it becomes reachable from the internet. A GCP or " +
    "Azure frontend made public is high too (AWS scheme flips are aws.load-balancer.internal-flipped's). An " +
    "internet-facing AWS load balancer turned dualstack is medium: it now also answers on IPv6, where security " +
    "groups may lack an equivalent of their IPv4 allowlist.",
  severity: "high",
  params: {},
  dialects: ["terraform", "cloudformation"],
  check(file) {
    const findings: Detection[] = [];
    const before = new Map(frontendsOf(file.dialect, file.before).map((f) => [f.key, f]));
    const after = frontendsOf(file.dialect, file.after);
    const kept = new Set(after.map((frontend) => frontend.key));
    // A public frontend renamed or replaced by one of the same kind was reachable from the internet already
    // (docs/risk.md "Not high": a rename); its removal is generic.lb-resource.deleted's.
    const replaced = [...before.values()].filter(
      (frontend) => frontend.scheme === "public" && !kept.has(frontend.key),
    );
    for (const now of after) {
      if (now.scheme !== "public") continue;
      const was = before.get(now.key);
      const predecessor = was ? -1 : replaced.findIndex((old) => old.kind === now.kind);
      if (predecessor >= 0) {
        replaced.splice(predecessor, 1);
        continue;
      }
      const checklist = [
        `Confirm ${now.label} is meant to be reachable from the internet, that its listeners serve HTTPS and that what is behind it authenticates requests.`,
        `If only the VPC or the corporate network needs it, make it private: ${now.private}.`,
      ];
      if (!was) {
        findings.push({
          severity: "high",
          line: now.line,
          path: now.path,
          message: `${now.label} is new and internet-facing (${now.why}): everything it forwards to becomes reachable from the whole internet. Safe: \`${now.private}\` if only private networks need it; else HTTPS listeners and authentication behind it.`,
          before: null,
          after: "internet-facing",
          checklist,
        });
        continue;
      }
      if (now.flips && was.scheme === "internal") {
        findings.push({
          severity: "high",
          line: now.line,
          path: now.path,
          message: `${now.label} becomes internet-facing (${now.why}): what was reachable only from the private network is now reachable from the whole internet. Safe: keep \`${now.private}\`.`,
          before: "internal",
          after: "internet-facing",
          checklist,
        });
        continue;
      }
      if (
        was.scheme === "public" &&
        now.ipAddressType?.startsWith("dualstack") &&
        !was.ipAddressType?.startsWith("dualstack")
      ) {
        findings.push({
          severity: "medium",
          line: now.ipLine ?? now.line,
          path: now.path,
          message: `${now.label} becomes dualstack (was ${was.ipAddressType ?? "ipv4"}): the internet-facing load balancer now also answers on IPv6.`,
          before: was.ipAddressType ?? "ipv4",
          after: now.ipAddressType ?? null,
          checklist: [
            `Check that every security group of ${now.label} restricts ::/0 the way it restricts 0.0.0.0/0.`,
          ],
        });
      }
    }
    return findings;
  },
});
