import { defineRule, type Detection } from "../types.js";
import { keptPairsOf } from "../model/aws/elb-resources.js";
import { loadBalancersOf } from "../model/aws/load-balancers.js";
import {
  changeValues,
  type CreateOnlyAttribute,
  type CreateOnlyChange,
  createOnlyChanges,
  describeChanges,
} from "../model/iac/create-only.js";
import { stringOf } from "../model/iac/settings.js";
import { safe } from "../model/advice.js";

// terraform-provider-aws r/lb (ForceNew: name, name_prefix, load_balancer_type,
// customer_owned_ipv4_pool) and r/elb (name, name_prefix); CloudFormation createOnlyProperties
// (Name, Type; LoadBalancerName for Classic). `internal`/Scheme: aws.load-balancer.internal-flipped.
const MODERN: readonly CreateOnlyAttribute[] = [
  { terraform: "name", cloudFormation: "Name", computed: true, initial: "(generated)" },
  { terraform: "name_prefix", cloudFormation: "", computed: true, initial: "(none)" },
  {
    terraform: "load_balancer_type",
    cloudFormation: "Type",
    computed: false,
    initial: "application",
  },
  { terraform: "customer_owned_ipv4_pool", cloudFormation: "", computed: false },
];
const CLASSIC: readonly CreateOnlyAttribute[] = [
  { terraform: "name", cloudFormation: "LoadBalancerName", computed: true, initial: "(generated)" },
  { terraform: "name_prefix", cloudFormation: "", computed: true, initial: "(none)" },
];

/** A replaced load balancer gets a new DNS name; everything that points at the old one breaks. */
export default defineRule({
  id: "aws.load-balancer.replaced",
  family: "aws",
  title: "Load balancer will be replaced",
  description:
    "A create-only attribute of a load balancer changes (name, name_prefix, load_balancer_type; CloudFormation " +
    "Name, Type, LoadBalancerName): it is destroyed and recreated with a new DNS name and addresses, its " +
    "listeners are recreated, and DNS records or clients that use the old name break until updated.",
  severity: "high",
  params: {},
  dialects: ["terraform", "cloudformation"],
  check(file) {
    const findings: Detection[] = [];
    for (const [before, after] of keptPairsOf(file, loadBalancersOf)) {
      const kindChange: CreateOnlyChange[] =
        before.classic === after.classic
          ? []
          : [
              {
                name: "Type",
                was: before.classic ? "classic" : "ELBv2",
                now: after.classic ? "classic" : (stringOf(after.lbType) ?? "ELBv2"),
                line: after.line,
              },
            ];
      const changes =
        kindChange.length > 0
          ? kindChange
          : createOnlyChanges(
              before,
              after,
              after.classic ? CLASSIC : MODERN,
              after.dialect === "terraform",
            );
      if (changes.length === 0) continue;
      findings.push({
        severity: "high",
        line: changes[0]!.line,
        path: after.path,
        message:
          `${after.label} will be replaced (${describeChanges(changes)}): the new load balancer has a new DNS ` +
          "name and addresses, so records, allow-lists and clients that use the old one break, and traffic stops " +
          "while listeners are recreated." +
          safe(
            `keep ${changes.map((change) => `${change.name} = ${JSON.stringify(change.was ?? null)}`).join(", ")}, and create the new load balancer beside it`,
          ),
        before: changeValues(changes, "was"),
        after: changeValues(changes, "now"),
        figures: { forceNewAttributes: changes.map((change) => change.name).join(", ") },
        checklist: [
          `Confirm every DNS record, CDN origin and allow-list that uses the name or addresses of ${after.label} is updated with it.`,
        ],
      });
    }
    return findings;
  },
});
