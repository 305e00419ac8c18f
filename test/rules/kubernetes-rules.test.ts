import { describe, expect, it } from "vitest";
import { analyze } from "../../src/engine/analyze.js";
import { RULES } from "../../src/rules/catalog.js";
import { KUBERNETES_RULES } from "../../src/rules/kubernetes/index.js";
import type { Finding } from "../../src/rules/types.js";

/** 1-based line of the first line containing `needle` (optionally the n-th occurrence). */
function lineOf(text: string, needle: string, occurrence = 1): number {
  let seen = 0;
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    if (lines[index]!.includes(needle) && ++seen === occurrence) return index + 1;
  }
  throw new Error(`"${needle}" not found`);
}

function findingsOf(rule: string, before: string, after: string, path = "k8s/app.yaml"): Finding[] {
  return analyze([{ path, before, after }]).findings.filter((finding) => finding.rule === rule);
}

interface Fires {
  readonly severity: string;
  /** Text on the reported line, looked up in `after` (or in `before` when `onBefore`). */
  readonly at: string;
  readonly onBefore?: boolean;
  /** Which occurrence of `at` (the second `selector:` is the Service's). */
  readonly nth?: number;
  readonly message: RegExp;
}

interface Case {
  readonly name: string;
  readonly before: string;
  readonly after: string;
  readonly path?: string;
  readonly fires: Fires | null;
}

/** Runs a rule's table: each case fires once as described, or not at all. */
function table(rule: string, cases: readonly Case[]): void {
  describe(rule, () => {
    it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
      const found = findingsOf(rule, c.before, c.after, c.path);
      if (!c.fires) {
        expect(found).toEqual([]);
        return;
      }
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({
        rule,
        severity: c.fires.severity,
        line: lineOf(c.fires.onBefore ? c.before : c.after, c.fires.at, c.fires.nth),
      });
      expect(found[0]!.message).toMatch(c.fires.message);
      expect(found[0]!.checklist.length).toBeGreaterThan(0);
    });
  });
}

interface DeploymentOptions {
  readonly kind?: string;
  readonly replicas?: string;
  readonly labels?: string;
  readonly podSpec?: string;
  readonly container?: string;
  readonly extra?: string;
}

/** A Deployment `web` whose pods carry `app: web`; `container` is indented under the container `app`. */
function deployment(options: DeploymentOptions = {}): string {
  return `apiVersion: apps/v1
kind: ${options.kind ?? "Deployment"}
metadata:
  name: web
spec:
${options.replicas ?? "  replicas: 3"}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
${options.labels ?? "        app: web"}
    spec:
${options.podSpec ?? ""}      containers:
      - name: app
        image: shop/web:1.4.2
${options.container ?? ""}${options.extra ?? ""}`;
}

const probe = (name: string, body: string) =>
  `        ${name}:\n          httpGet:\n            path: /healthz\n            port: 8080\n${body}`;

const READINESS = probe("readinessProbe", "          periodSeconds: 5\n");
const LIVENESS = (period: number, failures: number, timeout?: number) =>
  probe(
    "livenessProbe",
    `          periodSeconds: ${period}\n          failureThreshold: ${failures}\n` +
      (timeout !== undefined ? `          timeoutSeconds: ${timeout}\n` : ""),
  );
const STARTUP = (period: number, failures: number) =>
  probe(
    "startupProbe",
    `          periodSeconds: ${period}\n          failureThreshold: ${failures}\n`,
  );

