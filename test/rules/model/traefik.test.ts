import { describe, expect, it } from "vitest";
import { analyze } from "../../../src/engine/analyze.js";
import { detectDialect } from "../../../src/formats/dialect.js";
import { parseToml } from "../../../src/formats/toml.js";
import type { TreeNode } from "../../../src/formats/tree.js";
import { parseYaml } from "../../../src/formats/yaml.js";
import { traefikModel } from "../../../src/rules/model/traefik/entities.js";
import type { Finding } from "../../../src/rules/types.js";
import { balancer as loadBalancer, dynamic } from "../traefik/builders.js";

function tree(source: string, parse = parseYaml): TreeNode {
  const result = parse(source);
  if (!result.ok) throw new Error(`expected a tree, got ${JSON.stringify(result.problems)}`);
  return result.tree;
}

const fig = (figure: { value: number; line: number; explicit: boolean } | undefined): string =>
  figure === undefined ? "?" : `${figure.value}${figure.explicit ? "" : "*"}@${figure.line}`;

/** A v3 dynamic configuration with one service over two servers; `extra` is indented under `loadBalancer:`. */
const dynamicYaml = (extra: string): string =>
  dynamic(loadBalancer(["http://10.0.0.1:8080", "http://10.0.0.2:8080"], extra));

describe("traefik health checks", () => {
  it.each([
    {
      name: "explicit interval and timeout; one failure ejects",
      balancer:
        "        healthCheck:\n          path: /health\n          interval: 10s\n          timeout: 3s\n",
      expected: { interval: "10@14", timeout: "3@15", eject: 10 },
    },
    {
      name: "defaults: interval 30 s, timeout 5 s",
      balancer: "        healthCheck:\n          path: /health\n",
      expected: { interval: "30*@12", timeout: "5*@12", eject: 30 },
    },
    {
      name: "Go durations with several units",
      balancer:
        "        healthCheck:\n          path: /health\n          interval: 1m30s\n          timeout: 500ms\n",
      expected: { interval: "90@14", timeout: "0.5@15", eject: 90 },
    },
    {
      name: "a zero interval falls back to the default",
      balancer: "        healthCheck:\n          path: /health\n          interval: 0s\n",
      expected: { interval: "30*@14", timeout: "5*@12", eject: 30 },
    },
    {
      name: "an unparsable interval is unknown",
      balancer: "        healthCheck:\n          path: /health\n          interval: foobar\n",
      expected: { interval: "?", timeout: "5*@12", eject: undefined },
    },
  ])("$name", ({ balancer, expected }) => {
    const [check, ...rest] = traefikModel.healthChecks!(tree(dynamicYaml(balancer)));
    expect(rest).toEqual([]);
    expect({
      interval: fig(check!.intervalSeconds),
      timeout: fig(check!.timeoutSeconds),
      eject: check!.ejectAfterSeconds,
    }).toEqual(expected);
    expect(check).toMatchObject({
      key: "service:shop",
      label: 'health check of service "shop"',
      provider: "traefik",
      path: "http.services.shop.loadBalancer.healthCheck",
      line: 12,
      timeoutRule: "below-interval",
      unhealthyThreshold: { value: 1, line: 12, explicit: false },
      healthyThreshold: { value: 1, line: 12, explicit: false },
    });
  });

  it.each([
    ["no path (Traefik runs no check)", "        healthCheck:\n          interval: 5s\n", 0],
    [
      "gRPC mode without a path",
      "        healthCheck:\n          mode: grpc\n          interval: 5s\n",
      1,
    ],
    ["no healthCheck at all", "", 0],
  ])("%s", (_, balancer, count) => {
    expect(traefikModel.healthChecks!(tree(dynamicYaml(balancer)))).toHaveLength(count);
  });

  it("matches keys case-insensitively and keeps their spelling in the path (TOML)", () => {
    const source = `[http.services]
  [http.services.api.loadbalancer]
    [http.services.api.loadbalancer.HealthCheck]
      Path = "/health"
      Interval = "2s"
    [[http.services.api.loadbalancer.servers]]
      url = "http://10.0.0.3:80"
`;
    const [check] = traefikModel.healthChecks!(tree(source, parseToml));
    expect(check).toMatchObject({
      key: "service:api",
      path: "http.services.api.loadbalancer.HealthCheck",
      line: 3,
      intervalSeconds: { value: 2, line: 5, explicit: true },
    });
  });

  it("reads Traefik v1 backends", () => {
    const source = `[backends]
  [backends.backend1]
    [backends.backend1.healthcheck]
    path = "/health"
    interval = "5s"
    [backends.backend1.servers.server1]
    url = "http://10.0.0.1:80"
`;
    expect(detectDialect("rules.toml", "toml", tree(source, parseToml))).toBe("traefik");
    const [check] = traefikModel.healthChecks!(tree(source, parseToml));
    expect(check).toMatchObject({
      key: "backend:backend1",
      label: 'health check of backend "backend1"',
      path: "backends.backend1.healthcheck",
      ejectAfterSeconds: 5,
    });
  });
});

