import poolReaddressed from "../../../src/rules/lb/pool-readdressed.js";
import { ruleTable } from "../rule-table.js";
import { ENVOY_PATH, bootstrap } from "../envoy/builders.js";
import { HAPROXY_PATH, config, servers } from "../haproxy/builders.js";
import { NGINX_PATH, lines, site } from "../nginx/builders.js";
import { TRAEFIK_PATH, balancer, dynamic } from "../traefik/builders.js";

const endpoints = (...addresses: string[]): string => `apiVersion: v1
kind: Endpoints
metadata:
  name: db
subsets:
  - addresses:
${addresses.map((ip) => `      - ip: ${ip}`).join("\n")}
    ports:
      - port: 5432
`;

/** A Service of type ExternalName pointing at `host`. */
const externalName = (host: string): string => `apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  type: ExternalName
  externalName: ${host}
`;

/** Terraform attachments of `targets` (address, port) to target group app. */
const attachments = (...targets: [string, number][]): string =>
  targets
    .map(
      ([target, port], index) => `resource "aws_lb_target_group_attachment" "web${index}" {
  target_group_arn = aws_lb_target_group.app.arn
  target_id        = ${target.startsWith("aws_") ? target : `"${target}"`}
  port             = ${port}
}
`,
    )
    .join("\n");

/** A CloudFormation target group with IP targets. */
const targetGroup = (...ids: string[]): string => `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AppTargetGroup:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Port: 8080
      Protocol: HTTP
      TargetType: ip
      VpcId: vpc-123
      Targets:
${ids.map((id) => `        - Id: ${id}`).join("\n")}
`;

