// ELBv2 target groups (`aws_lb_target_group`, `AWS::ElasticLoadBalancingV2::TargetGroup`): their own settings
// and attributes (docs/lb-facts.md §1b).
import type { Dialect } from "../../../formats/dialect.js";
import type { TreeNode } from "../../../formats/tree.js";
import {
  cloudFormationAttributes,
  cloudFormationProperties,
  cloudFormationResources,
} from "../iac/cloudformation.js";
import type { Setting } from "../iac/settings.js";
import { createsBeforeDestroy, terraformArguments, terraformResources } from "../iac/terraform.js";
import { memoByDialectTree } from "../memo.js";
import {
  CFN_TARGET_GROUP,
  TF_TARGET_GROUPS,
  cloudFormationEntity,
  terraformEntity,
  type ElbEntity,
} from "./elb-resources.js";

export interface TargetGroup extends ElbEntity {
  /** Terraform address (`aws_lb_target_group.web`) or CloudFormation logical id. */
  readonly address: string;
  readonly body: TreeNode | undefined;
  readonly createBeforeDestroy: boolean;
  readonly targetType: Setting;
  readonly protocol: Setting;
  readonly port: Setting;
  readonly deregistrationDelay: Setting;
  readonly slowStart: Setting;
  readonly algorithm: Setting;
  readonly proxyProtocolV2: Setting;
  readonly names: Readonly<Record<TargetGroupField, string>>;
}

export type TargetGroupField =
  "deregistrationDelay" | "slowStart" | "algorithm" | "proxyProtocolV2" | "port" | "protocol";

/** Extracted once per tree (many rules read it). */
export const targetGroupsOf = memoByDialectTree(extractTargetGroupsOf);

function extractTargetGroupsOf(dialect: Dialect, tree: TreeNode): TargetGroup[] {
  if (dialect === "terraform") {
    return terraformResources(tree, TF_TARGET_GROUPS).map((resource) => {
      const at = terraformArguments(resource);
      return {
        ...terraformEntity(resource, "target group"),
        address: `${resource.type}.${resource.name}`,
        body: resource.body,
        createBeforeDestroy: createsBeforeDestroy(resource.body),
        targetType: at("target_type", "instance"),
        protocol: at("protocol", undefined),
        port: at("port", undefined),
        deregistrationDelay: at("deregistration_delay", 300),
        slowStart: at("slow_start", 0),
        algorithm: at("load_balancing_algorithm_type", undefined),
        proxyProtocolV2: at("proxy_protocol_v2", false),
        names: {
          deregistrationDelay: "deregistration_delay",
          slowStart: "slow_start",
          algorithm: "load_balancing_algorithm_type",
          proxyProtocolV2: "proxy_protocol_v2",
          port: "port",
          protocol: "protocol",
        },
      } satisfies TargetGroup;
    });
  }
  if (dialect !== "cloudformation") return [];
  return cloudFormationResources(tree, [CFN_TARGET_GROUP]).map((resource) => {
    const line = resource.properties?.line ?? resource.line;
    const prop = cloudFormationProperties(resource, line);
    const attribute = cloudFormationAttributes(resource, "TargetGroupAttributes", line);
    return {
      ...cloudFormationEntity(resource, "target group"),
      address: resource.logicalId,
      body: resource.properties,
      // CloudFormation always creates the replacement before deleting the old resource.
      createBeforeDestroy: true,
      targetType: prop("TargetType", "instance"),
      protocol: prop("Protocol", undefined),
      port: prop("Port", undefined),
      deregistrationDelay: attribute("deregistration_delay.timeout_seconds", 300),
      slowStart: attribute("slow_start.duration_seconds", 0),
      algorithm: attribute("load_balancing.algorithm.type", "round_robin"),
      proxyProtocolV2: attribute("proxy_protocol_v2.enabled", false),
      names: {
        deregistrationDelay: "deregistration_delay.timeout_seconds",
        slowStart: "slow_start.duration_seconds",
        algorithm: "load_balancing.algorithm.type",
        proxyProtocolV2: "proxy_protocol_v2.enabled",
        port: "Port",
        protocol: "Protocol",
      },
    } satisfies TargetGroup;
  });
}
