// Config embedded in config: an nginx, HAProxy, Envoy or Traefik file carried as a string is parsed
// as its format, its rules run on it, its findings point at lines of the outer file, and a
// reformatting inside the string is no change.
import { describe, expect, it } from "vitest";
import { analyze, type Analysis } from "../../src/engine/analyze.js";
import { lineOf } from "../rules/rule-table.js";

const rulesOf = (analysis: Analysis): string[] => analysis.findings.map((f) => f.rule);
const findingOf = (analysis: Analysis, rule: string) =>
  analysis.findings.find((finding) => finding.rule === rule);

const nginxConfigMap = (servers: string, timeout: string, indent = "    "): string =>
  [
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    "  name: edge",
    "data:",
    "  nginx.conf: |",
    ...[
      "events {}",
      "http {",
      "  upstream app {",
      ...servers.split("\n").map((line) => `    ${line}`),
      "  }",
      "  server {",
      "    listen 80;",
      "    location / {",
      "      proxy_pass http://app;",
      `      proxy_read_timeout ${timeout};`,
      "    }",
      "  }",
      "}",
    ].map((line) => `${indent}${line}`),
    "",
  ].join("\n");

const haproxyConfigMap = (check: string): string => `apiVersion: v1
kind: ConfigMap
metadata:
  name: lb
data:
  haproxy.cfg: |
    defaults
      mode http
      timeout connect 5s
      timeout client 30s
      timeout server 30s
    backend app
      option httpchk GET /healthz
      server a 10.0.0.1:8080 check ${check}
      server b 10.0.0.2:8080 check ${check}
`;

describe("an nginx.conf in a ConfigMap", () => {
  const before = nginxConfigMap("server 10.0.0.1:8080;\nserver 10.0.0.2:8080;", "60s");

  it("is judged by the nginx rules, at the outer file's lines", () => {
    const after = nginxConfigMap("server 10.0.0.1:8080;", "2s");
    const analysis = analyze([{ path: "k8s/edge.yaml", before, after }]);
    expect(rulesOf(analysis)).toContain("nginx.upstream.server-removed");
    expect(rulesOf(analysis)).toContain("nginx.proxy-timeout.cut");
    expect(findingOf(analysis, "nginx.proxy-timeout.cut")?.line).toBe(
      lineOf(after, "proxy_read_timeout"),
    );
    expect(analysis.risk).not.toBe("none");
    const paths = analysis.files[0]!.changes.map((change) => change.path);
    expect(paths.some((path) => path.startsWith('data["nginx.conf"].http'))).toBe(true);
  });

  it("is not changed by a reformatting inside the string", () => {
    const reformatted = nginxConfigMap(
      "server   10.0.0.1:8080;   # first\nserver 10.0.0.2:8080;",
      "60s",
      "      ",
    ).replace("  nginx.conf: |", "  nginx.conf: |\n      # managed by the platform team");
    const analysis = analyze([{ path: "k8s/edge.yaml", before, after: reformatted }]);
    expect(analysis.files[0]?.changes).toEqual([]);
    expect(analysis.findings).toEqual([]);
  });

  it("is read from a multi-document file, and one that no longer parses fails closed", () => {
    const other =
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: edge\nspec:\n  ports: [{ port: 80 }]\n---\n";
    const broken = nginxConfigMap("server 10.0.0.1:8080", "60s");
    const analysis = analyze([
      { path: "k8s/edge.yaml", before: other + before, after: other + broken },
    ]);
    const failed = findingOf(analysis, "parse.failed");
    expect(failed?.severity).toBe("high");
    expect(failed?.line).toBeGreaterThan(lineOf(other + broken, "nginx.conf"));
  });
});

describe("an haproxy.cfg in a ConfigMap", () => {
  it("is judged by the load-balancer rules at the server line", () => {
    const before = haproxyConfigMap("inter 5s fall 3");
    const after = haproxyConfigMap("inter 1s fall 1");
    const analysis = analyze([{ path: "deploy/haproxy-configmap.yaml", before, after }]);
    const finding = findingOf(analysis, "lb.health-check.detection-too-fast");
    expect(finding, JSON.stringify(analysis.findings)).toBeDefined();
    expect(finding?.line).toBe(lineOf(after, "server a"));
  });
});

describe("an envoy.yaml in a ConfigMap", () => {
  const envoy = (threshold: number): string => `apiVersion: v1
kind: ConfigMap
metadata:
  name: envoy
data:
  envoy.yaml: |
    static_resources:
      clusters:
        - name: app
          connect_timeout: 1s
          type: STRICT_DNS
          load_assignment:
            cluster_name: app
            endpoints:
              - lb_endpoints:
                  - endpoint: { address: { socket_address: { address: app, port_value: 8080 } } }
          health_checks:
            - timeout: 1s
              interval: 5s
              unhealthy_threshold: ${threshold}
              healthy_threshold: 2
              http_health_check: { path: /healthz }
`;
  it("is judged by the Envoy model", () => {
    const analysis = analyze([{ path: "k8s/envoy.yaml", before: envoy(5), after: envoy(1) }]);
    const finding = findingOf(analysis, "lb.health-check.detection-too-fast");
    expect(finding, JSON.stringify(analysis.findings)).toBeDefined();
    expect(finding?.line).toBe(lineOf(envoy(1), "unhealthy_threshold"));
  });
});

