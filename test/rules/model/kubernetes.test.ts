import { describe, expect, it } from "vitest";
import { analyze } from "../../../src/engine/analyze.js";
import type { TreeNode } from "../../../src/formats/tree.js";
import { parseYaml } from "../../../src/formats/yaml.js";
import type { Affinity } from "../../../src/rules/model/affinity.js";
import type { HealthCheck } from "../../../src/rules/model/health-check.js";
import { parseTargetGroupAttributes } from "../../../src/rules/model/kubernetes/aws-load-balancer-controller.js";
import { kubernetesModel } from "../../../src/rules/model/kubernetes/entities.js";
import { objectsOf } from "../../../src/rules/model/kubernetes/objects.js";
import {
  containerPorts,
  portResolves,
  workloadsOf,
} from "../../../src/rules/model/kubernetes/workloads.js";
import type { Finding } from "../../../src/rules/types.js";

function tree(source: string): TreeNode {
  const result = parseYaml(source);
  if (!result.ok) throw new Error(`expected YAML, got ${JSON.stringify(result.problems)}`);
  return result.tree;
}

const checks = (source: string): HealthCheck[] => kubernetesModel.healthChecks!(tree(source));
const affinities = (source: string): Affinity[] => kubernetesModel.affinities!(tree(source));

/** A figure as `value@line`, `value*` when defaulted: compact for table rows. */
const fig = (figure: { value: number; line: number; explicit: boolean } | undefined): string =>
  figure === undefined
    ? "?"
    : figure.explicit
      ? `${figure.value}@${figure.line}`
      : `${figure.value}*@${figure.line}`;

const summary = (check: HealthCheck) => ({
  key: check.key,
  interval: fig(check.intervalSeconds),
  timeout: fig(check.timeoutSeconds),
  unhealthy: fig(check.unhealthyThreshold),
  healthy: fig(check.healthyThreshold),
  eject: check.ejectAfterSeconds,
});

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
  template:
    spec:
      containers:
      - name: app
        image: shop/web:1.4.2
        readinessProbe:
          httpGet:
            path: /ready
            port: 8080
          periodSeconds: 5
          timeoutSeconds: 2
          failureThreshold: 4
          successThreshold: 2
        livenessProbe:
          httpGet:
            path: /live
            port: 8080
      - name: proxy
        image: envoyproxy/envoy:v1.31
        startupProbe:
          tcpSocket:
            port: 9901
          failureThreshold: 30
          periodSeconds: 1
`;

describe("kubernetes probes", () => {
  it("reads every probe with its figures, key, label, path and lines", () => {
    const found = checks(DEPLOYMENT);
    expect(found.map(summary)).toEqual([
      {
        key: "Deployment/shop/web:containers[name=app].readinessProbe",
        interval: "5@17",
        timeout: "2@18",
        unhealthy: "4@19",
        healthy: "2@20",
        eject: 20,
      },
      {
        key: "Deployment/shop/web:containers[name=app].livenessProbe",
        interval: "10*@21",
        timeout: "1*@21",
        unhealthy: "3*@21",
        healthy: "1*@21",
        eject: 30,
      },
      {
        key: "Deployment/shop/web:containers[name=proxy].startupProbe",
        interval: "1@31",
        timeout: "1*@27",
        unhealthy: "30@30",
        healthy: "1*@27",
        eject: 30,
      },
    ]);
    const readiness = found[0]!;
    expect(readiness).toMatchObject({
      label: 'readiness probe of container "app" in Deployment web',
      provider: "kubernetes",
      probe: "readiness",
      path: "spec.template.spec.containers[name=app].readinessProbe",
      line: 13,
      timeoutRule: "below-interval",
    });
    expect(found.map((check) => check.probe)).toEqual(["readiness", "liveness", "startup"]);
  });

  /** `containers:` with one probed container, indented to sit under a pod spec at `depth`. */
  const containers = (depth: number): string =>
    ["containers:", "- name: app", "  readinessProbe:", "    periodSeconds: 7"]
      .map((line) => " ".repeat(depth) + line)
      .join("\n");
  it.each([
    ["Pod", `spec:\n${containers(2)}`],
    ["StatefulSet", `spec:\n  template:\n    spec:\n${containers(6)}`],
    ["DaemonSet", `spec:\n  template:\n    spec:\n${containers(6)}`],
    ["ReplicaSet", `spec:\n  template:\n    spec:\n${containers(6)}`],
    ["Job", `spec:\n  template:\n    spec:\n${containers(6)}`],
    [
      "CronJob",
      `spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n${containers(10)}`,
    ],
    ["Rollout", `spec:\n  template:\n    spec:\n${containers(6)}`],
  ])("finds the pod template of a %s", (kind, spec) => {
    const found = checks(`apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: w\n${spec}\n`);
    expect(found.map((check) => [check.key, check.intervalSeconds?.value])).toEqual([
      [`${kind}/default/w:containers[name=app].readinessProbe`, 7],
    ]);
  });

  it("reads documents of a multi-document file and items of a List, with the diff's path labels", () => {
    const found = checks(`apiVersion: v1
