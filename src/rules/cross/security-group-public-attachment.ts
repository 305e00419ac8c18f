import { child, itemsOf, scalarAt, type TreeNode } from "../../formats/tree.js";
import { toNumber } from "../model/figures.js";
import { toBool } from "../model/iac/settings.js";
import { terraformResources } from "../model/iac/terraform.js";
import { isWorld } from "../model/exposures.js";
import { isChanged, treesOf, type Side } from "../model/workspace.js";
import { defineWorkspaceRule, type Workspace, type WorkspaceDetection } from "../types.js";

/** An inbound rule of a security group open to the whole internet. */
interface WorldRule {
  /** The security group's resource name (`aws_security_group.NAME`). */
  readonly group: string;
  readonly label: string;
  readonly file: string;
  readonly line: number;
  readonly source: string;
  readonly ports: string;
}

/** A load balancer or instance that uses a security group, reachable from the internet. */
interface Attachment {
  readonly group: string;
  readonly label: string;
  readonly file: string;
  readonly line: number;
  /** Why it is public: `internal = false`, `internal not set (internet-facing)`. */
  readonly why: string;
  readonly instance: boolean;
}

const strings = (node: TreeNode | undefined): string[] =>
  itemsOf(node).flatMap((item) =>
    item.kind === "scalar" && typeof item.value === "string" ? [item.value] : [],
  );

/** `aws_security_group.NAME.id` in an expression or a JSON-syntax `${...}` string. */
function groupRef(value: string): string | undefined {
  return /\baws_security_group\.([\w-]+)\.id\b/.exec(value)?.[1];
}

function portsOf(body: TreeNode, protocolKey: string): string {
  const protocol = String(scalarAt(body, protocolKey) ?? "").toLowerCase();
  const low = toNumber(scalarAt(body, "from_port"));
  const high = toNumber(scalarAt(body, "to_port")) ?? low;
  if (protocol === "-1" || protocol === "all" || low === undefined || high === undefined)
    return "all ports";
  if (low <= 0 && high >= 65535) return "all ports";
  return low === high ? `port ${low}` : `ports ${low}-${high}`;
}

function worldSource(node: TreeNode, keys: readonly string[]): string | undefined {
  return keys.flatMap((name) => strings(child(node, name))).find(isWorld);
}

// Inbound rules as Terraform's AWS provider writes them: inline `ingress` blocks,
// aws_security_group_rule (type = "ingress") and aws_vpc_security_group_ingress_rule.
function worldRules(workspace: Workspace, side: Side): WorldRule[] {
  const out: WorldRule[] = [];
  for (const { file, entity: tree } of treesOf(workspace, side, ["terraform"])) {
    for (const group of terraformResources(tree, ["aws_security_group"]))
      for (const rule of itemsOf(child(group.body, "ingress"))) {
        const source = worldSource(rule, ["cidr_blocks", "ipv6_cidr_blocks"]);
        if (source)
          out.push({
            group: group.name,
            label: `an ingress block of aws_security_group.${group.name}`,
            file: file.path,
            line: (child(rule, "cidr_blocks") ?? child(rule, "ipv6_cidr_blocks") ?? rule).line,
            source,
            ports: portsOf(rule, "protocol"),
          });
      }
    const separate = [
      ["aws_security_group_rule", ["cidr_blocks", "ipv6_cidr_blocks"], "protocol"],
      ["aws_vpc_security_group_ingress_rule", ["cidr_ipv4", "cidr_ipv6"], "ip_protocol"],
    ] as const;
    for (const [type, keys, protocol] of separate)
      for (const rule of terraformResources(tree, [type])) {
        if (type === "aws_security_group_rule" && scalarAt(rule.body, "type") !== "ingress")
          continue;
        const source = worldSource(rule.body, keys);
        const target = scalarAt(rule.body, "security_group_id");
        const group = typeof target === "string" ? groupRef(target) : undefined;
        if (!source || !group) continue;
        out.push({
          group,
          label: `${type}.${rule.name}`,
          file: file.path,
          line: (child(rule.body, keys[0]) ?? child(rule.body, keys[1]) ?? rule.body).line,
          source,
          ports: portsOf(rule.body, protocol),
        });
      }
  }
  return out;
}

