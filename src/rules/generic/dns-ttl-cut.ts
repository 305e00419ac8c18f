import { formatPath, item, key } from "../../diff/path.js";
import type { Dialect } from "../../formats/dialect.js";
import { child, itemsOf, scalarAt, type TreeNode } from "../../formats/tree.js";
import { formatSeconds, toNumber } from "../model/figures.js";
import { defineRule, type Detection } from "../types.js";
import { cloudFormationResources } from "../model/iac/cloudformation.js";
import { terraformResources } from "../model/iac/terraform.js";

interface RecordTtl {
  readonly key: string;
  readonly label: string;
  readonly seconds: number;
  readonly line: number;
  readonly path: string;
}

const AZURE_RECORDS = ["a", "aaaa", "caa", "cname", "mx", "ns", "ptr", "srv", "txt"].map(
  (type) => `azurerm_dns_${type}_record`,
);

function ttlOf(node: TreeNode | undefined): { seconds: number; line: number } | undefined {
  if (node?.kind !== "scalar") return undefined;
  const seconds = toNumber(node.value);
  return seconds === undefined ? undefined : { seconds, line: node.line };
}

function recordTtls(dialect: Dialect, tree: TreeNode | null): Map<string, RecordTtl> {
  const out = new Map<string, RecordTtl>();
  if (!tree) return out;
  const add = (id: string, label: string, node: TreeNode | undefined, path: string) => {
    const ttl = ttlOf(node);
    if (ttl) out.set(id, { key: id, label, ...ttl, path });
  };
  if (dialect === "terraform") {
    for (const resource of terraformResources(tree, [
      "aws_route53_record",
      "google_dns_record_set",
      ...AZURE_RECORDS,
    ]))
      add(
        resource.path,
        `DNS record ${resource.name}`,
        child(resource.body, "ttl"),
        `${resource.path}.ttl`,
      );
  } else {
    for (const resource of cloudFormationResources(tree, ["AWS::Route53::RecordSet"]))
      add(
        resource.path,
        `DNS record ${resource.logicalId}`,
        child(resource.properties, "TTL"),
        `${resource.path}.Properties.TTL`,
      );
    for (const resource of cloudFormationResources(tree, ["AWS::Route53::RecordSetGroup"]))
      itemsOf(child(resource.properties, "RecordSets")).forEach((record, index) => {
        const name = scalarAt(record, "Name");
        const id =
          typeof name === "string"
            ? `${name}/${String(scalarAt(record, "Type") ?? "")}`
            : String(index);
        add(
          `${resource.path}[${id}]`,
          `DNS record ${typeof name === "string" ? name : index + 1} of ${resource.logicalId}`,
          child(record, "TTL"),
          formatPath([
            key("Resources"),
            key(resource.logicalId),
            key("Properties"),
            key("RecordSets"),
            item(String(index)),
            key("TTL"),
          ]),
        );
      });
  }
  return out;
}

/**
 * A DNS TTL decides how long resolvers keep a record: a cut multiplies queries (cost, dependence on the DNS
 * provider) and only takes effect once the old TTL has expired, so a cutover planned right after it still
 * reaches the old target; a large raise slows the next cutover or rollback (judgement).
 */
export default defineRule({
  id: "generic.dns.ttl-cut",
  family: "generic",
  title: "DNS record TTL cut (or raised a lot)",
  description:
    "A Route 53, Cloud DNS or Azure DNS record's TTL (Terraform or CloudFormation) is cut by more than half or below a " +
    "floor (medium: more queries and dependence on DNS, and caches keep the old TTL until it expires, so a cutover " +
    "right after it still reaches the old target), or raised many times over to an hour or more (low: the next cutover " +
    "or rollback waits that long for caches).",
  severity: "medium",
  params: {
    // Judgement: below a minute, resolvers clamp TTLs and query volume climbs steeply.
    minTtlSeconds: { default: 60, description: "TTLs cut below this are reported (seconds)." },
    // Judgement: a cut to half or less is a deliberate change of caching behaviour.
    maxCutRatio: {
      default: 0.5,
      description: "A TTL cut to this share of the old one or less is reported.",
    },
  },
  dialects: ["terraform", "cloudformation"],
  check(file, params) {
    const findings: Detection[] = [];
    const before = recordTtls(file.dialect, file.before);
    for (const now of recordTtls(file.dialect, file.after).values()) {
      const was = before.get(now.key);
      if (!was || was.seconds === now.seconds) continue;
      if (now.seconds < was.seconds) {
        if (now.seconds > was.seconds * params.maxCutRatio && now.seconds >= params.minTtlSeconds)
          continue;
        findings.push({
          severity: "medium",
          line: now.line,
          path: now.path,
          message:
            `${now.label} TTL cut from ${formatSeconds(was.seconds)} to ${formatSeconds(now.seconds)}: resolvers ask ${Math.round(was.seconds / Math.max(now.seconds, 1))}× as often, ` +
            `and caches keep the old answer for up to ${formatSeconds(was.seconds)} after this applies, so a cutover planned right after it still reaches the old target.`,
          before: was.seconds,
          after: now.seconds,
          figures: { ttlSecondsBefore: was.seconds, ttlSeconds: now.seconds },
          checklist: [
            `Confirm any target switch for ${now.label} waits ${formatSeconds(was.seconds)} after this change is applied, and that the added DNS query volume is acceptable.`,
          ],
        });
      } else if (now.seconds >= 3600 && now.seconds >= was.seconds * 4) {
        findings.push({
          severity: "low",
          line: now.line,
          path: now.path,
          message: `${now.label} TTL raised from ${formatSeconds(was.seconds)} to ${formatSeconds(now.seconds)}: the next cutover or rollback of this record waits up to ${formatSeconds(now.seconds)} for caches to expire.`,
          before: was.seconds,
          after: now.seconds,
          figures: { ttlSecondsBefore: was.seconds, ttlSeconds: now.seconds },
          checklist: [
            `Confirm no migration of ${now.label} is planned within ${formatSeconds(now.seconds)}.`,
          ],
        });
      }
    }
    return findings;
  },
});