kind: Service
metadata: { name: web }
spec: { ports: [{ port: 80 }] }
---
apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: { name: api }
  spec:
    template:
      spec:
        containers:
        - name: api
          livenessProbe: { periodSeconds: 3, failureThreshold: 2 }
`);
    expect(found.map((check) => [check.key, check.path, check.ejectAfterSeconds])).toEqual([
      [
        "Deployment/default/api:containers[name=api].livenessProbe",
        "[1].items[Deployment/api].spec.template.spec.containers[name=api].livenessProbe",
        6,
      ],
    ]);
  });

  it("reads sidecar init containers and names them apart", () => {
    const found = checks(`apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
  initContainers:
  - name: mesh
    restartPolicy: Always
    readinessProbe: { periodSeconds: 2 }
  containers:
  - name: app
`);
    expect(found.map((check) => [check.key, check.label])).toEqual([
      [
        "Pod/default/p:initContainers[name=mesh].readinessProbe",
        'readiness probe of init container "mesh" in Pod p',
      ],
    ]);
  });

  it("leaves templated figures unknown instead of defaulting them (Helm)", () => {
    const [check] = checks(`apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  template:
    spec:
      containers:
      - name: app
        readinessProbe:
          periodSeconds: "{{ .Values.probe.period }}"
`);
    expect(check!.intervalSeconds).toBeUndefined();
    expect(check!.unhealthyThreshold).toEqual({ value: 3, line: 9, explicit: false });
    expect(check!.ejectAfterSeconds).toBeUndefined();
  });

  it("ignores objects without a pod template and containers without probes", () => {
    expect(
      checks(`apiVersion: v1
kind: ConfigMap
metadata: { name: c }
data: { spec: x }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: d }
spec:
  template:
    spec:
      containers: [{ name: app, image: x }]
`),
    ).toEqual([]);
  });
});

const ALB_INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  annotations:
    alb.ingress.kubernetes.io/scheme: internet-facing
    alb.ingress.kubernetes.io/healthcheck-interval-seconds: "10"
    alb.ingress.kubernetes.io/unhealthy-threshold-count: "3"
    alb.ingress.kubernetes.io/target-group-attributes: stickiness.enabled=true,stickiness.lb_cookie.duration_seconds=600
spec:
  ingressClassName: alb
`;