table("kubernetes.probe.removed", [
  {
    name: "a removed readinessProbe is high",
    before: deployment({ container: READINESS + LIVENESS(10, 3) }),
    after: deployment({ container: LIVENESS(10, 3) }),
    fires: {
      severity: "high",
      at: "readinessProbe:",
      onBefore: true,
      message: /readinessProbe removed from container "app" in Deployment web/,
    },
  },
  {
    name: "a removed livenessProbe is medium",
    before: deployment({ container: READINESS + LIVENESS(10, 3) }),
    after: deployment({ container: READINESS }),
    fires: {
      severity: "medium",
      at: "livenessProbe:",
      onBefore: true,
      message: /no longer restarted/,
    },
  },
  {
    name: "a probe that is only retuned is not a removal",
    before: deployment({ container: READINESS }),
    after: deployment({ container: READINESS.replace("periodSeconds: 5", "periodSeconds: 10") }),
    fires: null,
  },
  {
    name: "in a Helm template a removal is medium (an action may render the probe)",
    before: deployment({ container: READINESS }).replace(
      "name: web\n",
      'name: "{{ .Release.Name }}"\n',
    ),
    after: deployment({ container: '{{ include "web.probes" . | nindent 8 }}\n' }).replace(
      "name: web\n",
      'name: "{{ .Release.Name }}"\n',
    ),
    path: "chart/templates/deployment.yaml",
    fires: {
      severity: "medium",
      at: "readinessProbe:",
      onBefore: true,
      message: /unless a template action now renders it/,
    },
  },
  {
    name: "Jobs are not judged",
    before: deployment({ kind: "Job", replicas: "  parallelism: 1", container: READINESS }),
    after: deployment({ kind: "Job", replicas: "  parallelism: 1" }),
    fires: null,
  },
]);

table("kubernetes.liveness.aggressive", [
  {
    name: "a liveness budget cut below 10 s is high",
    before: deployment({ container: LIVENESS(10, 3) }),
    after: deployment({ container: LIVENESS(3, 2) }),
    fires: {
      severity: "high",
      at: "periodSeconds: 3",
      message: /restarts the container after 6 s of failed checks \(2 × 3 s, was 30 s\)/,
    },
  },
  {
    name: "a new livenessProbe that is already too eager is high",
    before: deployment({ container: READINESS }),
    after: deployment({ container: READINESS + LIVENESS(2, 1) }),
    fires: { severity: "high", at: "periodSeconds: 2", message: /new probe/ },
  },
  {
    name: "a liveness timeout cut from 5 s to 1 s is high",
    before: deployment({ container: LIVENESS(10, 3, 5) }),
    after: deployment({ container: LIVENESS(10, 3, 1) }),
    fires: {
      severity: "high",
      at: "timeoutSeconds: 1",
      message: /times a check out after 1 s \(was 5 s\)/,
    },
  },
  {
    name: "a cut that stays above the floor is lb.health-check's business",
    before: deployment({ container: LIVENESS(10, 3) }),
    after: deployment({ container: LIVENESS(4, 3) }),
    fires: null,
  },
  {
    name: "a budget that was already below the floor does not newly cross it",
    before: deployment({ container: LIVENESS(3, 2) }),
    after: deployment({ container: LIVENESS(2, 2) }),
    fires: null,
  },
]);

table("kubernetes.startup.budget-too-small", [
  {
    name: "a startup budget cut below 30 s is high",
    before: deployment({ container: STARTUP(10, 30) }),
    after: deployment({ container: STARTUP(10, 2) }),
    fires: {
      severity: "high",
      at: "failureThreshold: 2",
      message: /now allows 20 s to start \(was 5 min\), below the 30 s floor/,
    },
  },
  {
    name: "a cut to half or less above the floor is medium",
    before: deployment({ container: STARTUP(10, 30) }),
    after: deployment({ container: STARTUP(10, 12) }),
    fires: { severity: "medium", at: "failureThreshold: 12", message: /now allows 2 min to start/ },
  },
  {
    name: "removing the startupProbe under a quick livenessProbe is high",
    before: deployment({ container: STARTUP(10, 30) + LIVENESS(10, 3) }),
    after: deployment({ container: LIVENESS(10, 3) }),
    fires: {
      severity: "high",
      at: "startupProbe:",
      onBefore: true,
      message: /restarts the container after 30 s .* where the startupProbe allowed 5 min/,
    },
  },
  {
    name: "a small cut above the floor is not reported",
    before: deployment({ container: STARTUP(10, 30) }),
    after: deployment({ container: STARTUP(10, 20) }),
    fires: null,
  },
  {
    name: "removing it is fine when liveness waits long enough",
    before: deployment({ container: STARTUP(10, 30) }),
    after: deployment({
      container: LIVENESS(10, 3).replace(
        "periodSeconds: 10",
        "initialDelaySeconds: 300\n          periodSeconds: 10",
      ),
    }),
    fires: null,
  },
]);

