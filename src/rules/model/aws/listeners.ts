// ELBv2 listeners and listener rules, and Classic listeners (one per load-balancer port): port, protocol,
// TLS policy, certificate and actions (docs/lb-facts.md §2, §3).
import type { Dialect } from "../../../formats/dialect.js";
import { child, itemsOf, type Scalar, type TreeNode } from "../../../formats/tree.js";
import {
  cloudFormationPath,
  cloudFormationProperties,
  cloudFormationResources,
} from "../iac/cloudformation.js";
import { referenceOf, settingOf, stringOf, type Setting } from "../iac/settings.js";
import { terraformArguments, terraformPath, terraformResources } from "../iac/terraform.js";
import { memoByDialectTree } from "../memo.js";
import {
  CFN_CLASSIC,
  CFN_LISTENER,
  CFN_LISTENER_RULE,
  TF_LISTENER_RULES,
  TF_LISTENERS,
  absent,
  cloudFormationEntity,
  terraformEntity,
  type ElbEntity,
} from "./elb-resources.js";

export interface Listener extends ElbEntity {
  /** What the listener belongs to (a reference), to find other listeners of the same load balancer. */
  readonly owner: string | undefined;
  readonly classic: boolean;
  readonly rule: boolean;
  readonly port: Setting;
  readonly protocol: Setting;
  readonly sslPolicy: Setting;
  readonly certificate: Setting;
  readonly actions: readonly TreeNode[];
  readonly actionsLine: number;
  readonly actionsPath: string;
  readonly names: Readonly<Record<"port" | "protocol" | "sslPolicy" | "certificate", string>>;
}

const TF_LISTENER_NAMES = {
  port: "port",
  protocol: "protocol",
  sslPolicy: "ssl_policy",
  certificate: "certificate_arn",
} as const;

/** Extracted once per tree (many rules read it). */
export const listenersOf = memoByDialectTree(extractListenersOf);

function extractListenersOf(dialect: Dialect, tree: TreeNode): Listener[] {
  if (dialect === "terraform")
    return [...terraformListeners(tree), ...classicListeners(tree, false)];
  if (dialect === "cloudformation")
    return [...cloudFormationListeners(tree), ...classicListeners(tree, true)];
  return [];
}

function terraformListeners(tree: TreeNode): Listener[] {
  const resources = terraformResources(tree, [...TF_LISTENERS, ...TF_LISTENER_RULES]);
  return resources.map((resource) => {
    const body = resource.body;
    const line = resource.line;
    const rule = TF_LISTENER_RULES.includes(resource.type);
    const argument = terraformArguments(resource);
    const at = (name: string, fallback: Scalar | undefined): Setting =>
      rule ? absent(line) : argument(name, fallback);
    const actionsName = rule ? "action" : "default_action";
    const actions = itemsOf(child(body, actionsName));
    return {
      ...terraformEntity(resource, rule ? "listener rule" : "listener"),
      owner: referenceOf(child(body, rule ? "listener_arn" : "load_balancer_arn")),
      classic: false,
      rule,
      port: at("port", undefined),
      // Optional+Computed: removing them keeps the listener's current protocol and policy.
      protocol: at("protocol", undefined),
      sslPolicy: at("ssl_policy", undefined),
      certificate: at("certificate_arn", undefined),
      actions,
      actionsLine: actions[0]?.line ?? line,
      actionsPath: terraformPath(resource.type, resource.name, actionsName),
      names: TF_LISTENER_NAMES,
    } satisfies Listener;
  });
}

function cloudFormationListeners(tree: TreeNode): Listener[] {
  return cloudFormationResources(tree, [CFN_LISTENER, CFN_LISTENER_RULE]).map((resource) => {
    const p = resource.properties;
    const id = resource.logicalId;
    const line = p?.line ?? resource.line;
    const rule = resource.type === CFN_LISTENER_RULE;
    const property = cloudFormationProperties(resource, line);
    const prop = (name: string): Setting => (rule ? absent(line) : property(name, undefined));
    const certificates = child(p, "Certificates");
    const certificate: Setting = rule
      ? absent(line)
      : certificates && certificates.kind !== "list"
        ? { kind: "unknown", line: certificates.line }
        : settingOf(
            itemsOf(certificates)[0],
            "CertificateArn",
            undefined,
            certificates?.line ?? line,
            cloudFormationPath(id, "Certificates"),
          );
    const actionsName = rule ? "Actions" : "DefaultActions";
    return {
      ...cloudFormationEntity(resource, rule ? "listener rule" : "listener"),
      owner: referenceOf(child(p, rule ? "ListenerArn" : "LoadBalancerArn")),
      classic: false,
      rule,
      port: prop("Port"),
      protocol: prop("Protocol"),
      sslPolicy: prop("SslPolicy"),
      certificate,
      actions: itemsOf(child(p, actionsName)),
      actionsLine: child(p, actionsName)?.line ?? line,
      actionsPath: cloudFormationPath(id, actionsName),
      names: {
        port: "Port",
        protocol: "Protocol",
        sslPolicy: "SslPolicy",
        certificate: "Certificates[0].CertificateArn",
      },
    } satisfies Listener;
  });
}

/** Classic listeners, one per load-balancer port: `listener { lb_port lb_protocol ... }` / `Listeners`. */
function classicListeners(tree: TreeNode, cloudFormation: boolean): Listener[] {
  const owners = cloudFormation
    ? cloudFormationResources(tree, [CFN_CLASSIC]).map((resource) => ({
        key: resource.logicalId,
        label: `classic load balancer ${resource.logicalId}`,
        path: cloudFormationPath(resource.logicalId, "Listeners"),
        listeners: itemsOf(child(resource.properties, "Listeners")),
        fields: ["LoadBalancerPort", "Protocol", "SSLCertificateId"] as const,
      }))
    : terraformResources(tree, ["aws_elb"]).map((resource) => ({
        key: `aws_elb.${resource.name}`,
        label: `classic load balancer "${resource.name}"`,
        path: terraformPath("aws_elb", resource.name, "listener"),
        // A `dynamic "listener"` block stands for listeners whose ports are not in the file.
        listeners: [
          ...itemsOf(child(resource.body, "listener")),
          ...itemsOf(child(child(resource.body, "dynamic"), "listener")),
        ],
        fields: ["lb_port", "lb_protocol", "ssl_certificate_id"] as const,
      }));
  return owners.flatMap((owner) =>
    owner.listeners.flatMap((listener, index) => {
      const [portName, protocolName, certificateName] = owner.fields;
      const line = listener.line;
      const port = settingOf(listener, portName, undefined, line, owner.path);
      const portValue = stringOf(port);
      return [
        {
          // Identified by port; a port that is not a literal gets a key no other version shares.
          key: portValue === undefined ? `${owner.key}:#${index}` : `${owner.key}:${portValue}`,
          label: `port ${portValue ?? "(expression)"} of ${owner.label}`,
          path: owner.path,
          line,
          dialect: cloudFormation ? "cloudformation" : "terraform",
          owner: owner.key,
          classic: true,
          rule: false,
          port,
          protocol: settingOf(listener, protocolName, undefined, line, owner.path),
          sslPolicy: absent(line),
          certificate: settingOf(listener, certificateName, undefined, line, owner.path),
          actions: [],
          actionsLine: line,
          actionsPath: owner.path,
          names: {
            port: portName,
            protocol: protocolName,
            sslPolicy: "policy",
            certificate: certificateName,
          },
        } satisfies Listener,
      ];
    }),
  );
}
