import { describe, expect, it } from "vitest";
import { analyze } from "../../../src/engine/analyze.js";
import { detectDialect } from "../../../src/formats/dialect.js";
import { parseJson } from "../../../src/formats/json.js";
import type { TreeNode } from "../../../src/formats/tree.js";
import { parseYaml } from "../../../src/formats/yaml.js";
import { envoyModel } from "../../../src/rules/model/envoy/entities.js";
import type { Finding } from "../../../src/rules/types.js";

function tree(source: string, parse = parseYaml): TreeNode {
  const result = parse(source);
  if (!result.ok) throw new Error(`expected a tree, got ${JSON.stringify(result.problems)}`);
  return result.tree;
}

const fig = (figure: { value: number; line: number; explicit: boolean } | undefined): string =>
  figure === undefined ? "?" : `${figure.value}@${figure.line}`;

/** A bootstrap with one cluster; `body` is indented under the cluster's `- name:`. */
const bootstrap = (body: string, name = "backend"): string => `admin:
  address:
    socket_address: { address: 127.0.0.1, port_value: 9901 }
static_resources:
  listeners:
  - name: ingress
    address:
      socket_address: { address: 0.0.0.0, port_value: 8080 }
  clusters:
  - name: ${name}
    connect_timeout: 1s
    type: STRICT_DNS
${body}    load_assignment:
      cluster_name: ${name}
      endpoints:
      - lb_endpoints:
        - endpoint:
            address:
              socket_address: { address: backend, port_value: 8000 }
`;

const healthCheck = (
  interval: string,
  unhealthy: string,
  timeout = "1s",
): string => `    health_checks:
    - timeout: ${timeout}
      interval: ${interval}
      unhealthy_threshold: ${unhealthy}
      healthy_threshold: 2
      http_health_check:
        path: /healthz
`;

describe("envoy health checks", () => {
  it("reads interval, timeout and thresholds with their lines", () => {
    const [check, ...rest] = envoyModel.healthChecks!(tree(bootstrap(healthCheck("5s", "3"))));
    expect(rest).toEqual([]);
    expect(check).toMatchObject({
      key: "cluster:backend",
      label: 'health check of cluster "backend"',
      provider: "envoy",
      path: "static_resources.clusters[name=backend].health_checks[0]",
      line: 14,
      ejectAfterSeconds: 15,
      timeoutRule: "below-interval",
    });
    expect(
      [
        check!.timeoutSeconds,
        check!.intervalSeconds,
        check!.unhealthyThreshold,
        check!.healthyThreshold,
      ].map(fig),
    ).toEqual(["1@14", "5@15", "3@16", "2@17"]);
  });

  it.each([
    ["fractional Duration strings", healthCheck("0.5s", "4", "0.25s"), 0.5, 0.25, 4, 2],
    ["UInt32Value wrappers", healthCheck("10s", "{ value: 2 }"), 10, 1, 2, 20],
    ["Duration objects", healthCheck("{ seconds: 2, nanos: 500000000 }", "2"), 2.5, 1, 2, 5],
  ])("reads %s", (_, body, interval, timeout, unhealthy, eject) => {
    const [check] = envoyModel.healthChecks!(tree(bootstrap(body)));
    expect([
      check!.intervalSeconds?.value,
      check!.timeoutSeconds?.value,
      check!.unhealthyThreshold?.value,
      check!.ejectAfterSeconds,
    ]).toEqual([interval, timeout, unhealthy, eject]);
  });

  it("has no default for a missing required field (unknowable, not guessed)", () => {
    const [check] = envoyModel.healthChecks!(
      tree(bootstrap("    health_checks:\n    - interval: 5s\n      timeout: 1s\n")),
    );
    expect(check!.unhealthyThreshold).toBeUndefined();
    expect(check!.ejectAfterSeconds).toBeUndefined();
  });

  it("reads xDS resource files, skipping resources that are not clusters", () => {
    const source = `version_info: "3"
resources:
- "@type": type.googleapis.com/envoy.config.listener.v3.Listener
  name: listener_0
- "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
  name: api
  health_checks:
  - interval: 3s
    timeout: 1s
    unhealthy_threshold: 2
    healthy_threshold: 1
    tcp_health_check: {}
`;
    expect(detectDialect("cds.yaml", "yaml", tree(source))).toBe("envoy");
    expect(
      envoyModel.healthChecks!(tree(source)).map((check) => [
        check.key,
        check.path,
        check.ejectAfterSeconds,
      ]),
    ).toEqual([["cluster:api", "resources[name=api].health_checks[0]", 6]]);
  });

  it("reads JSON admin config dumps and lists of cluster entries", () => {
    const dump = JSON.stringify(
      {
        configs: [
          {
            "@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
            static_clusters: [
              {
                cluster: {
                  "@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster",
                  name: "static",
                  lb_policy: "MAGLEV",
                },
              },
            ],
            dynamic_active_clusters: [
              {
                cluster: {
                  "@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster",
                  name: "dynamic",
                },
              },
            ],
          },
        ],
      },
      null,
      2,
    );
    const list = JSON.stringify([
      {
        version_info: "1",
        cluster: { "@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster", name: "listed" },
      },
    ]);
    for (const source of [dump, list])
      expect(detectDialect("clusters.json", "json", tree(source, parseJson))).toBe("envoy");
    expect(
      [dump, list].flatMap((source) =>
        envoyModel.affinities!(tree(source, parseJson)).map((affinity) => [
          affinity.key,
          affinity.enabled,
          affinity.path,
        ]),
      ),
    ).toEqual([
      ["cluster:static", true, "configs[0].static_clusters[0].cluster.lb_policy"],
      ["cluster:dynamic", false, "configs[0].dynamic_active_clusters[0].cluster.lb_policy"],
      ["cluster:listed", false, "[0].cluster.lb_policy"],
    ]);
  });

  it("keeps a second check of one cluster apart", () => {
    const body = `${healthCheck("5s", "3")}    - timeout: 1s
      interval: 30s
      unhealthy_threshold: 2
      healthy_threshold: 2
      tcp_health_check: {}
`;
    expect(envoyModel.healthChecks!(tree(bootstrap(body))).map((check) => check.key)).toEqual([
      "cluster:backend",
      "cluster:backend:health_checks[1]",
    ]);
  });
});

