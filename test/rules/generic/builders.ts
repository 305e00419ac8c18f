// Builders shared by the generic rules' tests.
export const nginx = (upstreams: string, server: string) => `http {
${upstreams}
  server {
${server}
  }
}
`;

export const APP = "  upstream app {\n    server 10.0.0.1:8080;\n    server 10.0.0.2:8080;\n  }\n";

export const haproxy = (
  backends: string,
  frontend = "  bind :80\n  default_backend web\n",
) => `defaults
  mode http
  timeout connect 5s

frontend fe
${frontend}
${backends}`;

export const envoy = (clusters: string, port = 10000, transport = "") => `static_resources:
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

export const CLUSTER = (name: string) =>
  `  - name: ${name}\n    type: STRICT_DNS\n    load_assignment:\n      cluster_name: ${name}\n      endpoints:\n      - lb_endpoints:\n        - endpoint:\n            address:\n              socket_address: { address: ${name}, port_value: 8080 }\n`;

export const traefik = (services: string, routerTls = "") => `http:
  routers:
    web:
      rule: Host(\`shop.example.com\`)
      service: web
${routerTls}  services:
${services}`;

export const TRAEFIK_SERVICE = (name: string) =>
  `    ${name}:\n      loadBalancer:\n        servers:\n        - url: http://${name}:8080\n`;

export const k8sService = (name: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${name}
  ports:
  - port: 80
`;