describe("traefik stickiness", () => {
  it.each([
    {
      name: "sticky.cookie with a name and a maxAge",
      balancer:
        "        sticky:\n          cookie:\n            name: srv\n            secure: true\n            maxAge: 3600\n",
      expected: {
        enabled: true,
        mode: "cookie",
        cookieName: "srv",
        line: 13,
        path: "http.services.shop.loadBalancer.sticky.cookie",
        durationSeconds: { value: 3600, line: 16, explicit: true },
      },
    },
    {
      name: "an empty sticky.cookie: on, generated name, session cookie",
      balancer: "        sticky:\n          cookie: {}\n",
      expected: {
        enabled: true,
        mode: "cookie",
        cookieName: undefined,
        durationSeconds: undefined,
      },
    },
    {
      name: "no sticky: off",
      balancer: "        passHostHeader: true\n",
      expected: {
        enabled: false,
        mode: "round robin",
        line: 8,
        path: "http.services.shop.loadBalancer",
      },
    },
    {
      name: "the v2 pre-release stickiness block",
      balancer: "        stickiness:\n          cookieName: legacy\n",
      expected: { enabled: true, mode: "cookie", cookieName: "legacy" },
    },
  ])("$name", ({ balancer, expected }) => {
    expect(traefikModel.affinities!(tree(dynamicYaml(balancer)))).toMatchObject([
      { key: "service:shop", label: 'service "shop"', ...expected },
    ]);
  });

  it("reads weighted services and v1 backends", () => {
    const weighted = `http:
  services:
    canary:
      weighted:
        services:
        - name: v1
          weight: 3
        sticky:
          cookie:
            name: canary
`;
    expect(traefikModel.affinities!(tree(weighted))).toMatchObject([
      {
        key: "service:canary",
        enabled: true,
        cookieName: "canary",
        path: "http.services.canary.weighted.sticky.cookie",
      },
    ]);
    const v1 = `[backends]
  [backends.app]
    [backends.app.loadbalancer]
    method = "drr"
    sticky = true
  [backends.web]
    [backends.web.loadbalancer.stickiness]
    cookieName = "web"
`;
    expect(
      traefikModel.affinities!(tree(v1, parseToml)).map((affinity) => [
        affinity.key,
        affinity.enabled,
        affinity.cookieName,
      ]),
    ).toEqual([
      ["backend:app", true, undefined],
      ["backend:web", true, "web"],
    ]);
  });
});

