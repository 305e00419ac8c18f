import ingressWorldOpen from "../../../src/rules/generic/ingress-world-open.js";
import { ruleTable } from "../rule-table.js";

const securityGroup = (cidrs: string, port = 443) => `resource "aws_security_group" "lb" {
  name = "lb"
  ingress {
    from_port   = ${port}
    to_port     = ${port}
    protocol    = "tcp"
    cidr_blocks = ${cidrs}
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;

const lbService = (extra: string) => `apiVersion: v1
kind: Service
metadata:
  name: admin
${extra}spec:
  type: LoadBalancer
  selector:
    app: admin
  ports:
  - port: 8443
`;

ruleTable(ingressWorldOpen, {
  cases: [
    {
      name: "an allowlist widened to 0.0.0.0/0 is high, even on 443",
      path: "sg.tf",
      before: securityGroup('["10.0.0.0/8"]'),
      after: securityGroup('["0.0.0.0/0"]'),
      expect: [
        {
          severity: "high",
          line: 'cidr_blocks = ["0.0.0.0/0"]',
          phrase:
            /security group lb now admits 0\.0\.0\.0\/0 on 443, where it admitted only 10\.0\.0\.0\/8/,
        },
      ],
    },
    {
      name: "an allowlist widened to ::0/0 (IPv6 world, written another way) is high",
      path: "sg.tf",
      before: securityGroup('["10.0.0.0/8"]'),
      after: securityGroup('["10.0.0.0/8", "::0/0"]'),
      expect: [{ severity: "high", line: "cidr_blocks", phrase: /now admits ::0\/0 on 443/ }],
    },
    {
      name: "an allowlist widened to another /8 is not the world",
      path: "sg.tf",
      before: securityGroup('["10.0.0.0/8"]'),
      after: securityGroup('["10.0.0.0/8", "172.16.0.0/12"]'),
      expect: [],
    },
    {
      name: "a new rule opening SSH to the world is high",
      path: "sg.tf",
      before: null,
      after: securityGroup('["0.0.0.0/0"]', 22),
      expect: [
        {
          severity: "high",
          line: 'cidr_blocks = ["0.0.0.0/0"]',
          phrase: /on 22: a new public entry point; anyone on the internet can connect/,
        },
      ],
    },
    {
      // docs/risk.md, Exposure: a security group opened to 0.0.0.0/0 is high, web ports included (was medium).
      name: "a new public HTTPS entry point is high",
      path: "sg.tf",
      before: null,
      after: securityGroup('["0.0.0.0/0"]'),
      expect: [
        {
          severity: "high",
          line: 'cidr_blocks = ["0.0.0.0/0"]',
          phrase: /a new public entry point/,
        },
      ],
    },
    {
      name: "with webPorts listing 443, a new rule opening only 443 is medium",
      path: "sg.tf",
      before: null,
      after: securityGroup('["0.0.0.0/0"]'),
      setting: { params: { webPorts: "80,443" } },
      expect: [
        {
          severity: "medium",
          line: 'cidr_blocks = ["0.0.0.0/0"]',
          phrase: /a new public entry point/,
        },
      ],
    },
    {
      name: "a new IPv6 world ingress on an existing security group is high",
      path: "template.yaml",
      before:
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  HttpIn:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      GroupId: sg-123\n      IpProtocol: tcp\n      FromPort: 80\n      ToPort: 80\n      CidrIp: 0.0.0.0/0\n",
      after:
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  HttpIn:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      GroupId: sg-123\n      IpProtocol: tcp\n      FromPort: 80\n      ToPort: 80\n      CidrIp: 0.0.0.0/0\n  HttpInIPv6:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      GroupId: sg-123\n      IpProtocol: tcp\n      FromPort: 80\n      ToPort: 80\n      CidrIpv6: ::/0\n",
      expect: [
        {
          severity: "high",
          line: "CidrIpv6: ::/0",
          phrase: /security group ingress HttpInIPv6 now admits ::\/0 on 80/,
        },
      ],
    },
    {
      name: "a new public LoadBalancer Service is high",
      path: "k8s/admin.yaml",
      before: null,
      after: lbService(""),
      expect: [
        {
          severity: "high",
          line: "apiVersion: v1",
          phrase: /Service admin now admits 0\.0\.0\.0\/0 on 8443/,
        },
      ],
    },
    {
      name: "Helm values: a service switched from ClusterIP to LoadBalancer is high",
      path: "charts/web/values.yaml",
      before: "replicaCount: 2\nservice:\n  type: ClusterIP\n  port: 80\n",
      after: "replicaCount: 2\nservice:\n  type: LoadBalancer\n  port: 80\n",
      expect: [
        {
          severity: "high",
          line: "type: LoadBalancer",
          phrase:
            /the LoadBalancer Service of values service now admits 0\.0\.0\.0\/0 on 80: a new public entry point/,
        },
      ],
    },
    {
      name: "Helm values: an internal LoadBalancer is not open to the internet",
      path: "charts/web/values.yaml",
      before: "replicaCount: 2\nservice:\n  type: ClusterIP\n  port: 80\n",
      after:
        'replicaCount: 2\nservice:\n  type: LoadBalancer\n  port: 80\n  annotations:\n    service.beta.kubernetes.io/azure-load-balancer-internal: "true"\n',
      expect: [],
    },
    {
      name: "a new internal LoadBalancer Service is not open to the internet",
      path: "k8s/admin.yaml",
      before: null,
      after: lbService('  annotations:\n    networking.gke.io/load-balancer-type: "Internal"\n'),
      expect: [],
    },
    {
      name: "removing loadBalancerSourceRanges opens the Service to any address: high",
      path: "k8s/admin.yaml",
      before: lbService("").replace(
        "  type: LoadBalancer\n",
        "  type: LoadBalancer\n  loadBalancerSourceRanges:\n  - 203.0.113.0/24\n",
      ),
      after: lbService(""),
      expect: [
        {
          severity: "high",
          line: "apiVersion: v1",
          phrase:
            /Service admin now admits 0\.0\.0\.0\/0 on 8443, where it admitted only 203\.0\.113\.0\/24/,
        },
      ],
    },
    {
      name: "a GCP firewall opened to the world is high",
      path: "fw.tf",
      before:
        'resource "google_compute_firewall" "db" {\n  name          = "db"\n  network       = "default"\n  source_ranges = ["10.0.0.0/8"]\n  allow {\n    protocol = "tcp"\n    ports    = ["5432"]\n  }\n}\n',
      after:
        'resource "google_compute_firewall" "db" {\n  name          = "db"\n  network       = "default"\n  source_ranges = ["0.0.0.0/0"]\n  allow {\n    protocol = "tcp"\n    ports    = ["5432"]\n  }\n}\n',
      expect: [
        {
          severity: "high",
          line: "source_ranges",
          phrase: /firewall db now admits 0\.0\.0\.0\/0 on 5432/,
        },
      ],
    },
    {
      name: "CloudFormation ingress widened is high",
      path: "template.yaml",
      before:
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  SshIn:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      GroupId: sg-123\n      IpProtocol: tcp\n      FromPort: 22\n      ToPort: 22\n      CidrIp: 10.0.0.0/16\n",
      after:
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  SshIn:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      GroupId: sg-123\n      IpProtocol: tcp\n      FromPort: 22\n      ToPort: 22\n      CidrIp: 0.0.0.0/0\n",
      expect: [
        {
          severity: "high",
          line: "CidrIp",
          phrase: /security group ingress SshIn now admits 0\.0\.0\.0\/0 on 22/,
        },
      ],
    },
    {
      name: "an internal load balancer is not open to the internet",
      path: "k8s/admin.yaml",
      before: lbService(
        '  annotations:\n    service.beta.kubernetes.io/aws-load-balancer-internal: "true"\n',
      ).replace(
        "  type: LoadBalancer\n",
        "  type: LoadBalancer\n  loadBalancerSourceRanges:\n  - 10.0.0.0/8\n",
      ),
      after: lbService(
        '  annotations:\n    service.beta.kubernetes.io/aws-load-balancer-internal: "true"\n',
      ),
      expect: [],
    },
    {
      name: "an expression is unknowable, and egress is not ingress",
      path: "sg.tf",
      before: securityGroup('["10.0.0.0/8"]'),
      after: securityGroup("var.allowed_cidrs"),
      expect: [],
    },
  ],
});
