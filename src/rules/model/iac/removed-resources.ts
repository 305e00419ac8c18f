// Load-balancer resources deleted by a change, with what depended on them. Shared by the aws, gcp and
// azure "resource removed" rules (the generic family skips Terraform and CloudFormation files).
import { child, entriesOf, itemsOf, scalarAt, type TreeNode } from "../../../formats/tree.js";
import { nameList } from "../../message.js";

import type { Detection, FileUnderReview } from "../../types.js";
import { cloudFormationPath } from "./cloudformation.js";
import { toBool } from "./settings.js";
import { terraformPath } from "./terraform.js";
import { safe } from "../advice.js";
import { atLeast, type Severity } from "../../severity.js";

/** How a family names and rates one resource type. */
export interface RemovableKind {
  readonly noun: string;
  readonly severity: Severity;
  /** What deleting it does, e.g. "clients of its DNS name can no longer connect". */
  readonly consequence: string;
}

export interface RemovedResource {
  readonly address: string;
  readonly type: string;
  readonly label: string;
  readonly line: number;
  readonly path: string;
  readonly kind: RemovableKind;
  /** Resources (and outputs) of the old file that referred to it. */
  readonly dependents: readonly string[];
  /** Resources of the new file that still refer to it: the plan or template is invalid. */
  readonly stillReferencedBy: readonly string[];
  /** Dependents kept by the change but no longer referring to it: they were repointed. */
  readonly repointed: readonly string[];
  /** Terraform: a `data` block of the same type and name replaces it (it is destroyed, then only read). */
  readonly becameData?: boolean;
}

interface Declared {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly label: string;
  readonly line: number;
  readonly path: string;
  readonly body: TreeNode;
}

function removedResources(
  file: FileUnderReview,
  kindOf: (type: string) => RemovableKind | undefined,
): RemovedResource[] {
  if (!file.before) return [];
  const declared = file.dialect === "terraform" ? terraformDeclared : cloudFormationDeclared;
  const before = declared(file.before);
  const after = file.after ? declared(file.after) : [];
  const kept = new Set(after.map((resource) => resource.address));
  const keptOutputs = new Set(outputsOf(file.dialect, file.after));
  const notDestroyed =
    file.dialect === "terraform" ? terraformNotDestroyed(file.after) : new Set<string>();
  const out: RemovedResource[] = [];
  for (const resource of before) {
    const kind = kindOf(resource.type);
    if (!kind || kept.has(resource.address) || notDestroyed.has(resource.address)) continue;
    if (file.dialect === "cloudformation" && retained(resource.body)) continue;
    const dependents = referrers(file.dialect, file.before, resource);
    out.push({
      address: resource.address,
      type: resource.type,
      label: `${kind.noun} ${resource.label}`,
      line: resource.line,
      path: resource.path,
      kind,
      dependents,
      stillReferencedBy: file.after ? referrers(file.dialect, file.after, resource) : [],
      repointed: dependents.filter((name) => kept.has(name) || keptOutputs.has(name)),
      ...(file.dialect === "terraform" &&
      child(child(child(file.after, "data"), resource.type), resource.name)
        ? { becameData: true }
        : {}),
    });
  }
  return out;
}

/** One finding per load-balancing resource of the family that the change deletes. */
export function removalFindings(
  file: FileUnderReview,
  kindOf: (type: string) => RemovableKind | undefined,
): Detection[] {
  return removedResources(file, kindOf).map((removed) => removalDetection(removed, file.dialect));
}