const HPA = `---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 2
  maxReplicas: 10
`;

table("kubernetes.replicas.reduced", [
  {
    name: "3 → 1 leaves no redundancy: high",
    before: deployment(),
    after: deployment({ replicas: "  replicas: 1" }),
    fires: {
      severity: "high",
      at: "replicas: 1",
      message: /scaled from 3 to 1 replicas: a single pod is left/,
    },
  },
  {
    name: "scaled to zero: high",
    before: deployment(),
    after: deployment({ replicas: "  replicas: 0" }),
    fires: { severity: "high", at: "replicas: 0", message: /no pod is left to serve/ },
  },
  {
    name: "a cut of more than half: medium",
    before: deployment({ replicas: "  replicas: 10" }),
    after: deployment({ replicas: "  replicas: 4" }),
    fires: { severity: "medium", at: "replicas: 4", message: /4 pods take the load of 10/ },
  },
  {
    name: "removing the field without an autoscaler: medium (defaults to 1)",
    before: deployment(),
    after: deployment({ replicas: "  minReadySeconds: 5" }),
    fires: {
      severity: "medium",
      at: "replicas: 3",
      onBefore: true,
      message: /no longer sets replicas \(was 3\), so it runs the default 1/,
    },
  },
  {
    name: "with an autoscaler in the file a cut is medium at most",
    before: deployment() + HPA,
    after: deployment({ replicas: "  replicas: 1" }) + HPA,
    fires: {
      severity: "medium",
      at: "replicas: 1",
      message: /until its autoscaler scales it back/,
    },
  },
  {
    name: "with an autoscaler, removing the field is the recommended practice",
    before: deployment() + HPA,
    after: deployment({ replicas: "  minReadySeconds: 5" }) + HPA,
    fires: null,
  },
  {
    name: "a small cut is not reported",
    before: deployment({ replicas: "  replicas: 4" }),
    after: deployment(),
    fires: null,
  },
  {
    name: "a Helm placeholder is unknowable",
    before: deployment({ replicas: "  replicas: {{ .Values.replicas }}" }),
    after: deployment({ replicas: "  replicas: 1" }),
    path: "chart/templates/deployment.yaml",
    fires: null,
  },
  {
    name: "DaemonSets have no replicas to cut",
    before: deployment({ kind: "DaemonSet" }),
    after: deployment({ kind: "DaemonSet", replicas: "  minReadySeconds: 5" }),
    fires: null,
  },
]);

table("kubernetes.helm.replica-count-reduced", [
  {
    name: "a replicaCount cut in values.yaml is medium",
    before: "replicaCount: 3\nimage:\n  tag: 1.0\n",
    after: "replicaCount: 1\nimage:\n  tag: 1.0\n",
    path: "chart/values.yaml",
    fires: {
      severity: "medium",
      at: "replicaCount: 1",
      message: /replicaCount cut from 3 to 1: a single pod is left/,
    },
  },
  {
    name: "nested per-component counts are read too",
    before: "frontend:\n  replicaCount: 4\nbackend:\n  replicaCount: 2\n",
    after: "frontend:\n  replicaCount: 2\nbackend:\n  replicaCount: 2\n",
    path: "chart/values-prod.yaml",
    fires: {
      severity: "medium",
      at: "replicaCount: 2",
      message: /frontend\.replicaCount cut from 4 to 2/,
    },
  },
  {
    name: "a raise is not reported",
    before: "replicaCount: 1\n",
    after: "replicaCount: 3\n",
    path: "chart/values.yaml",
    fires: null,
  },
]);

const pdb = (limit: string) => `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  ${limit}
  selector:
    matchLabels:
      app: web
`;

