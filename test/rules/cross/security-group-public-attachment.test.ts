import rule from "../../../src/rules/cross/security-group-public-attachment.js";
import { ruleTable } from "../rule-table.js";

const group = `resource "aws_security_group" "lb" {
  name   = "lb"
  vpc_id = var.vpc_id
}
`;
const worldRule = (cidr: string, port = 443): string => `
resource "aws_security_group_rule" "https_in" {
  type              = "ingress"
  security_group_id = aws_security_group.lb.id
  protocol          = "tcp"
  from_port         = ${port}
  to_port           = ${port}
  cidr_blocks       = ["${cidr}"]
}
`;
const balancer = (internal: boolean): string => `resource "aws_lb" "public" {
  name               = "web"
  load_balancer_type = "application"
  internal           = ${internal}
  security_groups    = [aws_security_group.lb.id]
  subnets            = var.subnets
}
`;
const inlineWorld = `resource "aws_security_group" "lb" {
  name = "lb"
  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;

/** Terraform JSON: group `lb`, and when `cidr` is given an ingress rule on 443 from it (IPv6). */
const jsonGroup = (cidr?: string): string =>
  JSON.stringify(
    {
      resource: {
        aws_security_group: { lb: { name: "lb" } },
        ...(cidr === undefined
          ? {}
          : {
              aws_vpc_security_group_ingress_rule: {
                https_v6: {
                  security_group_id: "${aws_security_group.lb.id}",
                  ip_protocol: "tcp",
                  from_port: 443,
                  to_port: 443,
                  cidr_ipv6: cidr,
                },
              },
            }),
      },
    },
    null,
    2,
  );

ruleTable(rule, {
  path: "infra/sg.tf",
  cases: [
    {
      name: "rule opened to 0.0.0.0/0 on the group the internet-facing ALB in lb.tf uses",
      before: group,
      after: group + worldRule("0.0.0.0/0"),
      context: [{ path: "infra/lb.tf", text: balancer(false) }],
      expect: [
        {
          severity: "high",
          line: "cidr_blocks",
          phrase:
            /aws_security_group_rule.https_in \(infra\/sg.tf\) opens port 443 to 0.0.0.0\/0 on aws_security_group.lb, which aws_lb.public \(infra\/lb.tf\) uses.*Safe: .*`internal = true` on aws_lb.public/,
        },
      ],
    },
    {
      name: "the same opening on an internal load balancer: no finding",
      before: group,
      after: group + worldRule("0.0.0.0/0"),
      context: [{ path: "infra/lb.tf", text: balancer(true) }],
      expect: [],
    },
    {
      name: "an opening to a private range: no finding",
      before: group,
      after: group + worldRule("10.0.0.0/8"),
      context: [{ path: "infra/lb.tf", text: balancer(false) }],
      expect: [],
    },
    {
      name: "an SSH opening on the group an instance in another file uses",
      before: group,
      after: group + worldRule("0.0.0.0/0", 22),
      context: [
        {
          path: "infra/bastion.tf",
          text: `resource "aws_instance" "bastion" {\n  ami                    = var.ami\n  vpc_security_group_ids = [aws_security_group.lb.id]\n}\n`,
        },
      ],
      expect: [{ severity: "high", line: "cidr_blocks", phrase: "aws_instance.bastion" }],
    },
    {
      name: "the load balancer is the changed file: made public while the group in sg.tf is open to the world",
      path: "infra/lb.tf",
      before: balancer(true),
      after: balancer(false),
      context: [{ path: "infra/sg.tf", text: inlineWorld }],
      expect: [
        {
          severity: "high",
          line: "internal",
          phrase:
            "an ingress block of aws_security_group.lb (infra/sg.tf) opens port 443 to 0.0.0.0/0",
        },
      ],
    },
    {
      name: "Terraform JSON: a new IPv6 ingress rule open to ::/0 on the ALB's group",
      path: "infra/sg.tf.json",
      before: jsonGroup(),
      after: jsonGroup("::/0"),
      context: [{ path: "infra/lb.tf", text: balancer(false) }],
      expect: [{ severity: "high", line: '"cidr_ipv6"', phrase: "opens port 443 to ::/0" }],
    },
    {
      name: "Terraform JSON: the same ::/0 rule on the group of an internal load balancer: no finding",
      path: "infra/sg.tf.json",
      before: jsonGroup(),
      after: jsonGroup("::/0"),
      context: [{ path: "infra/lb.tf", text: balancer(true) }],
      expect: [],
    },
    {
      name: "Terraform JSON: a rule from a private IPv6 range on the ALB's group: no finding",
      path: "infra/sg.tf.json",
      before: jsonGroup(),
      after: jsonGroup("fd00::/8"),
      context: [{ path: "infra/lb.tf", text: balancer(false) }],
      expect: [],
    },
  ],
});
