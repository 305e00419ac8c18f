// Elastic Load Balancing resources as the aws rules see them, from Terraform and CloudFormation: what every
// entity (target group, health check, load balancer, listener) shares, and the resource types they come from.
// Defaults: terraform-provider-aws schemas (r/lb, r/lb_target_group, r/lb_listener, r/elb) and the
// AWS API / CloudFormation defaults (docs/lb-facts.md §1–§3). Terraform's Optional+Computed attributes
// (health_check.path, matcher, timeout, ssl_policy, load_balancing_algorithm_type, internal, and a
// missing health_check block) keep their current value when removed: their default is undefined.
import type { Dialect } from "../../../formats/dialect.js";
import type { TreeNode } from "../../../formats/tree.js";
import type { FileUnderReview } from "../../types.js";
import type { CloudFormationResource } from "../iac/cloudformation.js";
import type { Setting } from "../iac/settings.js";
import type { TerraformResource } from "../iac/terraform.js";
import { keptPairs } from "../pairs.js";

/** Where an entity lives: its identity across versions, how to name it, where it is. */
export interface ElbEntity {
  readonly key: string;
  readonly label: string;
  readonly path: string;
  readonly line: number;
  readonly dialect: "terraform" | "cloudformation";
}

/** A setting that is not in this dialect or this kind of resource. */
export const absent = (line: number): Setting => ({ kind: "default", value: undefined, line });

export const TF_TARGET_GROUPS = ["aws_lb_target_group", "aws_alb_target_group"];
export const TF_LOAD_BALANCERS = ["aws_lb", "aws_alb"];
export const TF_LISTENERS = ["aws_lb_listener", "aws_alb_listener"];
export const TF_LISTENER_RULES = ["aws_lb_listener_rule", "aws_alb_listener_rule"];
export const CFN_TARGET_GROUP = "AWS::ElasticLoadBalancingV2::TargetGroup";
export const CFN_LOAD_BALANCER = "AWS::ElasticLoadBalancingV2::LoadBalancer";
export const CFN_LISTENER = "AWS::ElasticLoadBalancingV2::Listener";
export const CFN_LISTENER_RULE = "AWS::ElasticLoadBalancingV2::ListenerRule";
export const CFN_CLASSIC = "AWS::ElasticLoadBalancing::LoadBalancer";

/** `aws_alb_*` is an alias of `aws_lb_*`: one identity for both spellings. */
const canonicalType = (type: string): string => type.replace(/^aws_alb/, "aws_lb");

/** A Terraform resource as an entity: `noun "name"`, one identity for both spellings of its type. */
export function terraformEntity(resource: TerraformResource, noun: string): ElbEntity {
  return {
    key: `${canonicalType(resource.type)}.${resource.name}`,
    label: `${noun} "${resource.name}"`,
    path: resource.path,
    line: resource.line,
    dialect: "terraform",
  };
}

/** A CloudFormation resource as an entity, identified by its logical id. */
export function cloudFormationEntity(resource: CloudFormationResource, noun: string): ElbEntity {
  return {
    key: resource.logicalId,
    label: `${noun} ${resource.logicalId}`,
    path: resource.path,
    line: resource.line,
    dialect: "cloudformation",
  };
}

/** The entities `entitiesOf` finds on both sides of the file's change, paired by key. */
export function keptPairsOf<T extends ElbEntity>(
  file: Pick<FileUnderReview, "dialect" | "before" | "after">,
  entitiesOf: (dialect: Dialect, tree: TreeNode | null) => T[],
): [T, T][] {
  return keptPairs(entitiesOf(file.dialect, file.before), entitiesOf(file.dialect, file.after));
}
