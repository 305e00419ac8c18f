import { defineRule } from "../types.js";
import { loadBalancerChanges } from "../model/aws/load-balancers.js";
import { toBool } from "../model/iac/settings.js";
import { transitionFindings } from "../model/transitions.js";
import { safe } from "../model/advice.js";

/**
 * `internal` is ForceNew in terraform-provider-aws (r/lb, r/elb) and `Scheme` is create-only in
 * CloudFormation: the load balancer is replaced, with a new DNS name, and its exposure changes.
 */
export default defineRule({
  id: "aws.load-balancer.internal-flipped",
  family: "aws",
  title: "Load balancer switches between internal and internet-facing",
  description:
    "`internal` (CloudFormation `Scheme`) flips. The load balancer is destroyed and recreated with a new DNS " +
    "name and addresses: records and clients that point at the old name break, and the service either " +
    "disappears from the internet or becomes exposed to it.",
  severity: "high",
  params: {},
  dialects: ["terraform", "cloudformation"],
  check(file) {
    const changes = loadBalancerChanges(
      file,
      (lb) => lb.internal,
      toBool,
      false, // a Terraform load balancer that never set `internal` was created internet-facing
    );
    return transitionFindings(changes, ({ after, was, now }) => ({
      severity: "high",
      message: now
        ? `${after.label} becomes internal: it is replaced by a new load balancer with a new DNS name, and clients on the internet can no longer reach it.${safe(`keep internal = ${was} (Scheme "internet-facing"), and create the internal load balancer beside it`)}`
        : `${after.label} becomes internet-facing: it is replaced by a new load balancer with a new DNS name, reachable from the internet.${safe(`keep internal = ${was} (Scheme "internal"), and create a separate public load balancer if one is needed`)}`,
      before: was ? "internal" : "internet-facing",
      after: now ? "internal" : "internet-facing",
      checklist: now
        ? [
            `Confirm no client outside the VPC uses ${after.label}, and update every DNS record that points at its old name.`,
          ]
        : [
            `Confirm the security groups and listeners of ${after.label} are meant for the internet (authentication, TLS).`,
            "Update every DNS record that points at the old load balancer's name.",
          ],
    }));
  },
});