table("kubernetes.pdb.changed", [
  {
    name: "minAvailable 2 → 0 protects nothing: medium",
    before: pdb("minAvailable: 2"),
    after: pdb("minAvailable: 0"),
    fires: { severity: "medium", at: "minAvailable: 0", message: /may evict every pod at once/ },
  },
  {
    name: "maxUnavailable 0 blocks node drains: medium",
    before: pdb("maxUnavailable: 1"),
    after: pdb("maxUnavailable: 0"),
    fires: {
      severity: "medium",
      at: "maxUnavailable: 0",
      message: /node drains, cluster upgrades and autoscaler scale-downs hang/,
    },
  },
  {
    name: "with the workload in the file, allowed disruptions are computed (1 → 3 of 4: low)",
    before: deployment({ replicas: "  replicas: 4" }) + "---\n" + pdb("minAvailable: 3"),
    after: deployment({ replicas: "  replicas: 4" }) + "---\n" + pdb("minAvailable: 1"),
    fires: {
      severity: "low",
      at: "minAvailable: 1",
      message: /\(3 of 4 pods may be evicted at once, was 1\)/,
    },
  },
  {
    name: "removing the PDB is medium",
    before: deployment() + "---\n" + pdb("minAvailable: 2"),
    after: deployment(),
    fires: {
      severity: "medium",
      at: "apiVersion: policy/v1",
      onBefore: true,
      message: /PodDisruptionBudget web removed/,
    },
  },
  {
    name: "tightening is not reported",
    before: pdb("minAvailable: 1"),
    after: pdb("minAvailable: 2"),
    fires: null,
  },
  {
    name: "removed together with the workload it protected",
    before: deployment() + "---\n" + pdb("minAvailable: 2"),
    after: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n",
    fires: null,
  },
]);

const SERVICE = `---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
`;

const albIngress = (attributes: string) => `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    alb.ingress.kubernetes.io/scheme: internet-facing
    alb.ingress.kubernetes.io/target-group-attributes: ${attributes}
spec:
  ingressClassName: alb
  rules:
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
`;

const grace = (seconds: number) => `      terminationGracePeriodSeconds: ${seconds}\n`;
const preStop = (seconds: number) =>
  `        lifecycle:\n          preStop:\n            exec:\n              command: ["sh", "-c", "sleep ${seconds}"]\n`;
const PORTS = "        ports:\n        - name: http\n          containerPort: 8080\n";

table("kubernetes.termination-grace.shorter-than-drain", [
  {
    name: "a grace period cut below the ALB's deregistration delay is high",
    before:
      deployment({ podSpec: grace(90), container: PORTS }) +
      SERVICE +
      albIngress("deregistration_delay.timeout_seconds=60"),
    after:
      deployment({ podSpec: grace(45), container: PORTS }) +
      SERVICE +
      albIngress("deregistration_delay.timeout_seconds=60"),
    fires: {
      severity: "high",
      at: "terminationGracePeriodSeconds: 45",
      message:
        /gives its pods 45 s to terminate \(was 90 s\), shorter than the 60 s deregistration delay of Ingress web/,
    },
  },
  {
    name: "raising the deregistration delay above the grace period is high too",
    before:
      deployment({ container: PORTS }) +
      SERVICE +
      albIngress("deregistration_delay.timeout_seconds=20"),
    after:
      deployment({ container: PORTS }) +
      SERVICE +
      albIngress("deregistration_delay.timeout_seconds=120"),
    fires: {
      severity: "high",
      at: "deregistration_delay.timeout_seconds=120",
      message: /30 s \(the default\) to terminate, shorter than the 2 min deregistration delay/,
    },
  },
  {
    name: "a grace period not longer than the preStop sleep is high",
    before: deployment({ podSpec: grace(60), container: preStop(20) }),
    after: deployment({ podSpec: grace(20), container: preStop(20) }),
    fires: {
      severity: "high",
      at: "terminationGracePeriodSeconds: 20",
      message: /not longer than the 20 s preStop sleep/,
    },
  },
  {
    name: "a grace period cut below 30 s while a preStop sleep drains: medium",
    before: deployment({ podSpec: grace(40), container: preStop(5) }),
    after: deployment({ podSpec: grace(20), container: preStop(5) }),
    fires: {
      severity: "medium",
      at: "terminationGracePeriodSeconds: 20",
      message: /below 30 s while a 5 s preStop sleep/,
    },
  },
  {
    name: "a cut that still covers the delay is not reported",
    before:
      deployment({ podSpec: grace(90), container: PORTS }) +
      SERVICE +
      albIngress("deregistration_delay.timeout_seconds=60"),
    after:
      deployment({ podSpec: grace(70), container: PORTS }) +
      SERVICE +
      albIngress("deregistration_delay.timeout_seconds=60"),
    fires: null,
  },
  {
    name: "a short grace period without preStop or known delay is not reported",
    before: deployment({ podSpec: grace(60) }),
    after: deployment({ podSpec: grace(5) }),
    fires: null,
  },
]);