/** The finding for one removed resource. */
function removalDetection(
  removed: RemovedResource,
  dialect: FileUnderReview["dialect"],
): Detection {
  if (removed.stillReferencedBy.length > 0) {
    const tool = dialect === "terraform" ? "the plan" : "the stack update";
    return {
      severity: "medium",
      line: removed.line,
      path: removed.path,
      message:
        `${removed.label} is deleted but ${nameList(removed.stillReferencedBy)} still refer${removed.stillReferencedBy.length === 1 ? "s" : ""} ` +
        `to it: ${tool} will fail until every reference is removed or repointed.`,
      before: removed.address,
      after: null,
      checklist: [`Repoint or remove ${nameList(removed.stillReferencedBy)} in the same change.`],
    };
  }
  // A managed resource turned into a data source: Terraform plans to destroy the managed one, and the data
  // source then looks up something that no longer exists (Terraform docs, "Data Sources").
  if (removed.becameData)
    return {
      severity: "high",
      line: removed.line,
      path: removed.path,
      message:
        `${removed.label} becomes a data source (data.${removed.address}): Terraform destroys the managed ${removed.kind.noun}, since a data block only reads one; ${removed.kind.consequence}, and the data source then finds nothing.` +
        safe(
          `add \`removed { from = ${removed.address}  lifecycle { destroy = false } }\` (or run \`terraform state rm ${removed.address}\` first) so Terraform forgets it instead of destroying it`,
        ),
      before: removed.address,
      after: `data.${removed.address}`,
      checklist: [
        `Confirm the plan shows no destroy of ${removed.address}; it must be forgotten, not destroyed.`,
      ],
    };
  // Every user of it stays and was repointed in this change: traffic was moved on purpose, and the
  // move itself is judged by the rules on those users (e.g. aws.listener.action-changed).
  const allRepointed =
    removed.dependents.length > 0 && removed.repointed.length === removed.dependents.length;
  const dependents = allRepointed
    ? ` Everything that used it was repointed in this change (${nameList(removed.repointed)}).`
    : removed.dependents.length > 0
      ? ` Before this change ${nameList(removed.dependents)} referred to it.`
      : "";
  const severity =
    allRepointed && removed.kind.severity === "high" ? "medium" : removed.kind.severity;
  const keep =
    dialect === "terraform"
      ? `keep \`${removed.address}\`, or add \`moved { from = ${removed.address} }\` if it only moved, or repoint what uses it first`
      : `keep \`${removed.address}\` (or set \`DeletionPolicy: Retain\`) until nothing sends traffic to it`;
  return {
    severity,
    line: removed.line,
    path: removed.path,
    message: `${removed.label} is deleted: ${removed.kind.consequence}.${dependents}${atLeast(severity, "high") ? safe(keep) : ""}`,
    before: removed.address,
    after: null,
    figures: { dependents: removed.dependents.length },
    checklist: [
      `Confirm no traffic still reaches ${removed.label} (metrics for the last days), and that its DNS names and clients are retired.`,
      ...(dialect === "terraform"
        ? [
            `If it only moved to another file or module, add a moved block instead so Terraform does not destroy it.`,
          ]
        : []),
    ],
  };
}

function terraformDeclared(tree: TreeNode): Declared[] {
  return entriesOf(child(tree, "resource")).flatMap(([type, byName]) =>
    entriesOf(byName).flatMap(([name, body]) =>
      itemsOf(body)
        .slice(0, 1)
        .map((instance) => ({
          address: `${type}.${name}`,
          type,
          name,
          label: `"${name}"`,
          line: instance.line,
          path: terraformPath(type, name),
          body: instance,
        })),
    ),
  );
}

function cloudFormationDeclared(tree: TreeNode): Declared[] {
  const documents = tree.kind === "list" ? tree.items : [tree];
  return documents.flatMap((document) =>
    entriesOf(child(document, "Resources")).flatMap(([logicalId, resource]) => {
      const type = scalarAt(resource, "Type");
      if (typeof type !== "string") return [];
      return [
        {
          address: logicalId,
          type,
          name: logicalId,
          label: logicalId,
          line: resource.line,
          path: cloudFormationPath(logicalId),
          body: resource,
        },
      ];
    }),
  );
}

function outputsOf(dialect: FileUnderReview["dialect"], tree: TreeNode | null): string[] {
  if (!tree) return [];
  if (dialect === "terraform")
    return entriesOf(child(tree, "output")).map(([name]) => `output.${name}`);
  const documents = tree.kind === "list" ? tree.items : [tree];
  return documents.flatMap((document) =>
    entriesOf(child(document, "Outputs")).map(([name]) => `output ${name}`),
  );
}

