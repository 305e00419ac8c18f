// Every rule of a file reads the same entities of the same two trees: the model extracts them once per tree
// (docs/architecture.md, `src/rules/model/`), so forty rules do not walk a tree forty times.
import { describe, expect, it } from "vitest";
import type { Dialect } from "../../../src/formats/dialect.js";
import { parseHaproxy } from "../../../src/formats/haproxy.js";
import { parseHcl } from "../../../src/formats/hcl.js";
import { parseNginx } from "../../../src/formats/nginx.js";
import type { ParseResult } from "../../../src/formats/types.js";
import type { TreeNode } from "../../../src/formats/tree.js";
import { parseYaml } from "../../../src/formats/yaml.js";
import { elbHealthChecksOf } from "../../../src/rules/model/aws/health-checks.js";
import { listenersOf } from "../../../src/rules/model/aws/listeners.js";
import { lbProbesOf, lbRulesOf } from "../../../src/rules/model/azure/load-balancers.js";
import { backendServicesOf } from "../../../src/rules/model/gcp/backend-services.js";
import { loadBalancersOf } from "../../../src/rules/model/aws/load-balancers.js";
import { targetGroupsOf } from "../../../src/rules/model/aws/target-groups.js";
import { clustersOf } from "../../../src/rules/model/envoy/clusters.js";
import { haproxySections } from "../../../src/rules/model/haproxy/sections.js";
import { serversOf } from "../../../src/rules/model/haproxy/servers.js";
import { pairHealthChecks } from "../../../src/rules/model/hair-trigger.js";
import { affinitiesOf, healthChecksOf } from "../../../src/rules/model/index.js";
import { virtualServiceRoutes } from "../../../src/rules/model/kubernetes/istio.js";
import { objectsOf } from "../../../src/rules/model/kubernetes/objects.js";
import { workloadsOf } from "../../../src/rules/model/kubernetes/workloads.js";
import { memoByDialectTree, memoByNode, memoByPair } from "../../../src/rules/model/memo.js";
import { nginxBlocks } from "../../../src/rules/model/nginx/blocks.js";
import { listenersOf as proxyListenersOf } from "../../../src/rules/model/proxy-listeners.js";
import { upstreamsOf } from "../../../src/rules/model/nginx/upstreams.js";
import { servicesOf } from "../../../src/rules/model/traefik/services.js";
import { tlsFloorsOf } from "../../../src/rules/model/tls-floors.js";

function tree(parse: (source: string) => ParseResult, source: string): TreeNode {
  const result = parse(source);
  if (!result.ok) throw new Error(`expected a tree, got ${JSON.stringify(result.problems)}`);
  return result.tree;
}

const terraform = tree(
  parseHcl,
  `resource "aws_lb" "main" {
  internal = false
}

resource "aws_lb_listener" "http" {
  port     = 80
  protocol = "HTTP"
}

resource "aws_lb_target_group" "web" {
  port     = 80
  protocol = "HTTP"
  health_check {
    interval = 10
  }
  stickiness {
    type = "lb_cookie"
  }
}

resource "azurerm_lb_probe" "web" {
  port = 80
}

resource "azurerm_lb_rule" "web" {
  frontend_port = 80
}

resource "google_compute_backend_service" "web" {
  backend {
    group = "ig"
  }
}
`,
);

