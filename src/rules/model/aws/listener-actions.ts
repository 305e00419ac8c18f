// What a listener (default action) or listener rule does with a request, from Terraform
// `default_action`/`action` blocks or CloudFormation `DefaultActions`/`Actions`.
import { child, itemsOf, scalarAt, type TreeNode } from "../../../formats/tree.js";
import { toNumber } from "../figures.js";
import { isLiteral, referenceOf } from "../iac/settings.js";

export interface ActionSummary {
  /** The action that answers the request: forward, redirect, fixed-response. */
  readonly type: string;
  /** authenticate-cognito / authenticate-oidc steps before it. */
  readonly authentication: readonly string[];
  /** Forward targets and their share of requests (0–1); undefined when unknowable. */
  readonly shares: ReadonlyMap<string, number> | undefined;
  /** Redirect protocol (upper case), when literal. */
  readonly redirectProtocol?: string | undefined;
  /** Fixed-response status code, when literal. */
  readonly status?: string | undefined;
}

/** Summary of a list of actions, or undefined when it cannot be read (dynamic blocks, intrinsics). */
export function summarizeActions(actions: readonly TreeNode[]): ActionSummary | undefined {
  if (actions.length === 0) return undefined;
  const typed = actions.map((action) => ({
    action,
    type: typeOf(action),
    order: toNumber(scalarAt(action, "order") ?? scalarAt(action, "Order")),
  }));
  if (typed.some((entry) => entry.type === undefined)) return undefined;
  typed.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  const authentication = typed
    .filter((entry) => entry.type!.startsWith("authenticate"))
    .map((entry) => entry.type!);
  const final = [...typed].reverse().find((entry) => !entry.type!.startsWith("authenticate"));
  if (!final) return undefined;
  const type = final.type!;
  return {
    type,
    authentication,
    shares: type === "forward" ? forwardShares(final.action) : undefined,
    redirectProtocol: literalString(
      child(child(final.action, "redirect") ?? child(final.action, "RedirectConfig"), "protocol") ??
        child(child(final.action, "RedirectConfig"), "Protocol"),
    )?.toUpperCase(),
    status: literalString(
      child(child(final.action, "fixed_response"), "status_code") ??
        child(child(final.action, "FixedResponseConfig"), "StatusCode"),
    ),
  };
}

function typeOf(action: TreeNode): string | undefined {
  const node = child(action, "type") ?? child(action, "Type");
  return isLiteral(node) && typeof node.value === "string" ? node.value.toLowerCase() : undefined;
}

function literalString(node: TreeNode | undefined): string | undefined {
  return isLiteral(node) && node.value !== null ? String(node.value) : undefined;
}

/**
 * Share of requests per target group. One target: all of it. Weighted forward: weight / total, a
 * missing weight counting as 1; unknowable if a target or weight is an expression.
 */
function forwardShares(action: TreeNode): Map<string, number> | undefined {
  const single = child(action, "target_group_arn") ?? child(action, "TargetGroupArn");
  const forward = child(action, "forward") ?? child(action, "ForwardConfig");
  const groups = itemsOf(child(forward, "target_group") ?? child(forward, "TargetGroups"));
  if (groups.length === 0) {
    const target = referenceOf(single);
    return target === undefined ? undefined : new Map([[target, 1]]);
  }
  const weights = new Map<string, number>();
  for (const group of groups) {
    const target = referenceOf(child(group, "arn") ?? child(group, "TargetGroupArn"));
    const weightNode = child(group, "weight") ?? child(group, "Weight");
    const weight =
      weightNode === undefined ? 1 : isLiteral(weightNode) ? toNumber(weightNode.value) : undefined;
    if (target === undefined || weight === undefined) return undefined;
    weights.set(target, (weights.get(target) ?? 0) + weight);
  }
  const total = [...weights.values()].reduce((sum, weight) => sum + weight, 0);
  if (total <= 0) return undefined;
  return new Map([...weights].map(([target, weight]) => [target, weight / total]));
}

/** Share of requests that go to a different target group than before (0–1). */
export function shareMoved(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
): number {
  let moved = 0;
  for (const [target, share] of after) moved += Math.max(0, share - (before.get(target) ?? 0));
  return moved;
}