/** `moved { from = X }` (renamed) and `removed { from = X  lifecycle { destroy = false } }` (forgotten). */
function terraformNotDestroyed(tree: TreeNode | null): Set<string> {
  const out = new Set<string>();
  for (const block of itemsOf(child(tree, "moved"))) {
    const from = addressIn(scalarAt(block, "from"));
    if (from) out.add(from);
  }
  for (const block of itemsOf(child(tree, "removed"))) {
    const from = addressIn(scalarAt(block, "from"));
    const destroy = itemsOf(child(block, "lifecycle")).map((l) => toBool(scalarAt(l, "destroy")));
    if (from && destroy.includes(false)) out.add(from);
  }
  return out;
}

function addressIn(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  return /^\$\{(.+)\}$/.exec(value)?.[1] ?? value;
}

/** CloudFormation `DeletionPolicy: Retain` (or RetainExceptOnCreate): removing it from the template keeps it. */
function retained(resource: TreeNode): boolean {
  const policy = scalarAt(resource, "DeletionPolicy");
  return typeof policy === "string" && policy.startsWith("Retain");
}

/** Names of the resources and outputs in `tree` whose values mention `target`. */
function referrers(
  dialect: FileUnderReview["dialect"],
  tree: TreeNode,
  target: Declared,
): string[] {
  const out: string[] = [];
  if (dialect === "terraform") {
    const pattern = new RegExp(`(^|[^A-Za-z0-9_.])${escape(target.address)}(?![A-Za-z0-9_-])`);
    for (const resource of terraformDeclared(tree)) {
      if (resource.address === target.address) continue;
      if (mentions(resource.body, (text) => pattern.test(text))) out.push(resource.address);
    }
    for (const [name, output] of entriesOf(child(tree, "output")))
      if (mentions(output, (text) => pattern.test(text))) out.push(`output.${name}`);
    return out;
  }
  const id = target.address;
  const sub = new RegExp(`\\$\\{${escape(id)}(\\.[^}]*)?\\}`);
  const refers = (node: TreeNode): boolean => cloudFormationRefers(node, id, sub);
  const documents = tree.kind === "list" ? tree.items : [tree];
  for (const document of documents) {
    for (const [logicalId, resource] of entriesOf(child(document, "Resources"))) {
      if (logicalId !== id && refers(resource)) out.push(logicalId);
    }
    for (const [name, output] of entriesOf(child(document, "Outputs")))
      if (refers(output)) out.push(`output ${name}`);
  }
  return out;
}

function mentions(node: TreeNode, test: (text: string) => boolean): boolean {
  if (node.kind === "scalar") return typeof node.value === "string" && test(node.value);
  if (node.kind === "list") return node.items.some((item) => mentions(item, test));
  return [...node.entries.values()].some((value) => mentions(value, test));
}

function cloudFormationRefers(node: TreeNode, id: string, sub: RegExp): boolean {
  if (node.kind === "scalar") return false;
  if (node.kind === "list") return node.items.some((item) => cloudFormationRefers(item, id, sub));
  for (const [key, value] of node.entries) {
    if (key === "Ref" && value.kind === "scalar" && value.value === id) return true;
    if (key === "Fn::GetAtt") {
      const first = value.kind === "list" ? value.items[0] : value;
      if (
        first?.kind === "scalar" &&
        typeof first.value === "string" &&
        first.value.split(".")[0] === id
      )
        return true;
    }
    if (key === "DependsOn") {
      const names = itemsOf(value).map((item) => (item.kind === "scalar" ? item.value : undefined));
      if (names.includes(id)) return true;
    }
    if (key === "Fn::Sub") {
      const template = value.kind === "list" ? value.items[0] : value;
      if (
        template?.kind === "scalar" &&
        typeof template.value === "string" &&
        sub.test(template.value)
      )
        return true;
    }
    if (cloudFormationRefers(value, id, sub)) return true;
  }
  return false;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