table("kubernetes.prestop.removed-or-shortened", [
  {
    name: "a removed preStop sleep is high",
    before: deployment({ container: preStop(15) }),
    after: deployment(),
    fires: {
      severity: "high",
      at: "command:",
      onBefore: true,
      message: /preStop sleep of 15 s removed from container "app"/,
    },
  },
  {
    name: "a sleep cut below endpoint propagation is medium",
    before: deployment({ container: preStop(10) }),
    after: deployment({ container: preStop(2) }),
    fires: { severity: "medium", at: "command:", message: /cut from 10 s to 2 s, below the 5 s/ },
  },
  {
    name: "behind an AWS load balancer the floor is higher",
    before:
      deployment({ container: PORTS + preStop(20) }) +
      SERVICE +
      albIngress("stickiness.enabled=false"),
    after:
      deployment({ container: PORTS + preStop(10) }) +
      SERVICE +
      albIngress("stickiness.enabled=false"),
    fires: {
      severity: "medium",
      at: "command:",
      message: /below the 15 s it takes until the AWS load balancer deregisters the target/,
    },
  },
  {
    name: "a shorter sleep that still covers propagation is not reported",
    before: deployment({ container: preStop(20) }),
    after: deployment({ container: preStop(10) }),
    fires: null,
  },
]);

const service = (ports: string, extra = "", selector = "    app: web") => `---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
${extra}  selector:
${selector}
  ports:
${ports}`;

table("kubernetes.service.port-changed", [
  {
    name: "a Service port moved is high",
    before: service("  - name: http\n    port: 80\n    targetPort: 8080\n"),
    after: service("  - name: http\n    port: 8080\n    targetPort: 8080\n"),
    fires: {
      severity: "high",
      at: "port: 8080",
      message: /changes from 80\/TCP to 8080\/TCP: clients that still connect to 80\/TCP fail/,
    },
  },
  {
    name: "a targetPort that no container declares is high",
    before:
      deployment({ container: PORTS }) +
      service("  - name: http\n    port: 80\n    targetPort: 8080\n"),
    after:
      deployment({ container: PORTS }) +
      service("  - name: http\n    port: 80\n    targetPort: 9090\n"),
    fires: {
      severity: "high",
      at: "targetPort: 9090",
      message: /which no container of Deployment web declares/,
    },
  },
  {
    name: "a targetPort moved with the container port is medium (old pods during the rollout)",
    before:
      deployment({ container: PORTS }) +
      service("  - name: http\n    port: 80\n    targetPort: 8080\n"),
    after:
      deployment({ container: PORTS.replace("8080", "9090") }) +
      service("  - name: http\n    port: 80\n    targetPort: 9090\n"),
    fires: {
      severity: "medium",
      at: "targetPort: 9090",
      message: /pods that still run the old version do not listen there/,
    },
  },
  {
    name: "renaming the container port a named targetPort uses is high",
    before:
      deployment({ container: PORTS }) +
      service("  - name: http\n    port: 80\n    targetPort: http\n"),
    after:
      deployment({ container: PORTS.replace("name: http", "name: web") }) +
      service("  - name: http\n    port: 80\n    targetPort: http\n"),
    fires: {
      severity: "high",
      at: "ports:",
      message: /targets pod port http, which Deployment web no longer declares/,
    },
  },
  {
    name: "a removed port is high",
    before: service("  - name: http\n    port: 80\n  - name: admin\n    port: 9000\n"),
    after: service("  - name: http\n    port: 80\n"),
    fires: {
      severity: "high",
      at: "name: admin",
      onBefore: true,
      message: /no longer exposes port "admin" \(9000\/TCP\)/,
    },
  },
  {
    name: "naming the only port is not a change of port",
    before: service("  - port: 7070\n"),
    after: service("  - name: grpc\n    port: 7070\n"),
    fires: null,
  },
]);