ruleTable(poolReaddressed, {
  path: NGINX_PATH,
  cases: [
    {
      name: "nginx: every server of an upstream re-addressed at once is critical",
      before: site(lines("server 172.17.42.1:8081", "server 172.17.42.1:8082")),
      after: site(lines("server 172.17.0.1:8081", "server 172.17.0.1:8082")),
      expect: [
        {
          severity: "critical",
          line: "172.17.0.1:8081",
          phrase:
            "re-addresses every active server at once (172.17.42.1:8081, 172.17.42.1:8082 → 172.17.0.1:8081, 172.17.0.1:8082)",
        },
      ],
    },
    {
      name: "nginx: one of three re-addressed is high",
      before: site(lines("server 10.0.0.1:80", "server 10.0.0.2:80", "server 10.0.0.3:80")),
      after: site(lines("server 10.0.0.1:80", "server 10.0.0.2:80", "server 10.0.0.9:80")),
      expect: [
        {
          severity: "high",
          line: "10.0.0.9",
          phrase: "re-addresses 1 of its 3 active servers (10.0.0.3:80 → 10.0.0.9:80)",
        },
      ],
    },
    {
      name: "nginx: the default port written out is the same address",
      before: site(lines("server app.internal", "server 10.0.0.2")),
      after: site(lines("server app.internal:80", "server 10.0.0.2:80 weight=2")),
      expect: [],
    },
    {
      name: "nginx: servers only removed are capacity, not re-addressing",
      before: site(lines("server 10.0.0.1:80", "server 10.0.0.2:80")),
      after: site(lines("server 10.0.0.1:80")),
      expect: [],
    },
    {
      name: "nginx: static servers replaced by an NGINX Plus state file is critical",
      before: site(lines("zone app 64k", "server 10.0.0.1:80", "server 10.0.0.2:80")),
      after: site(lines("zone app 64k", "state /var/lib/nginx/state/app.conf")),
      expect: [{ severity: "critical", line: "state", phrase: "the pool starts empty" }],
    },
    {
      name: "nginx: static servers replaced by a name resolved at run time is high",
      before: site(lines("zone app 64k", "server 10.0.0.1:80")),
      after: site(lines("zone app 64k", "server app.service.consul service=http resolve")),
      expect: [{ severity: "high", line: "resolve", phrase: "empty until the name resolves" }],
    },
    {
      name: "nginx: a location passing to a literal address moved to another port is critical",
      before: site(
        lines("server 10.0.0.1:80"),
        "            proxy_pass http://127.0.0.1:3000/;",
      ).replace("proxy_pass http://app;\n", ""),
      after: site(
        lines("server 10.0.0.1:80"),
        "            proxy_pass http://127.0.0.1:4000/;",
      ).replace("proxy_pass http://app;\n", ""),
      expect: [
        {
          severity: "critical",
          line: "127.0.0.1:4000",
          phrase:
            "(proxy_pass) re-addresses every active server at once (127.0.0.1:3000 → 127.0.0.1:4000)",
        },
      ],
    },
    {
      name: "nginx: localhost and its default port written out are the same address",
      before: site(
        lines("server 10.0.0.1:80"),
        "            proxy_pass http://localhost/api/;",
      ).replace("proxy_pass http://app;\n", ""),
      after: site(
        lines("server 10.0.0.1:80"),
        "            proxy_pass http://127.0.0.1:80/v2/;",
      ).replace("proxy_pass http://app;\n", ""),
      expect: [],
    },
    {
      name: "haproxy: the only server re-addressed (same name) is critical",
      path: HAPROXY_PATH,
      before: config(servers("server web1 172.17.0.1:8000 check")),
      after: config(servers("server web1 traefik:8000 check")),
      expect: [
        { severity: "critical", line: "traefik:8000", phrase: "172.17.0.1:8000 → traefik:8000" },
      ],
    },
    {
      name: "haproxy: a server renamed at the same address does not fire",
      path: HAPROXY_PATH,
      before: config(servers("server web1 10.0.0.1:80 check", "server web2 10.0.0.2:80 check")),
      after: config(servers("server app1 10.0.0.1:80 check", "server web2 10.0.0.2:80 check")),
      expect: [],
    },
    {
      name: "haproxy: a backup server re-addressed does not fire",
      path: HAPROXY_PATH,
      before: config(servers("server web1 10.0.0.1:80 check", "server spare 10.0.0.8:80 backup")),
      after: config(servers("server web1 10.0.0.1:80 check", "server spare 10.0.0.9:80 backup")),
      expect: [],
    },
    {
      name: "envoy: every endpoint's port moved is critical",
      path: ENVOY_PATH,
      before: bootstrap("", "", ["10.0.0.1"]).replace("port_value: 8080", "port_value: 9000"),
      after: bootstrap("", "", ["10.0.0.1"]),
      expect: [
        { severity: "critical", line: "- endpoint:", phrase: "10.0.0.1:9000 → 10.0.0.1:8080" },
      ],
    },
    {
      name: "envoy: static endpoints replaced by EDS is high",
      path: ENVOY_PATH,
      before: bootstrap(""),
      after: bootstrap("").replace(
        / {4}type: STATIC\n {4}load_assignment:[^]*$/,
        "    type: EDS\n    eds_cluster_config:\n      eds_config:\n        ads: {}\n",
      ),
      expect: [
        {
          severity: "high",
          line: "type: EDS",
          phrase: "its endpoints now come from the management server",
        },
      ],
    },
    {
      name: "envoy: an EDS cluster that stays EDS does not fire",
      path: ENVOY_PATH,
      before: bootstrap("").replace(
        / {4}type: STATIC\n {4}load_assignment:[^]*$/,
        "    type: EDS\n    eds_cluster_config:\n      eds_config:\n        ads: {}\n",
      ),
      after: bootstrap("").replace(
        / {4}type: STATIC\n {4}load_assignment:[^]*$/,
        "    type: EDS\n    eds_cluster_config:\n      service_name: app\n      eds_config:\n        ads: {}\n",
      ),
      expect: [],
    },
    {
      name: "envoy: a cluster renamed with its routes and the same endpoints does not fire",
      path: ENVOY_PATH,
      before: bootstrap(""),
      after: bootstrap("").replace(/\bapp\b/g, "shop"),
      expect: [],
    },
    {
      name: "envoy: a cluster renamed with its routes and new endpoints is compared with its new name",
      path: ENVOY_PATH,
      before: bootstrap("", "", ["10.0.0.1"]),
      after: bootstrap("", "", ["10.0.0.7"]).replace(/\bapp\b/g, "shop"),
      expect: [{ severity: "critical", line: "- endpoint:", phrase: '"shop" (renamed from app)' }],
    },
    {
      name: "traefik: every server URL re-addressed is critical",
      path: TRAEFIK_PATH,
      before: dynamic(balancer(["http://web-1:8080", "http://web-2:8080"])),
      after: dynamic(balancer(["http://web-1:9090", "http://web-2:9090"])),
      expect: [
        { severity: "critical", line: "web-1:9090", phrase: "re-addresses every active server" },
      ],
    },
    {
      name: "traefik: a server added next to the others does not fire",
      path: TRAEFIK_PATH,
      before: dynamic(balancer(["http://web-1:8080"])),
      after: dynamic(balancer(["http://web-1:8080", "http://web-2:8080"])),
      expect: [],
    },
    {
      name: "kubernetes: Endpoints repointed to other addresses is critical",
      path: "endpoints.yaml",
      before: endpoints("10.1.0.5", "10.1.0.6"),
      after: endpoints("10.2.0.5", "10.2.0.6"),
      expect: [
        {
          severity: "critical",
          line: "10.2.0.5",
          phrase: "10.1.0.5:5432, 10.1.0.6:5432 → 10.2.0.5:5432",
        },
      ],
    },
    {
      name: "terraform: every target group attachment re-addressed is critical",
      path: "main.tf",
      before: attachments(["10.0.1.5", 8080], ["10.0.1.6", 8080]),
      after: attachments(["10.0.2.5", 8080], ["10.0.2.6", 8080]),
      expect: [
        {
          severity: "critical",
          line: '"10.0.2.5"',
          phrase:
            "aws_lb_target_group.app (through aws_lb_target_group_attachment) re-addresses every active server",
        },
      ],
    },
    {
      name: "terraform: an attachment whose target is an expression is not judged",
      path: "main.tf",
      before: attachments(["aws_instance.web.id", 8080]),
      after: attachments(["aws_instance.web2.id", 8080]),
      expect: [],
    },
    {
      name: "cloudformation: one of two targets replaced is high",
      path: "template.yaml",
      before: targetGroup("10.0.1.5", "10.0.1.6"),
      after: targetGroup("10.0.1.5", "10.0.1.9"),
      expect: [
        {
          severity: "high",
          line: "10.0.1.9",
          phrase: "re-addresses 1 of its 2 active servers (10.0.1.6:8080 → 10.0.1.9:8080)",
        },
      ],
    },
    {
      name: "cloudformation: targets reordered do not fire",
      path: "template.yaml",
      before: targetGroup("10.0.1.5", "10.0.1.6"),
      after: targetGroup("10.0.1.6", "10.0.1.5"),
      expect: [],
    },
    {
      name: "kubernetes: an ExternalName written in full (cluster.local, trailing dot) is the same name",
      path: "service.yaml",
      before: externalName("db.prod.svc"),
      after: externalName("db.prod.svc.cluster.local."),
      expect: [],
    },
    {
      name: "kubernetes: an ExternalName repointed to another host is critical",
      path: "service.yaml",
      before: externalName("db.prod.svc"),
      after: externalName("db.staging.svc.cluster.local"),
      expect: [
        { severity: "critical", line: "externalName", phrase: "re-addresses every active server" },
      ],
    },
    {
      name: "kubernetes: Endpoints with one address added does not fire",
      path: "endpoints.yaml",
      before: endpoints("10.1.0.5"),
      after: endpoints("10.1.0.5", "10.1.0.6"),
      expect: [],
    },
  ],
});