describe("envoy affinity (lb_policy)", () => {
  it.each([
    ["no lb_policy: ROUND_ROBIN", "", false, "ROUND_ROBIN", 10],
    ["RING_HASH", "    lb_policy: RING_HASH\n", true, "RING_HASH", 13],
    ["MAGLEV", "    lb_policy: MAGLEV\n", true, "MAGLEV", 13],
    [
      "lower-case ring_hash (Envoy parses enums case-insensitively)",
      "    lb_policy: ring_hash\n",
      true,
      "RING_HASH",
      13,
    ],
    ["LEAST_REQUEST", "    lb_policy: LEAST_REQUEST\n", false, "LEAST_REQUEST", 13],
    ["RANDOM", "    lb_policy: RANDOM\n", false, "RANDOM", 13],
    [
      "a typed Maglev load_balancing_policy",
      `    load_balancing_policy:
      policies:
      - typed_extension_config:
          name: envoy.load_balancing_policies.maglev
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.load_balancing_policies.maglev.v3.Maglev
`,
      true,
      "MAGLEV",
      13,
    ],
  ])("%s", (_, body, enabled, mode, line) => {
    expect(envoyModel.affinities!(tree(bootstrap(body)))).toEqual([
      {
        key: "cluster:backend",
        label: 'cluster "backend"',
        path: body.includes("load_balancing_policy")
          ? "static_resources.clusters[name=backend].load_balancing_policy"
          : "static_resources.clusters[name=backend].lb_policy",
        line,
        enabled,
        mode,
      },
    ]);
  });
});

// --- end to end, through the engine ---

const run = (before: string, after: string): readonly Finding[] =>
  analyze([{ path: "envoy/envoy.yaml", before, after }]).findings;
const lbFindings = (findings: readonly Finding[]): Finding[] =>
  findings.filter((finding) => finding.rule.startsWith("lb."));

describe("envoy through analyze()", () => {
  const base = bootstrap(`    lb_policy: RING_HASH\n${healthCheck("10s", "3")}`);

  it("reports a check that ejects hosts after 2 s instead of 30 s", () => {
    const findings = run(base, bootstrap(`    lb_policy: RING_HASH\n${healthCheck("2s", "1")}`));
    expect(lbFindings(findings)).toMatchObject([
      {
        rule: "lb.health-check.detection-too-fast",
        severity: "high",
        line: 16,
        path: "static_resources.clusters[name=backend].health_checks[0]",
        before: 30,
        after: 2,
        figures: { ejectAfterSeconds: 2, intervalSeconds: 2, unhealthyThreshold: 1 },
      },
    ]);
    expect(lbFindings(findings)[0]!.message).toContain(
      'health check of cluster "backend" ejects a failing target after 2 s instead of 30 s (2 s × 1, was 10 s × 3)',
    );
  });

  it("reports leaving a hash policy for round robin", () => {
    const findings = run(base, base.replace("lb_policy: RING_HASH", "lb_policy: ROUND_ROBIN"));
    expect(lbFindings(findings)).toMatchObject([
      {
        rule: "lb.stickiness.disabled",
        severity: "high",
        line: 13,
        path: "static_resources.clusters[name=backend].lb_policy",
        before: "RING_HASH",
        after: "ROUND_ROBIN",
      },
    ]);
  });

  it("reports deleting lb_policy: RING_HASH (the default is ROUND_ROBIN)", () => {
    const findings = run(base, base.replace("    lb_policy: RING_HASH\n", ""));
    expect(lbFindings(findings).map((finding) => finding.rule)).toEqual(["lb.stickiness.disabled"]);
  });

  it.each([
    ["an interval of 8 s instead of 10 s", base.replace("interval: 10s", "interval: 8s")],
    [
      "a ring size change",
      base.replace(
        "    lb_policy: RING_HASH\n",
        "    lb_policy: RING_HASH\n    ring_hash_lb_config:\n      minimum_ring_size: 2048\n",
      ),
    ],
    [
      "the interval written as a Duration object",
      base.replace("interval: 10s", "interval: { seconds: 10 }"),
    ],
    [
      "a new cluster listed ahead of it (checks are matched by cluster name)",
      base.replace(
        "  clusters:\n",
        "  clusters:\n  - name: other\n    type: STATIC\n    lb_policy: MAGLEV\n",
      ),
    ],
  ])("does not report %s", (_, after) => {
    expect(lbFindings(run(base, after))).toEqual([]);
  });
});