table("kubernetes.service.external-traffic-policy-local", [
  {
    name: "Cluster → Local is medium",
    before: service("  - port: 80\n", "  type: LoadBalancer\n"),
    after: service("  - port: 80\n", "  type: LoadBalancer\n  externalTrafficPolicy: Local\n"),
    fires: {
      severity: "medium",
      at: "externalTrafficPolicy: Local",
      message:
        /externalTrafficPolicy Cluster → Local: traffic .* to a node without a ready pod .* is dropped/,
    },
  },
  {
    name: "Local → Cluster is low",
    before: service("  - port: 80\n", "  type: LoadBalancer\n  externalTrafficPolicy: Local\n"),
    after: service("  - port: 80\n", "  type: LoadBalancer\n  externalTrafficPolicy: Cluster\n"),
    fires: {
      severity: "low",
      at: "externalTrafficPolicy: Cluster",
      message: /source IP is no longer preserved/,
    },
  },
  {
    name: "an unchanged policy is not reported",
    before: service("  - port: 80\n", "  type: LoadBalancer\n  externalTrafficPolicy: Local\n"),
    after: service("  - port: 81\n", "  type: LoadBalancer\n  externalTrafficPolicy: Local\n"),
    fires: null,
  },
]);

table("kubernetes.service.selector-changed", [
  {
    name: "a selector that no longer matches the Deployment's pods is high",
    before: deployment() + service("  - port: 80\n"),
    after: deployment() + service("  - port: 80\n", "", "    app: web-v2"),
    fires: {
      severity: "high",
      at: "selector:",
      nth: 2,
      message: /from app=web to app=web-v2 and no longer matches the pods of Deployment web/,
    },
  },
  {
    name: "pod labels changed under an unchanged selector is high",
    before: deployment() + service("  - port: 80\n"),
    after: deployment({ labels: "        app: webapp" }) + service("  - port: 80\n"),
    fires: {
      severity: "high",
      at: "labels:",
      message: /pod labels of Deployment web no longer match Service web's selector app=web/,
    },
  },
  {
    name: "a changed selector without the workloads in the file is medium",
    before: service("  - port: 80\n"),
    after: service("  - port: 80\n", "", "    app: web\n    tier: front"),
    fires: { severity: "medium", at: "selector:", message: /routes to a different set of pods/ },
  },
  {
    name: "a selector that still matches the same pods is low",
    before:
      deployment({ labels: "        app: web\n        tier: front" }) + service("  - port: 80\n"),
    after:
      deployment({ labels: "        app: web\n        tier: front" }) +
      service("  - port: 80\n", "", "    app: web\n    tier: front"),
    fires: {
      severity: "low",
      at: "selector:",
      nth: 2,
      message: /still selects the same workloads/,
    },
  },
  {
    name: "an unrelated change is not reported",
    before: deployment() + service("  - port: 80\n"),
    after: deployment({ replicas: "  replicas: 4" }) + service("  - port: 80\n"),
    fires: null,
  },
]);

const ingress = (paths: string, annotations = "") => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
${annotations ? `  annotations:\n${annotations}` : ""}spec:
  rules:
  - host: shop.example.com
    http:
      paths:
${paths}`;

const path = (value: string, serviceName: string, port = 80) =>
  `      - path: ${value}\n        pathType: Prefix\n        backend:\n          service:\n            name: ${serviceName}\n            port:\n              number: ${port}\n`;

table("kubernetes.ingress.backend-changed", [
  {
    name: "a path sent to another Service is medium",
    before: ingress(path("/api", "api") + path("/", "web")),
    after: ingress(path("/api", "api-v2") + path("/", "web")),
    fires: {
      severity: "medium",
      at: "backend:",
      message: /sends shop\.example\.com\/api \(Prefix\) to api-v2:80 instead of api:80/,
    },
  },
  {
    name: "a removed path is medium",
    before: ingress(path("/api", "api") + path("/", "web")),
    after: ingress(path("/", "web")),
    fires: {
      severity: "medium",
      at: "- path: /api",
      onBefore: true,
      message: /no longer routes shop\.example\.com\/api \(Prefix\)/,
    },
  },
  {
    name: "an added path is not reported",
    before: ingress(path("/", "web")),
    after: ingress(path("/api", "api") + path("/", "web")),
    fires: null,
  },
]);

const albAnnotations = (lines: string) =>
  `    alb.ingress.kubernetes.io/scheme: internet-facing\n${lines}`;

table("kubernetes.aws-lbc.healthcheck-path-changed", [
  {
    name: "a new health-check path is high",
    before: ingress(
      path("/", "web"),
      albAnnotations("    alb.ingress.kubernetes.io/healthcheck-path: /healthz\n"),
    ),
    after: ingress(
      path("/", "web"),
      albAnnotations("    alb.ingress.kubernetes.io/healthcheck-path: /ready\n"),
    ),
    fires: {
      severity: "high",
      at: "healthcheck-path",
      message: /health-check path changes from \/healthz to \/ready: .* fails open/,
    },
  },
  {
    name: "success codes narrowed are high",
    before: ingress(
      path("/", "web"),
      albAnnotations("    alb.ingress.kubernetes.io/success-codes: 200-399\n"),
    ),
    after: ingress(
      path("/", "web"),
      albAnnotations('    alb.ingress.kubernetes.io/success-codes: "200"\n'),
    ),
    fires: {
      severity: "high",
      at: "success-codes",
      message: /success codes changes from 200-399 to 200: responses that passed before now fail/,
    },
  },
  {
    name: "success codes widened from the default are medium",
    before: ingress(path("/", "web"), albAnnotations("")),
    after: ingress(
      path("/", "web"),
      albAnnotations("    alb.ingress.kubernetes.io/success-codes: 200-499\n"),
    ),
    fires: {
      severity: "medium",
      at: "success-codes",
      message: /from 200 \(default\) to 200-499: more responses count as healthy/,
    },
  },
  {
    name: "an NLB check moved from HTTP to TCP is medium",
    before: service("  - port: 80\n", "  type: LoadBalancer\n").replace(
      "metadata:\n  name: web\n",
      "metadata:\n  name: web\n  annotations:\n    service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol: HTTP\n",
    ),
    after: service("  - port: 80\n", "  type: LoadBalancer\n").replace(
      "metadata:\n  name: web\n",
      "metadata:\n  name: web\n  annotations:\n    service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol: TCP\n",
    ),
    fires: { severity: "medium", at: "healthcheck-protocol", message: /only opens a connection/ },
  },
  {
    name: "writing the default explicitly is no change",
    before: ingress(path("/", "web"), albAnnotations("")),
    after: ingress(
      path("/", "web"),
      albAnnotations("    alb.ingress.kubernetes.io/healthcheck-path: /\n"),
    ),
    fires: null,
  },
  {
    name: "check timing is lb.health-check's, not this rule's",
    before: ingress(
      path("/", "web"),
      albAnnotations('    alb.ingress.kubernetes.io/healthcheck-interval-seconds: "15"\n'),
    ),
    after: ingress(
      path("/", "web"),
      albAnnotations('    alb.ingress.kubernetes.io/healthcheck-interval-seconds: "30"\n'),
    ),
    fires: null,
  },
]);

const nginxAnnotation = (name: string, value: string) =>
  `    nginx.ingress.kubernetes.io/${name}: "${value}"\n`;

const controllerConfig = (data: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
data:
${data}`;

table("kubernetes.ingress-nginx.timeouts-cut", [
  {
    name: "an Ingress read timeout cut from 300 s to 30 s is medium",
    before: ingress(path("/", "web"), nginxAnnotation("proxy-read-timeout", "300")),
    after: ingress(path("/", "web"), nginxAnnotation("proxy-read-timeout", "30")),
    fires: {
      severity: "medium",
      at: "proxy-read-timeout",
      message: /proxy-read-timeout of Ingress shop cut from 5 min to 30 s: .* gets a 504\.$/,
    },
  },
  {
    name: "an annotation below the 60 s default is a cut too",
    before: ingress(path("/", "web")),
    after: ingress(path("/", "web"), nginxAnnotation("proxy-send-timeout", "20")),
    fires: {
      severity: "medium",
      at: "proxy-send-timeout",
      message: /cut from 60 s \(default\) to 20 s/,
    },
  },
  {
    name: "in the controller ConfigMap it applies to every Ingress: high",
    before: controllerConfig('  proxy-read-timeout: "60"\n'),
    after: controllerConfig('  proxy-read-timeout: "10"\n'),
    fires: {
      severity: "high",
      at: "proxy-read-timeout",
      message: /on every Ingress this controller serves/,
    },
  },
  {
    name: "a small cut is not reported",
    before: ingress(path("/", "web"), nginxAnnotation("proxy-read-timeout", "60")),
    after: ingress(path("/", "web"), nginxAnnotation("proxy-read-timeout", "45")),
    fires: null,
  },
]);

