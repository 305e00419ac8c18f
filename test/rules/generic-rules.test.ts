import { describe, expect, it } from "vitest";
import { GENERIC_RULES } from "../../src/rules/generic/index.js";
import { markerFamily } from "./table.js";

const { table, describeChecks } = markerFamily({
  family: "generic",
  rules: GENERIC_RULES,
  minRules: 6,
});

const POLICY = `rules:
  lb.health-check.detection-too-fast: { severity: critical }
requirements:
  high: { approvals: 2 }
`;

table("generic.policy.changed", [
  {
    name: "any change of the policy is high",
    path: ".github/changegate.yml",
    before: POLICY,
    after: POLICY.replace("approvals: 2", "approvals: 0"),
    expect: {
      severity: "high",
      marker: "approvals: 0",
      phrase: /evaluated under the base branch's policy; the new policy applies only after merge/,
    },
  },
  {
    name: "deleting the policy is high",
    path: ".github/changegate.yml",
    before: POLICY,
    after: null,
    expect: {
      severity: "high",
      marker: "rules:",
      side: "before",
      phrase: /is deleted: after merge Changegate falls back to its default policy/,
    },
  },
  {
    name: "a comment-only edit changes no policy",
    path: ".github/changegate.yml",
    before: POLICY,
    after: `# reviewed by SRE\n${POLICY}`,
    expect: null,
  },
]);

const nginx = (upstreams: string, server: string) => `http {
${upstreams}
  server {
${server}
  }
}
`;
const APP = "  upstream app {\n    server 10.0.0.1:8080;\n    server 10.0.0.2:8080;\n  }\n";
const API = "  upstream api {\n    server 10.0.1.1:9000;\n  }\n";

const haproxy = (backends: string, frontend = "  bind :80\n  default_backend web\n") => `defaults
  mode http
  timeout connect 5s

frontend fe
${frontend}
${backends}`;

const envoy = (clusters: string, port = 10000, transport = "") => `static_resources:
  listeners:
  - name: main
    address:
      socket_address:
        address: 0.0.0.0
        port_value: ${port}
    filter_chains:
    - filters:
      - name: envoy.filters.network.tcp_proxy
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
          stat_prefix: tcp
          cluster: web
${transport}  clusters:
${clusters}`;
const CLUSTER = (name: string) =>
  `  - name: ${name}\n    type: STRICT_DNS\n    load_assignment:\n      cluster_name: ${name}\n      endpoints:\n      - lb_endpoints:\n        - endpoint:\n            address:\n              socket_address: { address: ${name}, port_value: 8080 }\n`;

const traefik = (services: string, routerTls = "") => `http:
  routers:
    web:
      rule: Host(\`shop.example.com\`)
      service: web
${routerTls}  services:
${services}`;
const TRAEFIK_SERVICE = (name: string) =>
  `    ${name}:\n      loadBalancer:\n        servers:\n        - url: http://${name}:8080\n`;