describe("AWS Load Balancer Controller annotations", () => {
  it.each([
    {
      name: "Ingress with some annotations: the rest are the ALB defaults (15/5/2/2)",
      source: ALB_INGRESS,
      expected: {
        key: "Ingress/default/shop:alb-health-check",
        interval: "10@7",
        timeout: "5*@5",
        unhealthy: "3@8",
        healthy: "2*@5",
        eject: 30,
      },
    },
    {
      name: "Service of type LoadBalancer: the NLB defaults (10/10/3/3)",
      source: `apiVersion: v1
kind: Service
metadata:
  name: api
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-type: external
    service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval: "5"
spec:
  type: LoadBalancer
`,
      expected: {
        key: "Service/default/api:nlb-health-check",
        interval: "5@7",
        timeout: "10*@5",
        unhealthy: "3*@5",
        healthy: "3*@5",
        eject: 15,
      },
    },
  ])("$name", ({ source, expected }) => {
    const found = checks(source);
    expect(found.map(summary)).toEqual([expected]);
    expect(found[0]!.provider).toBe("aws-lbc");
  });

  it("labels the check and keeps the ALB rule that the timeout must stay below the interval", () => {
    const [check] = checks(ALB_INGRESS);
    expect(check).toMatchObject({
      label: "ALB health check of Ingress shop",
      path: "metadata.annotations",
      line: 7,
      timeoutRule: "below-interval",
    });
  });

  it.each([
    [
      "an Ingress without AWS annotations",
      `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n  annotations:\n    nginx.ingress.kubernetes.io/affinity: cookie\n`,
    ],
    [
      "a ClusterIP Service with AWS annotations (no load balancer)",
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n    service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval: "5"\nspec:\n  type: ClusterIP\n`,
    ],
  ])("reads no check from %s", (_, source) => {
    expect(checks(source)).toEqual([]);
  });

  it("parses target-group attributes", () => {
    expect([
      ...parseTargetGroupAttributes(
        "stickiness.enabled=true, stickiness.type=app_cookie,stickiness.app_cookie.cookie_name=SESSION,bad",
      ),
    ]).toEqual([
      ["stickiness.enabled", "true"],
      ["stickiness.type", "app_cookie"],
      ["stickiness.app_cookie.cookie_name", "SESSION"],
    ]);
  });
});

describe("GKE BackendConfig", () => {
  const BACKEND_CONFIG = `apiVersion: cloud.google.com/v1
kind: BackendConfig
metadata:
  name: web-bc
spec:
  healthCheck:
    checkIntervalSec: 15
    requestPath: /healthz
  sessionAffinity:
    affinityType: GENERATED_COOKIE
    affinityCookieTtlSec: 3600
`;

  it("reads spec.healthCheck with the GCP defaults (5/5/2/2)", () => {
    const found = checks(BACKEND_CONFIG);
    expect(found.map(summary)).toEqual([
      {
        key: "BackendConfig/default/web-bc:healthCheck",
        interval: "15@7",
        timeout: "5*@6",
        unhealthy: "2*@6",
        healthy: "2*@6",
        eject: 30,
      },
    ]);
    expect(found[0]).toMatchObject({ provider: "gcp", timeoutRule: "at-most-interval" });
  });

  it("reads spec.sessionAffinity", () => {
    expect(affinities(BACKEND_CONFIG)).toEqual([
      {
        key: "BackendConfig/default/web-bc:sessionAffinity",
        label: "session affinity of BackendConfig web-bc",
        path: "spec.sessionAffinity",
        line: 10,
        enabled: true,
        mode: "GENERATED_COOKIE",
        durationSeconds: { value: 3600, line: 11, explicit: true },
      },
    ]);
  });
});

describe("kubernetes affinities", () => {
  const service = (spec: string): string =>
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: cart\nspec:\n  ports: [{ port: 80 }]\n${spec}`;
  const ingress = (annotations: string): string =>
    `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\n  annotations:\n${annotations}`;

  it.each([
    {
      name: "Service without sessionAffinity: off",
      source: service(""),
      expected: { key: "Service/default/cart", enabled: false, mode: "None", line: 5 },
    },
    {
      name: "Service ClientIP with the default timeout (10800 s)",
      source: service("  sessionAffinity: ClientIP\n"),
      expected: {
        key: "Service/default/cart",
        enabled: true,
        mode: "ClientIP",
        line: 7,
        durationSeconds: { value: 10800, line: 7, explicit: false },
      },
    },
    {
      name: "Service ClientIP with an explicit timeout",
      source: service(
        "  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 600\n",
      ),
      expected: {
        enabled: true,
        mode: "ClientIP",
        durationSeconds: { value: 600, line: 10, explicit: true },
      },
    },
    {
      name: "ingress-nginx cookie affinity with the default cookie name, session cookie",
      source: ingress("    nginx.ingress.kubernetes.io/affinity: cookie\n"),
      expected: {
        key: "Ingress/default/shop:ingress-nginx",
        label: "ingress-nginx affinity of Ingress shop",
        path: 'metadata.annotations["nginx.ingress.kubernetes.io/affinity"]',
        line: 6,
        enabled: true,
        mode: "cookie",
        cookieName: "INGRESSCOOKIE",
        durationSeconds: undefined,
      },
    },
    {
      name: "ingress-nginx cookie affinity with a name and a max-age",
      source: ingress(
        '    nginx.ingress.kubernetes.io/affinity: "cookie"\n    nginx.ingress.kubernetes.io/session-cookie-name: route\n    nginx.ingress.kubernetes.io/session-cookie-max-age: "172800"\n',
      ),
      expected: {
        enabled: true,
        mode: "cookie",
        cookieName: "route",
        durationSeconds: { value: 172800, line: 8, explicit: true },
      },
    },
    {
      name: "ingress-nginx upstream-hash-by",
      source: ingress("    nginx.ingress.kubernetes.io/upstream-hash-by: $request_uri\n"),
      expected: { enabled: true, mode: "hash $request_uri", line: 6 },
    },
    {
      name: "an Ingress without affinity annotations: off",
      source: ingress("    nginx.ingress.kubernetes.io/proxy-read-timeout: '60'\n"),
      expected: { key: "Ingress/default/shop:ingress-nginx", enabled: false, mode: undefined },
    },
  ])("$name", ({ source, expected }) => {
    const found = affinities(source);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject(expected);
  });

  it.each([
    {
      name: "ALB lb_cookie stickiness with a duration",
      annotations: "stickiness.enabled=true,stickiness.lb_cookie.duration_seconds=60",
      expected: {
        enabled: true,
        mode: "lb_cookie",
        durationSeconds: { value: 60, line: 6, explicit: true },
      },
    },
    {
      name: "ALB app_cookie stickiness with its cookie name and the default duration",
      annotations:
        "stickiness.enabled=true,stickiness.type=app_cookie,stickiness.app_cookie.cookie_name=JSESSIONID",
      expected: {
        enabled: true,
        mode: "app_cookie",
        cookieName: "JSESSIONID",
        durationSeconds: { value: 86400, line: 6, explicit: false },
      },
    },
    {
      name: "ALB stickiness disabled",
      annotations: "stickiness.enabled=false,deregistration_delay.timeout_seconds=30",
      expected: { enabled: false, mode: undefined, durationSeconds: undefined },
    },
  ])("$name", ({ annotations, expected }) => {
    const found = affinities(
      ingress(`    alb.ingress.kubernetes.io/target-group-attributes: ${annotations}\n`),
    );
    expect(found.map((affinity) => affinity.key)).toEqual([
      "Ingress/default/shop:ingress-nginx",
      "Ingress/default/shop:target-group",
    ]);
    expect(found[1]).toMatchObject({ label: "ALB target group of Ingress shop", ...expected });
  });
});

// --- end to end, through the engine ---

const rule = (findings: readonly Finding[], id: string): Finding[] =>
  findings.filter((finding) => finding.rule === id);

const run = (path: string, before: string, after: string): readonly Finding[] =>
  analyze([{ path, before, after }]).findings;

const deployment = (readiness: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  labels:
    app: checkout
spec:
  replicas: 4
  selector:
    matchLabels:
      app: checkout
  template:
    metadata:
      labels:
        app: checkout
    spec:
      containers:
      - name: server
        image: shop/checkout:2.3.1
        ports:
        - containerPort: 8080
        readinessProbe:
          httpGet:
            path: /healthz
            port: 8080
${readiness}
---
apiVersion: v1
kind: Service
metadata:
  name: checkout
spec:
  selector:
    app: checkout
  ports:
  - port: 80
    targetPort: 8080
`;

describe("kubernetes through analyze()", () => {
  const base = deployment("          periodSeconds: 10\n          failureThreshold: 3");

  it("reports a readiness probe that marks pods unready five times sooner", () => {
    const findings = run(
      "k8s/checkout.yaml",
      base,
      deployment("          periodSeconds: 2\n          failureThreshold: 1"),
    );
    const [finding] = rule(findings, "lb.health-check.detection-too-fast");
    expect(finding).toMatchObject({
      severity: "high",
      line: 26,
      path: "[Deployment/checkout].spec.template.spec.containers[name=server].readinessProbe",
      before: 30,
      after: 2,
      figures: {
        ejectAfterSecondsBefore: 30,
        ejectAfterSeconds: 2,
        intervalSeconds: 2,
        unhealthyThreshold: 1,
      },
    });
    expect(finding!.message).toContain(
      'readiness probe of container "server" in Deployment checkout ejects a failing target after 2 s instead of 30 s (2 s × 1, was 10 s × 3)',
    );
  });

  it("says a liveness probe restarts", () => {
    const live = (period: number): string =>
      deployment("          periodSeconds: 10").replace(
        "        readinessProbe:",
        `        livenessProbe:\n          exec: { command: [/bin/true] }\n          periodSeconds: ${period}\n        readinessProbe:`,
      );
    // The same consequence as kubernetes.liveness.aggressive: one finding with both reasons.
    const [finding] = rule(
      run("k8s/checkout.yaml", live(10), live(3)),
      "kubernetes.liveness.aggressive",
    );
    expect(finding!.alsoRules).toEqual(["lb.health-check.detection-too-fast"]);
    expect(finding!.reasons![1]!.message).toMatch(
      /^liveness probe .* restarts a failing target after 9 s/,
    );
  });

  it.each([
    [
      "a period of 8 s instead of 10 s",
      deployment("          periodSeconds: 8\n          failureThreshold: 3"),
    ],
    [
      "the same probe, reordered and reformatted",
      deployment("          failureThreshold: 3\n          periodSeconds: 10")
        .replace("          httpGet:\n            path: /healthz\n            port: 8080\n", "")
        .replace(
          "          periodSeconds: 10",
          "          periodSeconds: 10\n          httpGet: { port: 8080, path: /healthz }",
        ),
    ],
    ["only the image changes", base.replace("checkout:2.3.1", "checkout:2.4.0")],
  ])("does not report %s", (_, after) => {
    const findings = run("k8s/checkout.yaml", base, after);
    expect(findings.filter((finding) => finding.rule.startsWith("lb."))).toEqual([]);
  });

  it("reports an ALB health check that ejects targets sooner", () => {
    const after = ALB_INGRESS.replace('seconds: "10"', 'seconds: "5"').replace(
      'count: "3"',
      'count: "2"',
    );
    const [finding] = rule(
      run("k8s/ingress.yaml", ALB_INGRESS, after),
      "lb.health-check.detection-too-fast",
    );
    expect(finding).toMatchObject({ severity: "high", line: 7, before: 30, after: 10 });
  });

  const withAffinity = (affinity: string): string =>
    base.replace("  selector:\n    app: checkout\n", `  selector:\n    app: checkout\n${affinity}`);
  const clientIp = withAffinity(
    "  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 3600\n",
  );

  it("reports a Service whose ClientIP affinity is turned off", () => {
    const findings = run("k8s/checkout.yaml", clientIp, withAffinity("  sessionAffinity: None\n"));
    expect(rule(findings, "lb.stickiness.disabled")).toMatchObject([
      {
        severity: "high",
        line: 36,
        path: "[Service/checkout].spec.sessionAffinity",
        before: "ClientIP",
        after: "None",
      },
    ]);
  });

  it("reports ingress-nginx cookie affinity removed", () => {
    const before = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  annotations:
    nginx.ingress.kubernetes.io/affinity: cookie
    nginx.ingress.kubernetes.io/session-cookie-secure: "true"
spec:
  rules:
  - host: shop.example.com
`;
    const after = before.replace("    nginx.ingress.kubernetes.io/affinity: cookie\n", "");
    expect(rule(run("k8s/ingress.yaml", before, after), "lb.stickiness.disabled")).toMatchObject([
      { line: 5, before: "cookie" },
    ]);
    // The cookie's secure flag does not move sessions.
    const secureOff = before.replace('secure: "true"', 'secure: "false"');
    const findings = run("k8s/ingress.yaml", before, secureOff);
    expect(findings.filter((finding) => finding.rule.startsWith("lb.stickiness"))).toEqual([]);
  });

  it.each([
    ["the Service's ports change", clientIp.replace("targetPort: 8080", "targetPort: 8081")],
    [
      "the ClientIP timeout grows",
      clientIp.replace("timeoutSeconds: 3600", "timeoutSeconds: 7200"),
    ],
  ])("does not report stickiness when %s", (_, after) => {
    const findings = run("k8s/checkout.yaml", clientIp, after);
    expect(findings.filter((finding) => finding.rule.startsWith("lb.stickiness"))).toEqual([]);
  });
});

describe("declared container ports", () => {
  const ports = (extra: string) =>
    containerPorts(
      workloadsOf(
        objectsOf(
          tree(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          ports:
            - name: http
              containerPort: 8080
${extra}`),
        ),
      )[0]!,
    );

  it("resolves a port by number or name, and not one the pod does not declare", () => {
    const declared = ports("");
    expect(portResolves("8080", declared)).toBe(true);
    expect(portResolves("http", declared)).toBe(true);
    expect(portResolves("9090", declared)).toBe(false);
    expect(portResolves("metrics", declared)).toBe(false);
    expect(portResolves("9090", [])).toBeUndefined();
  });

  it("cannot rule a port out when a declared port's name or number is a Helm placeholder", () => {
    const declared = ports(
      '            - name: "{{ .Values.extra.name }}"\n              containerPort: "{{ .Values.extra.port }}"\n',
    );
    expect(declared.map((port) => port.templated)).toEqual([false, true]);
    expect(portResolves("8080", declared)).toBe(true);
    expect(portResolves("9090", declared)).toBeUndefined();
    expect(portResolves("metrics", declared)).toBeUndefined();
  });
});
