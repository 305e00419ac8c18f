// Reading Terraform and CloudFormation settings as values a rule can compare, for the aws, gcp and
// azure families. A value that is not a literal (`var.x`, `${...}`, `{ Ref: X }`) is unknowable:
// rules never judge it.
import { child, scalarAt, type Scalar, type TreeNode } from "../../../formats/tree.js";
import { toNumber } from "../figures.js";

/**
 * One setting of a resource, on one side of the change:
 * - `literal`: written in the file;
 * - `default`: absent, so the provider's default applies (`value` undefined when the provider keeps
 *   whatever the resource already has, e.g. Terraform's Optional+Computed attributes);
 * - `unknown`: an expression or intrinsic function whose value is not in the file.
 * A kept setting may carry `initial`: what the provider set when the resource was created, which is
 * its current value if the file never set it.
 */
export type Setting = (
  | { readonly kind: "literal"; readonly value: Scalar; readonly line: number }
  | {
      readonly kind: "default";
      readonly value: Scalar | undefined;
      readonly line: number;
      readonly initial?: Scalar | undefined;
    }
  | {
      readonly kind: "unknown";
      readonly line: number;
      /** What the expression refers to, when it is a plain reference (see `referenceOf`). */
      readonly reference?: string | undefined;
    }
) & {
  /** Tree path of the setting, for findings. */
  readonly path?: string | undefined;
};

/** A scalar written literally (not an HCL expression, not a CloudFormation intrinsic map). */
export function isLiteral(node: TreeNode | undefined): node is TreeNode & { kind: "scalar" } {
  return node?.kind === "scalar" && node.expression !== true;
}

/** A value written as something other than a literal scalar (`var.x`, a block): unknowable. */
export function isExpression(node: TreeNode | undefined): boolean {
  return node !== undefined && !isLiteral(node);
}

/** The setting `name` of `owner`; `fallback` is the provider default when it is absent. */
export function settingOf(
  owner: TreeNode | undefined,
  name: string,
  fallback: Scalar | undefined,
  ownerLine: number,
  path?: string,
): Setting {
  return settingFromNode(child(owner, name), fallback, ownerLine, path);
}

export function settingFromNode(
  node: TreeNode | undefined,
  fallback: Scalar | undefined,
  ownerLine: number,
  path?: string,
): Setting {
  if (node === undefined) return { kind: "default", value: fallback, line: ownerLine, path };
  if (isLiteral(node) && node.value !== null)
    return { kind: "literal", value: node.value, line: node.line, path };
  if (node.kind === "scalar" && node.value === null)
    return { kind: "default", value: fallback, line: node.line, path };
  return { kind: "unknown", line: node.line, path, reference: referenceOf(node) };
}

/** The known value of a setting: a literal or a documented default; undefined when unknowable or kept. */
export function valueOf(setting: Setting | undefined): Scalar | undefined {
  if (!setting || setting.kind === "unknown") return undefined;
  return setting.value ?? undefined;
}

export function numberOf(setting: Setting | undefined): number | undefined {
  return toNumber(valueOf(setting));
}

export function boolOf(setting: Setting | undefined): boolean | undefined {
  return toBool(valueOf(setting));
}

export function stringOf(setting: Setting | undefined): string | undefined {
  const value = valueOf(setting);
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

export function toBool(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const lower = value.trim().toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
  }
  return undefined;
}

/** A kept setting (Terraform Optional+Computed) with the value the provider gives it at creation. */
export function withInitial(setting: Setting, initial: Scalar | undefined): Setting {
  return setting.kind === "default" && setting.value === undefined
    ? { ...setting, initial }
    : setting;
}

/**
 * The value before and after the change, or undefined when either is unknowable. A setting removed
 * from the file but kept by the provider keeps its old value; one the file never set has the value
 * the provider gave it at creation.
 */
export function valuesOf(before: Setting, after: Setting): [Scalar, Scalar] | undefined {
  const was =
    before.kind === "default" && before.value === undefined ? before.initial : valueOf(before);
  if (was === undefined) return undefined;
  if (after.kind === "default" && after.value === undefined) return [was, was];
  const now = valueOf(after);
  return now === undefined ? undefined : [was, now];
}

/**
 * What a reference points at, for comparing identities (not values): a Terraform reference
 * `aws_lb_target_group.web.arn` → `aws_lb_target_group.web`, a CloudFormation `{ Ref: X }` or
 * `{ "Fn::GetAtt": [X, ...] }` → `X`, a literal ARN → itself. Anything else is unknowable.
 */
export function referenceOf(node: TreeNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind === "scalar") {
    if (typeof node.value !== "string") return undefined;
    if (!node.expression) return node.value;
    const match =
      /^\$\{((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+(?:\[[^\]]+\])?)\.[a-z_]+\}$/.exec(
        node.value,
      );
    return match?.[1];
  }
  if (node.kind === "map" && node.entries.size === 1) {
    const ref = scalarAt(node, "Ref");
    if (typeof ref === "string") return ref;
    const getAtt = child(node, "Fn::GetAtt");
    if (getAtt?.kind === "list") {
      const target = getAtt.items[0];
      return target?.kind === "scalar" && typeof target.value === "string"
        ? target.value
        : undefined;
    }
    if (getAtt?.kind === "scalar" && typeof getAtt.value === "string")
      return getAtt.value.split(".")[0];
  }
  return undefined;
}

/** Reads one setting of an owner by name, with the provider default when it is absent. */
export type SettingReader = (name: string, fallback: Scalar | undefined) => Setting;

/** A value inside a message: strings quoted, the rest as written. */
export function show(value: Scalar | undefined): string {
  if (value === undefined) return "(unset)";
  return typeof value === "string" ? `"${value}"` : String(value);
}