const k8sService = (name: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${name}
  ports:
  - port: 80
`;

table("generic.lb-resource.deleted", [
  {
    name: "an nginx upstream deleted while proxy_pass still names it is high",
    path: "nginx/nginx.conf",
    before: nginx(
      APP + API,
      "    listen 80;\n    location /api { proxy_pass http://api; }\n    location / { proxy_pass http://app; }",
    ),
    after: nginx(
      APP,
      "    listen 80;\n    location /api { proxy_pass http://api; }\n    location / { proxy_pass http://app; }",
    ),
    expect: {
      severity: "high",
      marker: "upstream api",
      side: "before",
      phrase: /upstream api is deleted: the new version still refers to api/,
    },
  },
  {
    name: "an nginx upstream deleted with its route is high",
    path: "nginx/nginx.conf",
    before: nginx(
      APP + API,
      "    listen 80;\n    location /api { proxy_pass http://api; }\n    location / { proxy_pass http://app; }",
    ),
    after: nginx(APP, "    listen 80;\n    location / { proxy_pass http://app; }"),
    expect: {
      severity: "high",
      marker: "upstream api",
      side: "before",
      phrase: /upstream api is deleted: anything still sending traffic to it fails/,
    },
  },
  {
    name: "a HAProxy backend renamed with its references is low",
    path: "haproxy/haproxy.cfg",
    before: haproxy("backend web\n  server w1 10.0.0.1:80 check\n"),
    after: haproxy(
      "backend www\n  server w1 10.0.0.1:80 check\n",
      "  bind :80\n  default_backend www\n",
    ),
    expect: {
      severity: "low",
      marker: "backend web",
      nth: 2,
      side: "before",
      phrase: /renamed to www with the same content/,
    },
  },
  {
    name: "an Envoy cluster deleted is high",
    path: "envoy/envoy.yaml",
    before: envoy(CLUSTER("web") + CLUSTER("legacy")),
    after: envoy(CLUSTER("web")),
    expect: {
      severity: "high",
      marker: "- name: legacy",
      side: "before",
      phrase: /cluster legacy is deleted/,
    },
  },
  {
    name: "a Traefik service deleted is high",
    path: "traefik/dynamic.yml",
    before: traefik(TRAEFIK_SERVICE("web") + TRAEFIK_SERVICE("old")),
    after: traefik(TRAEFIK_SERVICE("web")),
    expect: {
      severity: "high",
      marker: "    old:",
      side: "before",
      phrase: /http service old is deleted/,
    },
  },
  {
    name: "a Kubernetes Service deleted is high, even when another takes its place",
    path: "k8s/services.yaml",
    before: `${k8sService("web")}---\n${k8sService("api")}`,
    after: `${k8sService("web")}---\n${k8sService("api-v2")}`,
    expect: {
      severity: "high",
      marker: "apiVersion: v1",
      nth: 2,
      side: "before",
      phrase:
        /Service api is deleted: it is replaced by Service api-v2, but clients that use the old name/,
    },
  },
  {
    name: "a HAProxy listen split into frontend and backend of the same name keeps the proxy",
    path: "haproxy/haproxy.cfg",
    before: "listen stats\n  bind *:1024\n  stats enable\n",
    after: "frontend stats\n  bind *:1024\n  stats enable\n",
    expect: null,
  },
  {
    name: "Terraform deletions belong to the cloud families",
    path: "lb.tf",
    before: 'resource "aws_lb" "web" {\n  name = "web"\n}\n',
    after: 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n',
    expect: null,
  },
]);

table("generic.port-or-protocol.changed", [
  {
    name: "an nginx listen port moved is high",
    path: "nginx/site.conf",
    before: nginx(APP, "    listen 80;\n    server_name shop.example.com;"),
    after: nginx(APP, "    listen 8080;\n    server_name shop.example.com;"),
    expect: {
      severity: "high",
      marker: "listen 8080",
      phrase: /server "shop\.example\.com" moves from \*:80 to \*:8080/,
    },
  },
  {
    name: "a HAProxy bind moved is high",
    path: "haproxy/haproxy.cfg",
    before: haproxy("backend web\n  server w1 10.0.0.1:80\n"),
    after: haproxy(
      "backend web\n  server w1 10.0.0.1:80\n",
      "  bind :8080\n  default_backend web\n",
    ),
    expect: {
      severity: "high",
      marker: "bind :8080",
      phrase: /frontend fe moves from \*:80 to \*:8080/,
    },
  },
  {
    name: "an Envoy listener port moved is high",
    path: "envoy/envoy.yaml",
    before: envoy(CLUSTER("web"), 10000),
    after: envoy(CLUSTER("web"), 10001),
    expect: {
      severity: "high",
      marker: "port_value: 10001",
      phrase: /listener "main" moves from \*:10000 to \*:10001/,
    },
  },
  {
    name: "a Traefik entryPoint moved is high",
    path: "traefik/traefik.yml",
    before:
      'entryPoints:\n  web:\n    address: ":80"\nproviders:\n  file:\n    directory: /etc/traefik\napi: {}\n',
    after:
      'entryPoints:\n  web:\n    address: ":8080"\nproviders:\n  file:\n    directory: /etc/traefik\napi: {}\n',
    expect: {
      severity: "high",
      marker: "address",
      phrase: /entryPoint web moves from \*:80 to \*:8080/,
    },
  },
  {
    name: "one of two listens dropped is medium",
    path: "nginx/site.conf",
    before: nginx(APP, "    listen 80;\n    listen 8080;\n    server_name shop.example.com;"),
    after: nginx(APP, "    listen 80;\n    server_name shop.example.com;"),
    expect: {
      severity: "medium",
      marker: "listen 8080",
      side: "before",
      phrase: /no longer listens on \*:8080 .* while \*:80 remains/,
    },
  },
  {
    name: "expecting the PROXY protocol is high",
    path: "haproxy/haproxy.cfg",
    before: haproxy("backend web\n  server w1 10.0.0.1:80\n"),
    after: haproxy(
      "backend web\n  server w1 10.0.0.1:80\n",
      "  bind :80 accept-proxy\n  default_backend web\n",
    ),
    expect: {
      severity: "high",
      marker: "bind :80 accept-proxy",
      phrase: /now expects a PROXY protocol header/,
    },
  },
  {
    name: "reordering unnamed nginx server blocks moves no port",
    path: "nginx/site.conf",
    before: "http {\n  server {\n    listen 80;\n  }\n  server {\n    listen 8080;\n  }\n}\n",
    after: "http {\n  server {\n    listen 8080;\n  }\n  server {\n    listen 80;\n  }\n}\n",
    expect: null,
  },
  {
    name: "the same wildcard written another way is no change",
    path: "haproxy/haproxy.cfg",
    before: haproxy(
      "backend web\n  server w1 10.0.0.1:80\n",
      "  bind *:80\n  default_backend web\n",
    ),
    after: haproxy(
      "backend web\n  server w1 10.0.0.1:80\n",
      "  bind 0.0.0.0:80 name http\n  default_backend web\n",
    ),
    expect: null,
  },
  {
    name: "Kubernetes Service ports belong to kubernetes.service.port-changed",
    path: "k8s/service.yaml",
    before: k8sService("web"),
    after: k8sService("web").replace("port: 80", "port: 8080"),
    expect: null,
  },
]);

table("generic.tls.downgraded", [
  {
    name: "nginx listen 443 ssl → listen 443 is high",
    path: "nginx/site.conf",
    before: nginx(APP, "    listen 443 ssl;\n    server_name shop.example.com;"),
    after: nginx(APP, "    listen 443;\n    server_name shop.example.com;"),
    expect: {
      severity: "high",
      marker: "listen 443",
      phrase: /on \*:443 no longer terminates TLS \(listen 443 ssl → listen 443\)/,
    },
  },
  {
    name: "a HAProxy bind without ssl is high",
    path: "haproxy/haproxy.cfg",
    before: haproxy(
      "backend web\n  server w1 10.0.0.1:80\n",
      "  bind :443 ssl crt /etc/haproxy/site.pem\n  default_backend web\n",
    ),
    after: haproxy(
      "backend web\n  server w1 10.0.0.1:80\n",
      "  bind :443\n  default_backend web\n",
    ),
    expect: {
      severity: "high",
      marker: "bind :443",
      phrase: /frontend fe on \*:443 no longer terminates TLS/,
    },
  },
  {
    name: "an Envoy listener's transport_socket removed is high",
    path: "envoy/envoy.yaml",
    before: envoy(
      CLUSTER("web"),
      443,
      "      transport_socket:\n        name: envoy.transport_sockets.tls\n",
    ),
    after: envoy(CLUSTER("web"), 443),
    expect: {
      severity: "high",
      marker: "port_value: 443",
      phrase: /listener "main" on \*:443 no longer terminates TLS/,
    },
  },
  {
    name: "a Traefik router losing tls is high",
    path: "traefik/dynamic.yml",
    before: traefik(TRAEFIK_SERVICE("web"), "      tls: {}\n"),
    after: traefik(TRAEFIK_SERVICE("web")),
    expect: { severity: "high", marker: "    web:", phrase: /router web loses its tls section/ },
  },
  {
    name: "an Ingress tls host removed is high",
    path: "k8s/ingress.yaml",
    before:
      "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\nspec:\n  tls:\n  - hosts:\n    - shop.example.com\n    secretName: shop-tls\n  rules:\n  - host: shop.example.com\n",
    after:
      "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\nspec:\n  rules:\n  - host: shop.example.com\n",
    expect: {
      severity: "high",
      marker: "- shop.example.com",
      side: "before",
      phrase: /Ingress shop no longer terminates TLS for shop\.example\.com/,
    },
  },
  {
    name: "dropping http2 while keeping ssl is no downgrade",
    path: "nginx/site.conf",
    before: nginx(APP, "    listen 443 ssl http2;\n    server_name shop.example.com;"),
    after: nginx(APP, "    listen 443 ssl;\n    server_name shop.example.com;"),
    expect: null,
  },
]);

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

table("generic.ingress.world-open", [
  {
    name: "an allowlist widened to 0.0.0.0/0 is high, even on 443",
    path: "sg.tf",
    before: securityGroup('["10.0.0.0/8"]'),
    after: securityGroup('["0.0.0.0/0"]'),
    expect: {
      severity: "high",
      marker: 'cidr_blocks = ["0.0.0.0/0"]',
      phrase:
        /security group lb now admits 0\.0\.0\.0\/0 on 443, where it admitted only 10\.0\.0\.0\/8/,
    },
  },
  {
    name: "a new rule opening SSH to the world is high",
    path: "sg.tf",
    before: null,
    after: securityGroup('["0.0.0.0/0"]', 22),
    expect: {
      severity: "high",
      marker: 'cidr_blocks = ["0.0.0.0/0"]',
      phrase: /on 22: anyone on the internet can connect to these ports/,
    },
  },
  {
    name: "a new public HTTPS entry point is medium",
    path: "sg.tf",
    before: null,
    after: securityGroup('["0.0.0.0/0"]'),
    expect: {
      severity: "medium",
      marker: 'cidr_blocks = ["0.0.0.0/0"]',
      phrase: /a new public entry point/,
    },
  },
  {
    name: "removing loadBalancerSourceRanges opens the Service to any address: high",
    path: "k8s/admin.yaml",
    before: lbService("").replace(
      "  type: LoadBalancer\n",
      "  type: LoadBalancer\n  loadBalancerSourceRanges:\n  - 203.0.113.0/24\n",
    ),
    after: lbService(""),
    expect: {
      severity: "high",
      marker: "apiVersion: v1",
      phrase:
        /Service admin now admits 0\.0\.0\.0\/0 on 8443, where it admitted only 203\.0\.113\.0\/24/,
    },
  },
  {
    name: "a GCP firewall opened to the world is high",
    path: "fw.tf",
    before:
      'resource "google_compute_firewall" "db" {\n  name          = "db"\n  network       = "default"\n  source_ranges = ["10.0.0.0/8"]\n  allow {\n    protocol = "tcp"\n    ports    = ["5432"]\n  }\n}\n',
    after:
      'resource "google_compute_firewall" "db" {\n  name          = "db"\n  network       = "default"\n  source_ranges = ["0.0.0.0/0"]\n  allow {\n    protocol = "tcp"\n    ports    = ["5432"]\n  }\n}\n',
    expect: {
      severity: "high",
      marker: "source_ranges",
      phrase: /firewall db now admits 0\.0\.0\.0\/0 on 5432/,
    },
  },
  {
    name: "CloudFormation ingress widened is high",
    path: "template.yaml",
    before:
      "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  SshIn:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      GroupId: sg-123\n      IpProtocol: tcp\n      FromPort: 22\n      ToPort: 22\n      CidrIp: 10.0.0.0/16\n",
    after:
      "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  SshIn:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      GroupId: sg-123\n      IpProtocol: tcp\n      FromPort: 22\n      ToPort: 22\n      CidrIp: 0.0.0.0/0\n",
    expect: {
      severity: "high",
      marker: "CidrIp",
      phrase: /security group ingress SshIn now admits 0\.0\.0\.0\/0 on 22/,
    },
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
    expect: null,
  },
  {
    name: "an expression is unknowable, and egress is not ingress",
    path: "sg.tf",
    before: securityGroup('["10.0.0.0/8"]'),
    after: securityGroup("var.allowed_cidrs"),
    expect: null,
  },
]);

const record = (ttl: number) => `resource "aws_route53_record" "www" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "www.example.com"
  type    = "CNAME"
  ttl     = ${ttl}
  records = ["lb.example.com"]
}
`;

table("generic.dns.ttl-cut", [
  {
    name: "a TTL cut from 1 h to 5 min is medium",
    path: "dns.tf",
    before: record(3600),
    after: record(300),
    expect: {
      severity: "medium",
      marker: "ttl",
      phrase:
        /DNS record www TTL cut from 1 h to 5 min: resolvers ask 12× as often, and caches keep the old answer for up to 1 h/,
    },
  },
  {
    name: "a CloudFormation TTL below a minute is medium",
    path: "dns.yaml",
    before:
      "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Www:\n    Type: AWS::Route53::RecordSet\n    Properties:\n      Name: www.example.com\n      Type: CNAME\n      TTL: '90'\n      ResourceRecords: [lb.example.com]\n",
    after:
      "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Www:\n    Type: AWS::Route53::RecordSet\n    Properties:\n      Name: www.example.com\n      Type: CNAME\n      TTL: '50'\n      ResourceRecords: [lb.example.com]\n",
    expect: {
      severity: "medium",
      marker: "TTL",
      phrase: /DNS record Www TTL cut from 90 s to 50 s/,
    },
  },
  {
    name: "a large raise is low",
    path: "dns.tf",
    before: record(60),
    after: record(86400),
    expect: {
      severity: "low",
      marker: "ttl",
      phrase: /raised from 60 s to 24 h: the next cutover or rollback/,
    },
  },
  {
    name: "a small cut is not reported",
    path: "dns.tf",
    before: record(300),
    after: record(200),
    expect: null,
  },
]);

describeChecks();

describe("generic dialects", () => {
  it("leaves Terraform and CloudFormation deletions to the cloud families", () => {
    const rule = GENERIC_RULES.find((candidate) => candidate.id === "generic.lb-resource.deleted")!;
    expect(rule.dialects).not.toContain("terraform");
    expect(rule.dialects).not.toContain("cloudformation");
  });
});