describe("traefik dialect detection", () => {
  it.each([
    [
      "upper-case HTTP.Services (TOML)",
      `[HTTP.Services.S.LoadBalancer]\n  [[HTTP.Services.S.LoadBalancer.Servers]]\n    URL = "http://a"\n`,
      "toml",
      "traefik",
    ],
    [
      "the v2 pre-release top-level services",
      `[services.s.loadbalancer]\n  [[services.s.loadbalancer.servers]]\n  url = "http://a"\n`,
      "toml",
      "traefik",
    ],
    [
      "a compose file's top-level services",
      "services:\n  web:\n    image: nginx\n",
      "yaml",
      "compose",
    ],
  ] as const)("%s", (_, source, format, dialect) => {
    const parsed = tree(source, format === "toml" ? parseToml : parseYaml);
    expect(detectDialect(format === "toml" ? "dynamic.toml" : "compose.yaml", format, parsed)).toBe(
      dialect,
    );
  });
});

// --- end to end, through the engine ---

const run = (path: string, before: string, after: string): readonly Finding[] =>
  analyze([{ path, before, after }]).findings;
const lbFindings = (findings: readonly Finding[]): Finding[] =>
  findings.filter((finding) => finding.rule.startsWith("lb."));

const check = (interval: string): string =>
  `        healthCheck:\n          path: /health\n          interval: ${interval}\n          timeout: 2s\n`;
const sticky =
  "        sticky:\n          cookie:\n            name: shop_srv\n            secure: true\n            httpOnly: true\n";

describe("traefik through analyze()", () => {
  const base = dynamicYaml(check("30s") + sticky);

  it("reports an interval cut from 30 s to 5 s (one failure ejects)", () => {
    const findings = lbFindings(
      run("traefik/dynamic.yml", base, dynamicYaml(check("5s") + sticky)),
    );
    expect(findings).toMatchObject([
      {
        rule: "lb.health-check.detection-too-fast",
        severity: "high",
        line: 14,
        path: "http.services.shop.loadBalancer.healthCheck",
        before: 30,
        after: 5,
        figures: { ejectAfterSeconds: 5, intervalSeconds: 5, unhealthyThreshold: 1 },
      },
    ]);
    expect(findings[0]!.message).toContain(
      'health check of service "shop" ejects a failing target after 5 s instead of 30 s (5 s × 1, was 30 s × 1)',
    );
    expect(findings[0]!.message).not.toContain("single failed check");
  });

  it("reports the sticky cookie removed", () => {
    const findings = lbFindings(run("traefik/dynamic.yml", base, dynamicYaml(check("30s"))));
    expect(findings).toMatchObject([
      {
        rule: "lb.stickiness.disabled",
        severity: "high",
        line: 8,
        before: "cookie",
        after: "round robin",
      },
    ]);
  });

  it.each([
    ["an interval of 20 s instead of 30 s", dynamicYaml(check("20s") + sticky)],
    [
      "the cookie's secure flag turned off",
      dynamicYaml(check("30s") + sticky.replace("secure: true", "secure: false")),
    ],
    [
      "the keys re-cased and reordered",
      dynamicYaml(sticky + check("30s"))
        .replace("loadBalancer:", "loadbalancer:")
        .replace("healthCheck:", "healthcheck:"),
    ],
  ])("does not report %s", (_, after) => {
    expect(lbFindings(run("traefik/dynamic.yml", base, after))).toEqual([]);
  });

  const toml = (interval: string, cookie: boolean): string => `[http.routers.shop]
  rule = "Host(\`shop.example.com\`)"
  service = "shop"

[http.services.shop.loadBalancer]
  [http.services.shop.loadBalancer.healthCheck]
    path = "/health"
    interval = "${interval}"
${cookie ? '  [http.services.shop.loadBalancer.sticky.cookie]\n    name = "shop_srv"\n' : ""}  [[http.services.shop.loadBalancer.servers]]
    url = "http://10.0.0.1:8080"
`;

  it("reads TOML the same way", () => {
    const findings = lbFindings(run("traefik/dynamic.toml", toml("30s", true), toml("4s", false)));
    expect(findings.map((finding) => [finding.rule, finding.line])).toEqual([
      ["lb.stickiness.disabled", 5],
      ["lb.health-check.detection-too-fast", 8],
    ]);
    expect(lbFindings(run("traefik/dynamic.toml", toml("30s", true), toml("25s", true)))).toEqual(
      [],
    );
  });
});