// aws_lb `internal` defaults to false: internet-facing
// (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb#internal).
function attachments(workspace: Workspace, side: Side): Attachment[] {
  const out: Attachment[] = [];
  for (const { file, entity: tree } of treesOf(workspace, side, ["terraform"])) {
    for (const balancer of terraformResources(tree, ["aws_lb", "aws_alb", "aws_elb"])) {
      const internal = child(balancer.body, "internal");
      const flag = internal?.kind === "scalar" ? toBool(internal.value) : undefined;
      if (flag === true || (internal && flag === undefined)) continue;
      const groups = child(balancer.body, "security_groups");
      for (const group of strings(groups).flatMap((value) => groupRef(value) ?? []))
        out.push({
          group,
          label: `${balancer.type}.${balancer.name}`,
          file: file.path,
          line: internal?.line ?? groups?.line ?? balancer.line,
          why: internal ? "internal = false" : "internet-facing: internal is not set",
          instance: false,
        });
    }
    for (const instance of terraformResources(tree, ["aws_instance"])) {
      const node =
        child(instance.body, "vpc_security_group_ids") ?? child(instance.body, "security_groups");
      for (const group of strings(node).flatMap((value) => groupRef(value) ?? []))
        out.push({
          group,
          label: `aws_instance.${instance.name}`,
          file: file.path,
          line: node?.line ?? instance.line,
          why: "reachable wherever it has a public address",
          instance: true,
        });
    }
  }
  return out;
}

const exposureKey = (rule: WorldRule, attachment: Attachment): string =>
  `${rule.group}\u0000${rule.ports}\u0000${attachment.label}`;

/**
 * A security group rule open to 0.0.0.0/0 or ::/0 exposes whatever uses the group; the per-file
 * exposure rules see the opening, this one joins it with the internet-facing load balancer or the
 * instance that uses the group in another file (docs/risk.md, "Exposure").
 */
export default defineWorkspaceRule({
  id: "cross.security-group.public-attachment",
  family: "cross",
  scope: "workspace",
  title: "Security group open to the internet on a public load balancer in another file",
  description:
    "After the change, a Terraform security group has an inbound rule open to 0.0.0.0/0 or ::/0 (an `ingress` block, " +
    "`aws_security_group_rule` or `aws_vpc_security_group_ingress_rule`) and an internet-facing `aws_lb` (internal " +
    "false or unset) or an `aws_instance` in another file uses the group, where before the change it did not (the " +
    "rule is new, the group newly attached, or the load balancer made public). High: anyone on the internet reaches it.",
  severity: "high",
  params: {},
  dialects: ["terraform"],
  check(workspace) {
    const out: WorkspaceDetection[] = [];
    const rules = worldRules(workspace, "after");
    if (rules.length === 0) return out;
    const attached = attachments(workspace, "after");
    if (attached.length === 0) return out;
    const oldRules = worldRules(workspace, "before");
    const oldAttached = attachments(workspace, "before");
    const before = new Set(
      oldRules.flatMap((rule) =>
        oldAttached
          .filter((attachment) => attachment.group === rule.group)
          .map((attachment) => exposureKey(rule, attachment)),
      ),
    );
    const oldRuleKeys = new Set(oldRules.map((rule) => `${rule.label}\u0000${rule.ports}`));
    const changed = new Set(workspace.files.filter(isChanged).map((file) => file.path));
    const seen = new Set<string>();
    for (const rule of rules)
      for (const attachment of attached) {
        if (attachment.group !== rule.group || attachment.file === rule.file) continue;
        const key = exposureKey(rule, attachment);
        if (before.has(key) || seen.has(key)) continue;
        seen.add(key);
        const ruleIsNew = !oldRuleKeys.has(`${rule.label}\u0000${rule.ports}`);
        const where =
          changed.has(rule.file) && (ruleIsNew || !changed.has(attachment.file))
            ? { file: rule.file, line: rule.line }
            : changed.has(attachment.file)
              ? { file: attachment.file, line: attachment.line }
              : undefined;
        if (!where) continue;
        out.push({
          ...where,
          severity: "high",
          message:
            `${rule.label} (${rule.file}) opens ${rule.ports} to ${rule.source} on aws_security_group.${rule.group}, ` +
            `which ${attachment.label} (${attachment.file}) uses, ${attachment.why}: anyone on the internet reaches ` +
            `${attachment.instance ? "the instance" : "the load balancer"} on ${rule.ports}. ` +
            `Safe: replace \`${rule.source}\` with the clients' ranges (a VPN, office or CDN CIDR)` +
            (attachment.instance
              ? `, or take aws_security_group.${rule.group} off ${attachment.label}.`
              : `, or set \`internal = true\` on ${attachment.label} if it is not meant to be public.`),
          after: rule.source,
          figures: { source: rule.source, ports: rule.ports, attachedTo: attachment.label },
          checklist: [
            `Confirm ${attachment.label} is meant to be reachable from the whole internet on ${rule.ports}.`,
          ],
        });
      }
    return out;
  },
});
