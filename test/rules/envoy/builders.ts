// Builders shared by the envoy rule tests: a static bootstrap with one listener and one cluster `app`.

/** The path envoy cases are analysed under. */
export const ENVOY_PATH = "envoy.yaml";

const endpoint = (address: string): string => `        - endpoint:
            address:
              socket_address: { address: ${address}, port_value: 8080 }`;

/**
 * A bootstrap with one listener routing `/` to cluster `app` (`route` lines start at line 23) and the cluster
 * itself; `cluster` lines are indented under `- name: app` (line 24 with no route lines; they start at line 25), `route` lines under `route:`.
 */
export const bootstrap = (
  cluster: string,
  route = "",
  endpoints = ["10.0.0.1", "10.0.0.2", "10.0.0.3"],
): string => `static_resources:
  listeners:
  - name: ingress
    address:
      socket_address: { address: 0.0.0.0, port_value: 8000 }
    filter_chains:
    - filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          stat_prefix: ingress_http
          http_filters:
          - name: envoy.filters.http.router
          route_config:
            name: local_route
            virtual_hosts:
            - name: web
              domains: ["*"]
              routes:
              - match: { prefix: "/" }
                route:
                  cluster: app
${route}  clusters:
  - name: app
${cluster}    type: STATIC
    load_assignment:
      cluster_name: app
      endpoints:
      - lb_endpoints:
${endpoints.map(endpoint).join("\n")}
`;

const indent = (spaces: number, ...lines: string[]): string =>
  lines.map((line) => `${" ".repeat(spaces)}${line}\n`).join("");

/** Lines of the cluster `app`. */
export const cluster = (...lines: string[]): string => indent(4, ...lines);

/** Lines of the route to `app`. */
export const route = (...lines: string[]): string => indent(18, ...lines);

/** An HTTP health check of /healthz on the cluster, with `statuses` lines under `http_health_check`. */
export const check = (statuses: string): string =>
  cluster(
    "health_checks:",
    "- timeout: 1s",
    "  interval: 5s",
    "  unhealthy_threshold: 3",
    "  healthy_threshold: 2",
    "  http_health_check:",
    "    path: /healthz",
    ...statuses
      .split("\n")
      .filter(Boolean)
      .map((line) => `    ${line}`),
  );

/** A bootstrap whose cluster `app` checks /healthz every `interval`, with `timeout` and `unhealthy` threshold. */
export const timedCheck = (interval: string, unhealthy = 3, timeout = "1s"): string =>
  bootstrap(
    cluster(
      "health_checks:",
      `- timeout: ${timeout}`,
      `  interval: ${interval}`,
      `  unhealthy_threshold: ${unhealthy}`,
      "  healthy_threshold: 2",
      "  http_health_check:",
      "    path: /healthz",
    ),
  );
