import loadBalancerPublicAdded from "../../../src/rules/generic/load-balancer-public-added.js";
import { ruleTable } from "../rule-table.js";

const awsLb = (extra: string) => `resource "aws_lb" "web" {
  name               = "web"
  load_balancer_type = "application"
${extra}  subnets            = var.subnets
}
`;

const cfnLb = (extra: string) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Bucket:
    Type: AWS::S3::Bucket
${extra}`;

const cfnAlb = (props: string) => `  LoadBalancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Subnets: !Ref Subnets
${props}`;

const gcpRule = (scheme: string) => `resource "google_compute_forwarding_rule" "web" {
  name                  = "web"
  region                = "europe-west1"
${scheme}  port_range            = "80"
  backend_service       = google_compute_region_backend_service.web.id
}
`;

const azureLb = (frontend: string) => `resource "azurerm_lb" "web" {
  name                = "web"
  location            = "westeurope"
  resource_group_name = "rg"
  frontend_ip_configuration {
    name = "front"
${frontend}  }
}
`;

ruleTable(loadBalancerPublicAdded, {
  cases: [
    {
      name: "a new aws_lb without internal is internet-facing: high",
      path: "lb.tf",
      before: "",
      after: awsLb(""),
      expect: [
        {
          severity: "high",
          line: 'resource "aws_lb" "web"',
          phrase: /is new and internet-facing \(no internal, so internet-facing by default\)/,
        },
      ],
    },
    {
      name: "a new internal aws_lb is not exposed",
      path: "lb.tf",
      before: "",
      after: awsLb("  internal           = true\n"),
      expect: [],
    },
    {
      name: "a kept internet-facing aws_lb is not new",
      path: "lb.tf",
      before: awsLb(""),
      after: awsLb("  idle_timeout       = 120\n"),
      expect: [],
    },
    {
      name: "an internet-facing aws_lb renamed (web → this) is no new exposure: it was reachable before",
      path: "lb.tf",
      before: awsLb(""),
      after: awsLb("").replace('"aws_lb" "web"', '"aws_lb" "this"'),
      expect: [],
    },
    {
      name: "an internal aws_lb replaced by an internet-facing one under another name: high",
      path: "lb.tf",
      before: awsLb("  internal           = true\n"),
      after: awsLb("").replace('"aws_lb" "web"', '"aws_lb" "this"'),
      expect: [
        {
          severity: "high",
          line: 'resource "aws_lb" "this"',
          phrase: /is new and internet-facing/,
        },
      ],
    },
    {
      name: "an internet-facing CloudFormation ALB under a new logical id replacing a public one: no new exposure",
      path: "lb.yaml",
      before: cfnLb(cfnAlb("      Scheme: internet-facing\n")),
      after: cfnLb(
        cfnAlb("      Scheme: internet-facing\n").replace("LoadBalancer:", "PublicAlb:"),
      ),
      expect: [],
    },
    {
      name: "a new CloudFormation ALB without Scheme is internet-facing: high",
      path: "template.yaml",
      before: cfnLb(""),
      after: cfnLb(cfnAlb("")),
      expect: [
        {
          severity: "high",
          line: "LoadBalancer:",
          phrase: /is new and internet-facing \(no Scheme, so internet-facing by default\)/,
        },
      ],
    },
    {
      name: "a new CloudFormation ALB with Scheme internal is not exposed",
      path: "template.yaml",
      before: cfnLb(""),
      after: cfnLb(cfnAlb("      Scheme: internal\n")),
      expect: [],
    },
    {
      name: "a new CloudFormation ALB whose Scheme parameter defaults to internet-facing: high",
      path: "template.yaml",
      before: cfnLb(""),
      after: cfnLb(cfnAlb("      Scheme: !Ref LoadBalancerScheme\n")).replace(
        "Resources:",
        "Parameters:\n  LoadBalancerScheme:\n    Type: String\n    Default: internet-facing\n    AllowedValues: [internet-facing, internal]\nResources:",
      ),
      expect: [
        {
          severity: "high",
          line: "Scheme: !Ref LoadBalancerScheme",
          phrase: /\(Scheme from LoadBalancerScheme, whose default is internet-facing\)/,
        },
      ],
    },
    {
      name: "a new CloudFormation ALB whose Scheme parameter defaults to internal is not exposed",
      path: "template.yaml",
      before: cfnLb(""),
      after: cfnLb(cfnAlb("      Scheme: !Ref LoadBalancerScheme\n")).replace(
        "Resources:",
        "Parameters:\n  LoadBalancerScheme:\n    Type: String\n    Default: internal\nResources:",
      ),
      expect: [],
    },
    {
      name: "a new aws_lb whose internal variable defaults to false: high",
      path: "lb.tf",
      before: 'variable "internal" {\n  default = false\n}\n',
      after:
        'variable "internal" {\n  default = false\n}\n' +
        awsLb("  internal           = var.internal\n"),
      expect: [
        {
          severity: "high",
          line: "internal           = var.internal",
          phrase: /\(internal from var\.internal, whose default is false\)/,
        },
      ],
    },
    {
      name: "a new aws_lb whose internal variable defaults to true is not exposed",
      path: "lb.tf",
      before: 'variable "internal" {\n  default = true\n}\n',
      after:
        'variable "internal" {\n  default = true\n}\n' +
        awsLb("  internal           = var.internal\n"),
      expect: [],
    },
    {
      name: "an internet-facing CloudFormation ALB made dualstack is medium",
      path: "template.yaml",
      before: cfnLb(cfnAlb("      Scheme: internet-facing\n")),
      after: cfnLb(cfnAlb("      Scheme: internet-facing\n      IpAddressType: dualstack\n")),
      expect: [
        {
          severity: "medium",
          line: "IpAddressType: dualstack",
          phrase:
            /becomes dualstack \(was ipv4\): the internet-facing load balancer now also answers on IPv6/,
        },
      ],
    },
    {
      name: "an internal CloudFormation ALB made dualstack is not exposed",
      path: "template.yaml",
      before: cfnLb(cfnAlb("      Scheme: internal\n")),
      after: cfnLb(cfnAlb("      Scheme: internal\n      IpAddressType: dualstack\n")),
      expect: [],
    },
    {
      name: "a new GCP forwarding rule without a scheme is EXTERNAL: high",
      path: "lb.tf",
      before: "",
      after: gcpRule(""),
      expect: [
        {
          severity: "high",
          line: 'resource "google_compute_forwarding_rule" "web"',
          phrase: /forwarding rule web is new and internet-facing \(no load_balancing_scheme/,
        },
      ],
    },
    {
      name: "a GCP forwarding rule moved from INTERNAL to EXTERNAL_MANAGED is high",
      path: "lb.tf",
      before: gcpRule('  load_balancing_scheme = "INTERNAL"\n'),
      after: gcpRule('  load_balancing_scheme = "EXTERNAL_MANAGED"\n'),
      expect: [
        {
          severity: "high",
          line: "load_balancing_scheme",
          phrase: /becomes internet-facing \(load_balancing_scheme EXTERNAL_MANAGED\)/,
        },
      ],
    },
    {
      name: "a new internal GCP forwarding rule is not exposed",
      path: "lb.tf",
      before: "",
      after: gcpRule('  load_balancing_scheme = "INTERNAL"\n'),
      expect: [],
    },
    {
      name: "an Azure load balancer's frontend moved from a subnet to a public IP is high",
      path: "lb.tf",
      before: azureLb("    subnet_id = azurerm_subnet.app.id\n"),
      after: azureLb("    public_ip_address_id = azurerm_public_ip.web.id\n"),
      expect: [
        {
          severity: "high",
          line: "frontend_ip_configuration {",
          phrase:
            /load balancer web becomes internet-facing \(frontend front has a public IP address\)/,
        },
      ],
    },
    {
      name: "a new private Azure load balancer is not exposed",
      path: "lb.tf",
      before: "",
      after: azureLb("    subnet_id = azurerm_subnet.app.id\n"),
      expect: [],
    },
  ],
});
