import dnsTtlCut from "../../../src/rules/generic/dns-ttl-cut.js";
import { ruleTable } from "../rule-table.js";

const record = (ttl: number) => `resource "aws_route53_record" "www" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "www.example.com"
  type    = "CNAME"
  ttl     = ${ttl}
  records = ["lb.example.com"]
}
`;

ruleTable(dnsTtlCut, {
  cases: [
    {
      name: "a TTL cut from 1 h to 5 min is medium",
      path: "dns.tf",
      before: record(3600),
      after: record(300),
      expect: [
        {
          severity: "medium",
          line: "ttl",
          phrase:
            /DNS record www TTL cut from 1 h to 5 min: resolvers ask 12× as often, and caches keep the old answer for up to 1 h/,
        },
      ],
    },
    {
      name: "a CloudFormation TTL below a minute is medium",
      path: "dns.yaml",
      before:
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Www:\n    Type: AWS::Route53::RecordSet\n    Properties:\n      Name: www.example.com\n      Type: CNAME\n      TTL: '90'\n      ResourceRecords: [lb.example.com]\n",
      after:
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Www:\n    Type: AWS::Route53::RecordSet\n    Properties:\n      Name: www.example.com\n      Type: CNAME\n      TTL: '50'\n      ResourceRecords: [lb.example.com]\n",
      expect: [
        {
          severity: "medium",
          line: "TTL",
          phrase: /DNS record Www TTL cut from 90 s to 50 s/,
        },
      ],
    },
    {
      name: "a large raise is low",
      path: "dns.tf",
      before: record(60),
      after: record(86400),
      expect: [
        {
          severity: "low",
          line: "ttl",
          phrase: /raised from 60 s to 24 h: the next cutover or rollback/,
        },
      ],
    },
    {
      name: "a small cut is not reported",
      path: "dns.tf",
      before: record(300),
      after: record(200),
      expect: [],
    },
  ],
});
