import { ENVOY_RULES } from "../../src/rules/envoy/index.js";
import { describeFamily, type ExpectedCase } from "./table.js";

const endpoint = (address: string): string => `        - endpoint:
            address:
              socket_address: { address: ${address}, port_value: 8080 }`;

/**
 * A bootstrap with one listener routing `/` to cluster `app` (`route` lines start at line 23) and the cluster
 * itself; `cluster` lines are indented under `- name: app` (line 24 with no route lines; they start at line 25), `route` lines under `route:`.
 */
const bootstrap = (
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
const cluster = (...lines: string[]): string => indent(4, ...lines);
const route = (...lines: string[]): string => indent(18, ...lines);

const check = (statuses: string): string =>
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

const CASES: Readonly<Record<string, readonly ExpectedCase[]>> = {
  "envoy.endpoint.removed": [
    {
      name: "one of three endpoints removed is high (before-side line)",
      before: bootstrap(""),
      after: bootstrap("", "", ["10.0.0.1", "10.0.0.2"]),
      expected: [
        {
          severity: "high",
          line: 36,
          phrase: "loses 1 of its 3 active endpoints (10.0.0.3:8080), 33%",
        },
      ],
    },
    {
      name: "one of four is medium",
      before: bootstrap("", "", ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"]),
      after: bootstrap("", "", ["10.0.0.1", "10.0.0.2", "10.0.0.3"]),
      expected: [{ severity: "medium", line: 39, phrase: "loses 1 of its 4 active endpoints" }],
    },
    {
      name: "an endpoint replaced by another does not fire",
      before: bootstrap(""),
      after: bootstrap("", "", ["10.0.0.1", "10.0.0.2", "10.0.0.9"]),
      expected: [],
    },
  ],
  "envoy.outlier-detection.aggressive": [
    {
      name: "max_ejection_percent 100 can empty the pool",
      before: bootstrap(cluster("outlier_detection:", "  consecutive_5xx: 5")),
      after: bootstrap(
        cluster("outlier_detection:", "  consecutive_5xx: 5", "  max_ejection_percent: 100"),
      ),
      expected: [{ severity: "high", line: 27, phrase: "max_ejection_percent 10 → 100" }],
    },
    {
      name: "consecutive_5xx 1 flaps",
      before: bootstrap(cluster("outlier_detection:", "  consecutive_5xx: 5")),
      after: bootstrap(cluster("outlier_detection:", "  consecutive_5xx: 1")),
      expected: [{ severity: "medium", line: 26, phrase: "consecutive_5xx 5 → 1" }],
    },
    {
      name: "gateway failures enforced where they were only counted",
      before: bootstrap(cluster("outlier_detection: {}")),
      after: bootstrap(
        cluster("outlier_detection:", "  enforcing_consecutive_gateway_failure: 100"),
      ),
      expected: [
        { severity: "medium", line: 26, phrase: "enforcing_consecutive_gateway_failure 0 → 100" },
      ],
    },
    {
      name: "a calmer outlier detection does not fire",
      before: bootstrap(cluster("outlier_detection:", "  consecutive_5xx: 3")),
      after: bootstrap(
        cluster("outlier_detection:", "  consecutive_5xx: 7", "  max_ejection_percent: 30"),
      ),
      expected: [],
    },
  ],
  "envoy.outlier-detection.removed": [
    {
      name: "removed with no active check is high (before-side line)",
      before: bootstrap(cluster("outlier_detection:", "  consecutive_5xx: 5")),
      after: bootstrap(""),
      expected: [{ severity: "high", line: 25, phrase: "has no active health check" }],
    },
    {
      name: "removed with active checks left is medium",
      before: bootstrap(cluster("outlier_detection:", "  consecutive_5xx: 5") + check("")),
      after: bootstrap(check("")),
      expected: [{ severity: "medium", line: 25, phrase: "only its active health checks remain" }],
    },
    {
      name: "a tuned outlier detection is not a removal",
      before: bootstrap(cluster("outlier_detection:", "  consecutive_5xx: 5")),
      after: bootstrap(cluster("outlier_detection:", "  consecutive_5xx: 7")),
      expected: [],
    },
  ],
  "envoy.panic-threshold.changed": [
    {
      name: "panic mode turned off",
      before: bootstrap(""),
      after: bootstrap(cluster("common_lb_config:", "  healthy_panic_threshold: { value: 0 }")),
      expected: [
        {
          severity: "high",
          line: 26,
          phrase: "turns panic mode off (healthy_panic_threshold 50% → 0)",
        },
      ],
    },
    {
      name: "raised to 90 %",
      before: bootstrap(""),
      after: bootstrap(cluster("common_lb_config:", "  healthy_panic_threshold: { value: 90 }")),
      expected: [
        { severity: "high", line: 26, phrase: "once more than 10% of its hosts are unhealthy" },
      ],
    },
    {
      name: "a threshold of 30 % does not fire",
      before: bootstrap(""),
      after: bootstrap(cluster("common_lb_config:", "  healthy_panic_threshold: { value: 30 }")),
      expected: [],
    },
  ],
  "envoy.hash-policy.changed": [
    {
      name: "hash_policy removed from a route to a RING_HASH cluster (before-side line)",
      before: bootstrap(
        cluster("lb_policy: RING_HASH"),
        route("hash_policy:", "- header: { header_name: x-user }"),
      ),
      after: bootstrap(cluster("lb_policy: RING_HASH")),
      expected: [{ severity: "high", line: 23, phrase: "each request goes to a random host" }],
    },
    {
      name: "hash key changed",
      before: bootstrap(
        cluster("lb_policy: MAGLEV"),
        route("hash_policy:", "- header: { header_name: x-user }"),
      ),
      after: bootstrap(
        cluster("lb_policy: MAGLEV"),
        route("hash_policy:", "- connection_properties: { source_ip: true }"),
      ),
      expected: [{ severity: "high", line: 23, phrase: "every client maps to a new host once" }],
    },
    {
      name: "a cluster moved to RING_HASH with no hash_policy on its routes",
      before: bootstrap(""),
      after: bootstrap(cluster("lb_policy: RING_HASH")),
      expected: [
        { severity: "medium", line: 24, phrase: "none of its 1 route(s) sets a hash_policy" },
      ],
    },
    {
      name: "hash_policy removed while the cluster does not hash: inert",
      before: bootstrap(
        cluster("lb_policy: ROUND_ROBIN"),
        route("hash_policy:", "- header: { header_name: x-user }"),
      ),
      after: bootstrap(cluster("lb_policy: ROUND_ROBIN")),
      expected: [],
    },
  ],
  "envoy.circuit-breaker.cut": [
    {
      name: "max_requests set to 100 cuts the 1024 default",
      before: bootstrap(""),
      after: bootstrap(cluster("circuit_breakers:", "  thresholds:", "  - max_requests: 100")),
      expected: [
        { severity: "high", line: 27, phrase: "DEFAULT circuit breakers: max_requests 1024 → 100" },
      ],
    },
    {
      name: "max_retries cut is medium",
      before: bootstrap(cluster("circuit_breakers:", "  thresholds:", "  - max_retries: 10")),
      after: bootstrap(cluster("circuit_breakers:", "  thresholds:", "  - max_retries: 2")),
      expected: [{ severity: "medium", line: 27, phrase: "max_retries 10 → 2" }],
    },
    {
      name: "a raised limit does not fire",
      before: bootstrap(cluster("circuit_breakers:", "  thresholds:", "  - max_requests: 1000")),
      after: bootstrap(cluster("circuit_breakers:", "  thresholds:", "  - max_requests: 5000")),
      expected: [],
    },
  ],
  "envoy.health-check.expected-statuses-narrowed": [
    {
      name: "2xx-3xx narrowed to 200",
      before: bootstrap(check("expected_statuses:\n- { start: 200, end: 400 }")),
      after: bootstrap(check("expected_statuses:\n- { start: 200, end: 201 }")),
      expected: [{ severity: "high", line: 32, phrase: "no longer accepts 201-399" }],
    },
    {
      name: "widened does not fire",
      before: bootstrap(check("")),
      after: bootstrap(check("expected_statuses:\n- { start: 200, end: 300 }")),
      expected: [],
    },
  ],
  "envoy.health-check.target-changed": [
    {
      name: "the check path changes",
      before: bootstrap(check("")),
      after: bootstrap(check("").replace("/healthz", "/ready")),
      expected: [{ severity: "high", line: 26, phrase: "changes path /healthz → /ready" }],
    },
    {
      name: "a new interval is not a target change",
      before: bootstrap(check("")),
      after: bootstrap(check("").replace("interval: 5s", "interval: 10s")),
      expected: [],
    },
  ],
  "envoy.connect-timeout.cut": [
    {
      name: "cut from the 5 s default to 0.25 s",
      before: bootstrap(""),
      after: bootstrap(cluster("connect_timeout: 0.25s")),
      expected: [{ severity: "medium", line: 25, phrase: "connect_timeout cut from 5 s to 0.3 s" }],
    },
    {
      name: "5 s → 3 s does not fire",
      before: bootstrap(cluster("connect_timeout: 5s")),
      after: bootstrap(cluster("connect_timeout: 3s")),
      expected: [],
    },
  ],
};

describeFamily({
  family: "envoy",
  rules: ENVOY_RULES,
  minRules: 5,
  path: "envoy.yaml",
  cases: CASES,
});
