import evaluationOrderChanged from "../../../src/rules/envoy/evaluation-order-changed.js";
import { ruleTable } from "../rule-table.js";
import { ENVOY_PATH } from "./builders.js";

/** A listener with the given HTTP filters and routes (each `prefix → cluster`), and two endpoints of `app`. */
const envoy = (
  filters: string[],
  routes: [string, string][],
  endpoints = ["10.0.0.1", "10.0.0.2"],
): string =>
  [
    "static_resources:",
    "  listeners:",
    "  - name: ingress",
    "    filter_chains:",
    "    - filters:",
    "      - name: envoy.filters.network.http_connection_manager",
    "        typed_config:",
    "          stat_prefix: ingress_http",
    "          http_filters:",
    ...filters.map((name) => `          - name: ${name}`),
    "          route_config:",
    "            virtual_hosts:",
    "            - name: web",
    '              domains: ["*"]',
    "              routes:",
    ...routes.map(
      ([prefix, cluster]) =>
        `              - { match: { prefix: "${prefix}" }, route: { cluster: ${cluster} } }`,
    ),
    "  clusters:",
    "  - name: app",
    "    load_assignment:",
    "      cluster_name: app",
    "      endpoints:",
    "      - lb_endpoints:",
    ...endpoints.map(
      (ip) =>
        `        - endpoint: { address: { socket_address: { address: ${ip}, port_value: 80 } } }`,
    ),
    "",
  ].join("\n");

const FILTERS = ["envoy.filters.http.jwt_authn", "envoy.filters.http.router"];
const ROUTES: [string, string][] = [
  ["/api/admin", "admin"],
  ["/api", "api"],
];

ruleTable(evaluationOrderChanged, {
  path: ENVOY_PATH,
  cases: [
    {
      name: "the catch-all /api route moved ahead of /api/admin: admin requests go to api",
      before: envoy(FILTERS, ROUTES),
      after: envoy(FILTERS, [...ROUTES].reverse()),
      expect: [
        {
          severity: "high",
          line: 'prefix: "/api" }',
          phrase: /route "prefix \/api" \(line 17\) now comes before "prefix \/api\/admin"/,
        },
      ],
    },
    {
      name: "the router moved ahead of jwt_authn: authentication never runs",
      before: envoy(FILTERS, ROUTES),
      after: envoy([...FILTERS].reverse(), ROUTES),
      expect: [
        {
          severity: "high",
          line: "- name: envoy.filters.http.router",
          phrase: /HTTP filter "envoy\.filters\.http\.router".*a filter after it never runs/,
        },
      ],
    },
    {
      name: "endpoints reordered: a pool has no order",
      before: envoy(FILTERS, ROUTES),
      after: envoy(FILTERS, ROUTES, ["10.0.0.2", "10.0.0.1"]),
      expect: [],
    },
    {
      name: "a new route placed first is an addition, not a reorder",
      before: envoy(FILTERS, ROUTES),
      after: envoy(FILTERS, [["/health", "app"], ...ROUTES]),
      expect: [],
    },
  ],
});
