import { defineRule } from "../types.js";
import { removalFindings, type RemovableKind } from "../model/iac/removed-resources.js";

const LOAD_BALANCER: RemovableKind = {
  noun: "load balancer",
  severity: "high",
  consequence: "its DNS name stops answering and every listener on it goes with it",
};
const TARGET_GROUP: RemovableKind = {
  noun: "target group",
  severity: "high",
  consequence: "its registered targets stop receiving traffic through it",
};
const LISTENER: RemovableKind = {
  noun: "listener",
  severity: "high",
  consequence: "clients connecting to its port fail",
};
const LISTENER_RULE: RemovableKind = {
  noun: "listener rule",
  severity: "high",
  consequence: "requests it matched fall through to the listener's default action",
};
const ATTACHMENT: RemovableKind = {
  noun: "target attachment",
  severity: "medium",
  consequence:
    "the target is deregistered and stops receiving traffic after the deregistration delay",
};
const CERTIFICATE: RemovableKind = {
  noun: "listener certificate",
  severity: "medium",
  consequence: "hostnames only it covered get the default certificate and a name-mismatch error",
};
const POLICY: RemovableKind = {
  noun: "load-balancer policy",
  severity: "medium",
  consequence: "the listeners that used it fall back to their defaults (TLS policy, stickiness)",
};
const OTHER: RemovableKind = {
  noun: "load-balancer resource",
  severity: "medium",
  consequence: "what used it loses that configuration",
};

const TERRAFORM: Record<string, RemovableKind> = {
  aws_lb: LOAD_BALANCER,
  aws_elb: { ...LOAD_BALANCER, noun: "classic load balancer" },
  aws_lb_target_group: TARGET_GROUP,
  aws_lb_listener: LISTENER,
  aws_lb_listener_rule: LISTENER_RULE,
  aws_lb_target_group_attachment: ATTACHMENT,
  aws_elb_attachment: ATTACHMENT,
  aws_lb_listener_certificate: CERTIFICATE,
  aws_lb_cookie_stickiness_policy: POLICY,
  aws_app_cookie_stickiness_policy: POLICY,
  aws_lb_ssl_negotiation_policy: POLICY,
  aws_load_balancer_policy: POLICY,
  aws_load_balancer_listener_policy: POLICY,
  aws_load_balancer_backend_server_policy: POLICY,
  aws_proxy_protocol_policy: POLICY,
};

const CLOUDFORMATION: Record<string, RemovableKind> = {
  "AWS::ElasticLoadBalancingV2::LoadBalancer": LOAD_BALANCER,
  "AWS::ElasticLoadBalancing::LoadBalancer": { ...LOAD_BALANCER, noun: "classic load balancer" },
  "AWS::ElasticLoadBalancingV2::TargetGroup": TARGET_GROUP,
  "AWS::ElasticLoadBalancingV2::Listener": LISTENER,
  "AWS::ElasticLoadBalancingV2::ListenerRule": LISTENER_RULE,
  "AWS::ElasticLoadBalancingV2::ListenerCertificate": CERTIFICATE,
};

/** Every aws_lb*, aws_alb*, aws_elb* resource and the ElasticLoadBalancing CloudFormation types. */
function kindOf(type: string): RemovableKind | undefined {
  const canonical = type.replace(/^aws_alb/, "aws_lb");
  if (TERRAFORM[canonical]) return TERRAFORM[canonical];
  if (/^aws_(lb|elb)(_|$)/.test(canonical)) return OTHER;
  if (CLOUDFORMATION[type]) return CLOUDFORMATION[type];
  if (/^AWS::ElasticLoadBalancing(V2)?::/.test(type)) return OTHER;
  return undefined;
}

/**
 * The AWS-specific deletion rule: it names what depended on the deleted resource (listeners
 * forwarding to a target group, rules on a listener) and whether the new file still refers to it.
 */
export default defineRule({
  id: "aws.resource.removed",
  family: "aws",
  title: "AWS load-balancer resource deleted",
  description:
    "A load balancer, target group, listener or listener rule (high), or an attachment, listener certificate or " +
    "policy (medium) disappears from a Terraform or CloudFormation file, so it is destroyed. The finding names " +
    "the resources that referred to it; if the new file still refers to it, the plan or stack update fails " +
    "instead (medium). Terraform `moved` and `removed { lifecycle { destroy = false } }` blocks and " +
    "CloudFormation `DeletionPolicy: Retain` are respected.",
  severity: "high",
  params: {},
  dialects: ["terraform", "cloudformation"],
  check(file) {
    return removalFindings(file, kindOf);
  },
});