describe("a traefik.toml in a ConfigMap", () => {
  const traefik = (servers: string): string => `apiVersion: v1
kind: ConfigMap
metadata:
  name: traefik
data:
  traefik.toml: |
    [http.services.app.loadBalancer]
${servers}
`;
  it("is judged by the Traefik rules at the server's line", () => {
    const before = traefik(
      '      [[http.services.app.loadBalancer.servers]]\n        url = "http://10.0.0.1:8080"\n      [[http.services.app.loadBalancer.servers]]\n        url = "http://10.0.0.2:8080"',
    );
    const after = traefik(
      '      [[http.services.app.loadBalancer.servers]]\n        url = "http://10.0.0.1:8080"',
    );
    const analysis = analyze([{ path: "k8s/traefik.yaml", before, after }]);
    const finding = findingOf(analysis, "traefik.server.removed");
    expect(finding, JSON.stringify(analysis.findings)).toBeDefined();
    // The removed server's line in the base version (a removal is shown where it was).
    expect(finding?.line).toBe(lineOf(before, "[[http.services.app.loadBalancer.servers]]", 2));
  });
});

describe("a config file in a CloudFormation or Terraform string", () => {
  it("reads a cfn-init file's !Sub content", () => {
    const template = (check: string): string => `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Proxy:
    Type: AWS::EC2::Instance
    Metadata:
      AWS::CloudFormation::Init:
        config:
          files:
            /etc/haproxy/haproxy.cfg:
              mode: "000644"
              content: !Sub |
                defaults
                  mode http
                  timeout connect 5s
                backend app
                  option httpchk GET /healthz
                  server a \${AppHost}:8080 check ${check}
    Properties:
      ImageId: ami-123
`;
    const after = template("inter 1s fall 1");
    const analysis = analyze([{ path: "stack.yaml", before: template("inter 5s fall 3"), after }]);
    expect(findingOf(analysis, "lb.health-check.detection-too-fast")?.line).toBe(
      lineOf(after, "server a"),
    );
  });

  it("reads a Terraform heredoc named by its file", () => {
    const tf = (check: string): string => `resource "local_file" "haproxy" {
  filename = "/etc/haproxy/haproxy.cfg"
  content  = <<-EOF
    defaults
      mode http
      timeout connect 5s
    backend app
      option httpchk GET /healthz
      server a \${var.app_host}:8080 check ${check}
  EOF
}
`;
    const after = tf("inter 1s fall 1");
    const analysis = analyze([{ path: "proxy.tf", before: tf("inter 5s fall 3"), after }]);
    expect(findingOf(analysis, "lb.health-check.detection-too-fast")?.line).toBe(
      lineOf(after, "server a"),
    );
  });

  it("reads a kubernetes_config_map's nginx.conf heredoc", () => {
    const tf = (timeout: string): string => `resource "kubernetes_config_map" "edge" {
  metadata {
    name = "edge"
  }
  data = {
    "nginx.conf" = <<-EOT
      events {}
      http {
        server {
          listen 80;
          location / {
            proxy_pass http://app;
            proxy_read_timeout ${timeout};
          }
        }
      }
    EOT
  }
}
`;
    const after = tf("2s");
    const analysis = analyze([{ path: "edge.tf", before: tf("60s"), after }]);
    expect(findingOf(analysis, "nginx.proxy-timeout.cut")?.line).toBe(
      lineOf(after, "proxy_read_timeout"),
    );
    expect(analysis.files[0]?.changes.map((change) => change.path)).toEqual([
      'resource.kubernetes_config_map.edge.data["nginx.conf"].http.server.location./.proxy_read_timeout',
    ]);
  });

  it("leaves other strings alone", () => {
    const tf = (script: string): string =>
      `resource "aws_instance" "a" {\n  ami       = "ami-1"\n  user_data = <<-EOF\n    #!/bin/sh\n    ${script}\n  EOF\n}\n`;
    const analysis = analyze([
      { path: "main.tf", before: tf("echo server {"), after: tf("echo backend app") },
    ]);
    expect(analysis.files[0]?.changes.map((change) => change.path)).toEqual([
      "resource.aws_instance.a.user_data",
    ]);
  });
});

describe("stand-ins", () => {
  it("cannot be forged by a string of the file: replacing the config by one is a change", () => {
    const configMap = (conf: string): string =>
      JSON.stringify(
        { apiVersion: "v1", kind: "ConfigMap", data: { "nginx.conf": conf } },
        null,
        2,
      );
    const conf = "events {}\nhttp {\n  server {\n    listen 80;\n  }\n}\n";
    const analysis = analyze([
      {
        path: "k8s/edge.json",
        before: configMap(conf),
        after: configMap("\u0000embedded-config-1"),
      },
    ]);
    expect(analysis.files[0]?.changes.map((change) => change.path)).toEqual(['data["nginx.conf"]']);
  });
});

describe("bounded work", () => {
  it("reads no more embedded text than the file holds, however often an alias repeats it", () => {
    const conf = (port: number): string =>
      `  base.conf: &conf |\n    server {\n      listen ${port};\n      location / { proxy_pass http://app; }\n    }\n`;
    const copies = Array.from({ length: 500 }, (_, i) => `  copy${i}.conf: *conf`).join("\n");
    const file = (port: number): string =>
      `apiVersion: v1\nkind: ConfigMap\ndata:\n${conf(port)}${copies}\n`;
    const analysis = analyze([{ path: "k8s/proxy.yaml", before: file(80), after: file(8080) }]);
    const changes = analysis.files[0]!.changes;
    // Every copy changed; only as many as the file's own bytes allow are read as nginx.
    expect(changes).toHaveLength(501);
    const read = changes.filter((change) => change.path.endsWith(".server.listen"));
    expect(read.length).toBeGreaterThan(0);
    expect(read.length).toBeLessThan(200);
  });
});