table("kubernetes.ingress-nginx.load-balance-changed", [
  {
    name: "a global load-balance change is medium",
    before: controllerConfig('  load-balance: "round_robin"\n'),
    after: controllerConfig('  load-balance: "ewma"\n'),
    fires: {
      severity: "medium",
      at: "load-balance",
      message:
        /load-balance of ConfigMap ingress-nginx-controller changes from round_robin to ewma/,
    },
  },
  {
    name: "hash subsets switched on under a hash key are medium",
    before: ingress(path("/", "web"), nginxAnnotation("upstream-hash-by", "$remote_addr")),
    after: ingress(
      path("/", "web"),
      nginxAnnotation("upstream-hash-by", "$remote_addr") +
        nginxAnnotation("upstream-hash-by-subset", "true"),
    ),
    fires: {
      severity: "medium",
      at: "upstream-hash-by-subset",
      message: /from false to true: every hash key is mapped afresh/,
    },
  },
  {
    name: "subset settings without a hash key do nothing",
    before: ingress(path("/", "web")),
    after: ingress(path("/", "web"), nginxAnnotation("upstream-hash-by-subset", "true")),
    fires: null,
  },
]);

describe("ingress-nginx upstream-hash-by", () => {
  it("is judged by lb.stickiness.changed, not by the kubernetes family", () => {
    const found = analyze([
      {
        path: "k8s/ingress.yaml",
        before: ingress(path("/", "web"), nginxAnnotation("upstream-hash-by", "$remote_addr")),
        after: ingress(path("/", "web"), nginxAnnotation("upstream-hash-by", "$request_uri")),
      },
    ]).findings.map((finding) => finding.rule);
    expect(found).toEqual(["lb.stickiness.changed"]);
  });
});

table("kubernetes.rollout.unavailable-raised", [
  {
    name: "switching to Recreate is high",
    before: deployment({ extra: "" }).replace(
      "  selector:",
      "  strategy:\n    type: RollingUpdate\n  selector:",
    ),
    after: deployment().replace("  selector:", "  strategy:\n    type: Recreate\n  selector:"),
    fires: {
      severity: "high",
      at: "type: Recreate",
      message: /every rollout stops all pods before the new ones start/,
    },
  },
  {
    name: "maxUnavailable raised to half the pods is medium",
    before: deployment({ replicas: "  replicas: 4" }),
    after: deployment({ replicas: "  replicas: 4" }).replace(
      "  selector:",
      "  strategy:\n    rollingUpdate:\n      maxUnavailable: 50%\n  selector:",
    ),
    fires: {
      severity: "medium",
      at: "maxUnavailable: 50%",
      message: /may now take 2 of 4 pods down at once \(maxUnavailable 25% → 50%\)/,
    },
  },
  {
    name: "a raise that still rounds to one pod is not reported",
    before: deployment({ replicas: "  replicas: 4" }),
    after: deployment({ replicas: "  replicas: 4" }).replace(
      "  selector:",
      "  strategy:\n    rollingUpdate:\n      maxUnavailable: 30%\n  selector:",
    ),
    fires: null,
  },
]);

describe("kubernetes family", () => {
  it("has ids under its prefix, every rule in the catalog", () => {
    expect(KUBERNETES_RULES.length).toBeGreaterThanOrEqual(8);
    const catalog = new Set(RULES.map((rule) => rule.id));
    for (const rule of KUBERNETES_RULES) {
      expect(rule.id).toMatch(/^kubernetes\./);
      expect(rule.family).toBe("kubernetes");
      expect(catalog.has(rule.id)).toBe(true);
    }
  });
});