const kubernetes = tree(
  parseYaml,
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: web
        readinessProbe:
          httpGet: { path: /health, port: 80 }
          periodSeconds: 5
`,
);

const nginx = tree(
  parseNginx,
  `http {
  upstream app {
    server 10.0.0.1:80;
    server 10.0.0.2:80;
  }
}
`,
);

const haproxy = tree(
  parseHaproxy,
  `frontend www
  bind :80
  default_backend app

backend app
  server web1 10.0.0.1:80 check inter 5s fall 3
`,
);

const envoy = tree(
  parseYaml,
  `static_resources:
  clusters:
  - name: backend
    connect_timeout: 1s
    health_checks:
    - timeout: 1s
      interval: 5s
      unhealthy_threshold: 3
      healthy_threshold: 2
      tcp_health_check: {}
`,
);

const traefik = tree(
  parseYaml,
  `http:
  services:
    shop:
      loadBalancer:
        healthCheck:
          path: /health
        servers:
        - url: http://10.0.0.1:8080
`,
);

describe("entities are extracted once per tree", () => {
  it.each<[string, () => readonly unknown[]]>([
    ["health checks (terraform)", () => healthChecksOf("terraform", terraform)],
    ["affinities (terraform)", () => affinitiesOf("terraform", terraform)],
    ["ELB health checks", () => elbHealthChecksOf("terraform", terraform)],
    ["ELB target groups", () => targetGroupsOf("terraform", terraform)],
    ["ELB load balancers", () => loadBalancersOf("terraform", terraform)],
    ["ELB listeners", () => listenersOf("terraform", terraform)],
    ["Azure load balancer probes", () => lbProbesOf(terraform)],
    ["Azure load balancer rules", () => lbRulesOf(terraform)],
    ["GCP backend services", () => backendServicesOf(terraform)],
    ["health checks (kubernetes)", () => healthChecksOf("kubernetes", kubernetes)],
    ["Kubernetes objects", () => objectsOf(kubernetes)],
    ["Kubernetes workloads", () => workloadsOf(objectsOf(kubernetes))],
    ["health checks (nginx)", () => healthChecksOf("nginx", nginx)],
    ["nginx blocks", () => nginxBlocks(nginx)],
    ["nginx upstreams", () => upstreamsOf(nginx)],
    ["health checks (haproxy)", () => healthChecksOf("haproxy", haproxy)],
    ["HAProxy sections", () => haproxySections(haproxy)],
    ["HAProxy servers", () => serversOf(haproxySections(haproxy).at(-1)!)],
    ["proxy listeners (haproxy)", () => proxyListenersOf("haproxy", haproxy)],
    ["TLS floors (haproxy)", () => tlsFloorsOf("haproxy", haproxy)],
    ["health checks (envoy)", () => healthChecksOf("envoy", envoy)],
    ["Envoy clusters", () => clustersOf(envoy)],
    ["health checks (traefik)", () => healthChecksOf("traefik", traefik)],
    ["Traefik services", () => servicesOf(traefik)],
  ])("%s: the same array for every rule that asks", (_, extract) => {
    const first = extract();
    expect(first.length).toBeGreaterThan(0);
    expect(extract()).toBe(first);
  });
});

describe("memoByNode and memoByDialectTree", () => {
  it("extract once per node", () => {
    const seen: TreeNode[] = [];
    const extract = memoByNode((node: TreeNode) => {
      seen.push(node);
      return [node.line];
    });
    expect(extract(nginx)).toBe(extract(nginx));
    expect(extract(haproxy)).not.toBe(extract(nginx));
    expect(seen).toEqual([nginx, haproxy]);
  });

  it("extract once per tree and dialect; a missing side has no entities and is not extracted", () => {
    const seen: string[] = [];
    const extract = memoByDialectTree((dialect: Dialect, node: TreeNode) => {
      seen.push(`${dialect}@${node.line}`);
      return [dialect];
    });
    expect(extract("envoy", envoy)).toBe(extract("envoy", envoy));
    expect(extract("kubernetes", envoy)).toEqual(["kubernetes"]);
    expect(extract("envoy", null)).toEqual([]);
    expect(seen).toEqual([`envoy@${envoy.line}`, `kubernetes@${envoy.line}`]);
  });
});

describe("health-check pairs", () => {
  it("are worked out once per pair of lists (each health-check rule asks them of the same memoised lists)", () => {
    const before = healthChecksOf("haproxy", haproxy);
    const after = healthChecksOf("haproxy", haproxy);
    const pairs = pairHealthChecks(before, after);
    expect(pairs.length).toBeGreaterThan(0);
    expect(pairHealthChecks(before, after)).toBe(pairs);
    expect(pairHealthChecks([...before], after)).not.toBe(pairs);
    expect(pairHealthChecks([...before], after)).toEqual(pairs);
  });
});

describe("memoByPair", () => {
  it("computes once per pair of values and apart for each other pair", () => {
    let calls = 0;
    const joined = memoByPair((first: string[], second: string[]) => {
      calls++;
      return [...first, ...second];
    });
    const a = ["a"];
    const b = ["b"];
    expect(joined(a, b)).toBe(joined(a, b));
    expect(calls).toBe(1);
    expect(joined(b, a)).toEqual(["b", "a"]);
    expect(joined(a, a)).toEqual(["a", "a"]);
    expect(calls).toBe(3);
  });

  it("takes a null first value as a key of its own (an added file has no tree before)", () => {
    let calls = 0;
    const paired = memoByPair((first: string[] | null, second: string[]) => {
      calls++;
      return [first?.length ?? -1, second.length];
    });
    const b = ["b"];
    expect(paired(null, b)).toBe(paired(null, b));
    expect(paired(null, b)).toEqual([-1, 1]);
    expect(paired([], b)).toEqual([0, 1]);
    expect(calls).toBe(2);
  });
});

describe("Istio routes", () => {
  it("are read once per VirtualService, for every rule that asks", () => {
    const [service] = objectsOf(
      tree(
        parseYaml,
        `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: web
spec:
  hosts: [web]
  http:
  - route:
    - destination:
        host: web
`,
      ),
    );
    const first = virtualServiceRoutes(service!);
    expect(first.length).toBeGreaterThan(0);
    expect(virtualServiceRoutes(service!)).toBe(first);
  });
});
