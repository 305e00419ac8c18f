import { describe, expect, it } from "vitest";
import { analyze } from "../../src/engine/analyze.js";
import { KUBERNETES_RULES } from "../../src/rules/kubernetes/index.js";
import { markerFamily } from "./table.js";

const { table, describeChecks } = markerFamily({
  family: "kubernetes",
  rules: KUBERNETES_RULES,
  minRules: 8,
  path: "k8s/app.yaml",
});

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
    expect: {
      severity: "high",
      marker: "readinessProbe:",
      side: "before",
      phrase: /readinessProbe removed from container "app" in Deployment web/,
    },
  },
  {
    name: "a removed livenessProbe is medium",
    before: deployment({ container: READINESS + LIVENESS(10, 3) }),
    after: deployment({ container: READINESS }),
    expect: {
      severity: "medium",
      marker: "livenessProbe:",
      side: "before",
      phrase: /no longer restarted/,
    },
  },
  {
    name: "a probe that is only retuned is not a removal",
    before: deployment({ container: READINESS }),
    after: deployment({ container: READINESS.replace("periodSeconds: 5", "periodSeconds: 10") }),
    expect: null,
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
    expect: {
      severity: "medium",
      marker: "readinessProbe:",
      side: "before",
      phrase: /unless a template action now renders it/,
    },
  },
  {
    name: "Jobs are not judged",
    before: deployment({ kind: "Job", replicas: "  parallelism: 1", container: READINESS }),
    after: deployment({ kind: "Job", replicas: "  parallelism: 1" }),
    expect: null,
  },
]);

table("kubernetes.liveness.aggressive", [
  {
    name: "a liveness budget cut below 10 s is high",
    before: deployment({ container: LIVENESS(10, 3) }),
    after: deployment({ container: LIVENESS(3, 2) }),
    expect: {
      severity: "high",
      marker: "periodSeconds: 3",
      phrase: /restarts the container after 6 s of failed checks \(2 × 3 s, was 30 s\)/,
    },
  },
  {
    name: "a new livenessProbe that is already too eager is high",
    before: deployment({ container: READINESS }),
    after: deployment({ container: READINESS + LIVENESS(2, 1) }),
    expect: { severity: "high", marker: "periodSeconds: 2", phrase: /new probe/ },
  },
  {
    name: "a liveness timeout cut from 5 s to 1 s is high",
    before: deployment({ container: LIVENESS(10, 3, 5) }),
    after: deployment({ container: LIVENESS(10, 3, 1) }),
    expect: {
      severity: "high",
      marker: "timeoutSeconds: 1",
      phrase: /times a check out after 1 s \(was 5 s\)/,
    },
  },
  {
    name: "a cut that stays above the floor is lb.health-check's business",
    before: deployment({ container: LIVENESS(10, 3) }),
    after: deployment({ container: LIVENESS(4, 3) }),
    expect: null,
  },
  {
    name: "a budget that was already below the floor does not newly cross it",
    before: deployment({ container: LIVENESS(3, 2) }),
    after: deployment({ container: LIVENESS(2, 2) }),
    expect: null,
  },
]);

table("kubernetes.startup.budget-too-small", [
  {
    name: "a startup budget cut below 30 s is high",
    before: deployment({ container: STARTUP(10, 30) }),
    after: deployment({ container: STARTUP(10, 2) }),
    expect: {
      severity: "high",
      marker: "failureThreshold: 2",
      phrase: /now allows 20 s to start \(was 5 min\), below the 30 s floor/,
    },
  },
  {
    name: "a cut to half or less above the floor is medium",
    before: deployment({ container: STARTUP(10, 30) }),
    after: deployment({ container: STARTUP(10, 12) }),
    expect: {
      severity: "medium",
      marker: "failureThreshold: 12",
      phrase: /now allows 2 min to start/,
    },
  },
  {
    name: "removing the startupProbe under a quick livenessProbe is high",
    before: deployment({ container: STARTUP(10, 30) + LIVENESS(10, 3) }),
    after: deployment({ container: LIVENESS(10, 3) }),
    expect: {
      severity: "high",
      marker: "startupProbe:",
      side: "before",
      phrase: /restarts the container after 30 s .* where the startupProbe allowed 5 min/,
    },
  },
  {
    name: "a small cut above the floor is not reported",
    before: deployment({ container: STARTUP(10, 30) }),
    after: deployment({ container: STARTUP(10, 20) }),
    expect: null,
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
    expect: null,
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
    expect: {
      severity: "high",
      marker: "replicas: 1",
      phrase: /scaled from 3 to 1 replicas: a single pod is left/,
    },
  },
  {
    name: "scaled to zero: high",
    before: deployment(),
    after: deployment({ replicas: "  replicas: 0" }),
    expect: { severity: "high", marker: "replicas: 0", phrase: /no pod is left to serve/ },
  },
  {
    name: "a cut of more than half: medium",
    before: deployment({ replicas: "  replicas: 10" }),
    after: deployment({ replicas: "  replicas: 4" }),
    expect: { severity: "medium", marker: "replicas: 4", phrase: /4 pods take the load of 10/ },
  },
  {
    name: "removing the field without an autoscaler: medium (defaults to 1)",
    before: deployment(),
    after: deployment({ replicas: "  minReadySeconds: 5" }),
    expect: {
      severity: "medium",
      marker: "replicas: 3",
      side: "before",
      phrase: /no longer sets replicas \(was 3\), so it runs the default 1/,
    },
  },
  {
    name: "with an autoscaler in the file a cut is medium at most",
    before: deployment() + HPA,
    after: deployment({ replicas: "  replicas: 1" }) + HPA,
    expect: {
      severity: "medium",
      marker: "replicas: 1",
      phrase: /until its autoscaler scales it back/,
    },
  },
  {
    name: "with an autoscaler, removing the field is the recommended practice",
    before: deployment() + HPA,
    after: deployment({ replicas: "  minReadySeconds: 5" }) + HPA,
    expect: null,
  },
  {
    name: "a small cut is not reported",
    before: deployment({ replicas: "  replicas: 4" }),
    after: deployment(),
    expect: null,
  },
  {
    name: "a Helm placeholder is unknowable",
    before: deployment({ replicas: "  replicas: {{ .Values.replicas }}" }),
    after: deployment({ replicas: "  replicas: 1" }),
    path: "chart/templates/deployment.yaml",
    expect: null,
  },
  {
    name: "DaemonSets have no replicas to cut",
    before: deployment({ kind: "DaemonSet" }),
    after: deployment({ kind: "DaemonSet", replicas: "  minReadySeconds: 5" }),
    expect: null,
  },
]);

table("kubernetes.helm.replica-count-reduced", [
  {
    name: "a replicaCount cut in values.yaml is medium",
    before: "replicaCount: 3\nimage:\n  tag: 1.0\n",
    after: "replicaCount: 1\nimage:\n  tag: 1.0\n",
    path: "chart/values.yaml",
    expect: {
      severity: "medium",
      marker: "replicaCount: 1",
      phrase: /replicaCount cut from 3 to 1: a single pod is left/,
    },
  },
  {
    name: "nested per-component counts are read too",
    before: "frontend:\n  replicaCount: 4\nbackend:\n  replicaCount: 2\n",
    after: "frontend:\n  replicaCount: 2\nbackend:\n  replicaCount: 2\n",
    path: "chart/values-prod.yaml",
    expect: {
      severity: "medium",
      marker: "replicaCount: 2",
      phrase: /frontend\.replicaCount cut from 4 to 2/,
    },
  },
  {
    name: "a raise is not reported",
    before: "replicaCount: 1\n",
    after: "replicaCount: 3\n",
    path: "chart/values.yaml",
    expect: null,
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
    expect: {
      severity: "medium",
      marker: "minAvailable: 0",
      phrase: /may evict every pod at once/,
    },
  },
  {
    name: "maxUnavailable 0 blocks node drains: medium",
    before: pdb("maxUnavailable: 1"),
    after: pdb("maxUnavailable: 0"),
    expect: {
      severity: "medium",
      marker: "maxUnavailable: 0",
      phrase: /node drains, cluster upgrades and autoscaler scale-downs hang/,
    },
  },
  {
    name: "with the workload in the file, allowed disruptions are computed (1 → 3 of 4: low)",
    before: deployment({ replicas: "  replicas: 4" }) + "---\n" + pdb("minAvailable: 3"),
    after: deployment({ replicas: "  replicas: 4" }) + "---\n" + pdb("minAvailable: 1"),
    expect: {
      severity: "low",
      marker: "minAvailable: 1",
      phrase: /\(3 of 4 pods may be evicted at once, was 1\)/,
    },
  },
  {
    name: "removing the PDB is medium",
    before: deployment() + "---\n" + pdb("minAvailable: 2"),
    after: deployment(),
    expect: {
      severity: "medium",
      marker: "apiVersion: policy/v1",
      side: "before",
      phrase: /PodDisruptionBudget web removed/,
    },
  },
  {
    name: "tightening is not reported",
    before: pdb("minAvailable: 1"),
    after: pdb("minAvailable: 2"),
    expect: null,
  },
  {
    name: "removed together with the workload it protected",
    before: deployment() + "---\n" + pdb("minAvailable: 2"),
    after: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n",
    expect: null,
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
    expect: {
      severity: "high",
      marker: "terminationGracePeriodSeconds: 45",
      phrase:
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
    expect: {
      severity: "high",
      marker: "deregistration_delay.timeout_seconds=120",
      phrase: /30 s \(the default\) to terminate, shorter than the 2 min deregistration delay/,
    },
  },
  {
    name: "a grace period not longer than the preStop sleep is high",
    before: deployment({ podSpec: grace(60), container: preStop(20) }),
    after: deployment({ podSpec: grace(20), container: preStop(20) }),
    expect: {
      severity: "high",
      marker: "terminationGracePeriodSeconds: 20",
      phrase: /not longer than the 20 s preStop sleep/,
    },
  },
  {
    name: "a grace period cut below 30 s while a preStop sleep drains: medium",
    before: deployment({ podSpec: grace(40), container: preStop(5) }),
    after: deployment({ podSpec: grace(20), container: preStop(5) }),
    expect: {
      severity: "medium",
      marker: "terminationGracePeriodSeconds: 20",
      phrase: /below 30 s while a 5 s preStop sleep/,
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
    expect: null,
  },
  {
    name: "a short grace period without preStop or known delay is not reported",
    before: deployment({ podSpec: grace(60) }),
    after: deployment({ podSpec: grace(5) }),
    expect: null,
  },
]);

table("kubernetes.prestop.removed-or-shortened", [
  {
    name: "a removed preStop sleep is high",
    before: deployment({ container: preStop(15) }),
    after: deployment(),
    expect: {
      severity: "high",
      marker: "command:",
      side: "before",
      phrase: /preStop sleep of 15 s removed from container "app"/,
    },
  },
  {
    name: "a sleep cut below endpoint propagation is medium",
    before: deployment({ container: preStop(10) }),
    after: deployment({ container: preStop(2) }),
    expect: {
      severity: "medium",
      marker: "command:",
      phrase: /cut from 10 s to 2 s, below the 5 s/,
    },
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
    expect: {
      severity: "medium",
      marker: "command:",
      phrase: /below the 15 s it takes until the AWS load balancer deregisters the target/,
    },
  },
  {
    name: "a shorter sleep that still covers propagation is not reported",
    before: deployment({ container: preStop(20) }),
    after: deployment({ container: preStop(10) }),
    expect: null,
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
    expect: {
      severity: "high",
      marker: "port: 8080",
      phrase: /changes from 80\/TCP to 8080\/TCP: clients that still connect to 80\/TCP fail/,
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
    expect: {
      severity: "high",
      marker: "targetPort: 9090",
      phrase: /which no container of Deployment web declares/,
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
    expect: {
      severity: "medium",
      marker: "targetPort: 9090",
      phrase: /pods that still run the old version do not listen there/,
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
    expect: {
      severity: "high",
      marker: "ports:",
      phrase: /targets pod port http, which Deployment web no longer declares/,
    },
  },
  {
    name: "a removed port is high",
    before: service("  - name: http\n    port: 80\n  - name: admin\n    port: 9000\n"),
    after: service("  - name: http\n    port: 80\n"),
    expect: {
      severity: "high",
      marker: "name: admin",
      side: "before",
      phrase: /no longer exposes port "admin" \(9000\/TCP\)/,
    },
  },
  {
    name: "naming the only port is not a change of port",
    before: service("  - port: 7070\n"),
    after: service("  - name: grpc\n    port: 7070\n"),
    expect: null,
  },
]);

table("kubernetes.service.external-traffic-policy-local", [
  {
    name: "Cluster → Local is medium",
    before: service("  - port: 80\n", "  type: LoadBalancer\n"),
    after: service("  - port: 80\n", "  type: LoadBalancer\n  externalTrafficPolicy: Local\n"),
    expect: {
      severity: "medium",
      marker: "externalTrafficPolicy: Local",
      phrase:
        /externalTrafficPolicy Cluster → Local: traffic .* to a node without a ready pod .* is dropped/,
    },
  },
  {
    name: "Local → Cluster is low",
    before: service("  - port: 80\n", "  type: LoadBalancer\n  externalTrafficPolicy: Local\n"),
    after: service("  - port: 80\n", "  type: LoadBalancer\n  externalTrafficPolicy: Cluster\n"),
    expect: {
      severity: "low",
      marker: "externalTrafficPolicy: Cluster",
      phrase: /source IP is no longer preserved/,
    },
  },
  {
    name: "an unchanged policy is not reported",
    before: service("  - port: 80\n", "  type: LoadBalancer\n  externalTrafficPolicy: Local\n"),
    after: service("  - port: 81\n", "  type: LoadBalancer\n  externalTrafficPolicy: Local\n"),
    expect: null,
  },
]);

table("kubernetes.service.selector-changed", [
  {
    name: "a selector that no longer matches the Deployment's pods is high",
    before: deployment() + service("  - port: 80\n"),
    after: deployment() + service("  - port: 80\n", "", "    app: web-v2"),
    expect: {
      severity: "high",
      marker: "selector:",
      nth: 2,
      phrase: /from app=web to app=web-v2 and no longer matches the pods of Deployment web/,
    },
  },
  {
    name: "pod labels changed under an unchanged selector is high",
    before: deployment() + service("  - port: 80\n"),
    after: deployment({ labels: "        app: webapp" }) + service("  - port: 80\n"),
    expect: {
      severity: "high",
      marker: "labels:",
      phrase: /pod labels of Deployment web no longer match Service web's selector app=web/,
    },
  },
  {
    name: "a changed selector without the workloads in the file is medium",
    before: service("  - port: 80\n"),
    after: service("  - port: 80\n", "", "    app: web\n    tier: front"),
    expect: {
      severity: "medium",
      marker: "selector:",
      phrase: /routes to a different set of pods/,
    },
  },
  {
    name: "a selector that still matches the same pods is low",
    before:
      deployment({ labels: "        app: web\n        tier: front" }) + service("  - port: 80\n"),
    after:
      deployment({ labels: "        app: web\n        tier: front" }) +
      service("  - port: 80\n", "", "    app: web\n    tier: front"),
    expect: {
      severity: "low",
      marker: "selector:",
      nth: 2,
      phrase: /still selects the same workloads/,
    },
  },
  {
    name: "an unrelated change is not reported",
    before: deployment() + service("  - port: 80\n"),
    after: deployment({ replicas: "  replicas: 4" }) + service("  - port: 80\n"),
    expect: null,
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
    expect: {
      severity: "medium",
      marker: "backend:",
      phrase: /sends shop\.example\.com\/api \(Prefix\) to api-v2:80 instead of api:80/,
    },
  },
  {
    name: "a removed path is medium",
    before: ingress(path("/api", "api") + path("/", "web")),
    after: ingress(path("/", "web")),
    expect: {
      severity: "medium",
      marker: "- path: /api",
      side: "before",
      phrase: /no longer routes shop\.example\.com\/api \(Prefix\)/,
    },
  },
  {
    name: "an added path is not reported",
    before: ingress(path("/", "web")),
    after: ingress(path("/api", "api") + path("/", "web")),
    expect: null,
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
    expect: {
      severity: "high",
      marker: "healthcheck-path",
      phrase: /health-check path changes from \/healthz to \/ready: .* fails open/,
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
    expect: {
      severity: "high",
      marker: "success-codes",
      phrase: /success codes changes from 200-399 to 200: responses that passed before now fail/,
    },
  },
  {
    name: "success codes widened from the default are medium",
    before: ingress(path("/", "web"), albAnnotations("")),
    after: ingress(
      path("/", "web"),
      albAnnotations("    alb.ingress.kubernetes.io/success-codes: 200-499\n"),
    ),
    expect: {
      severity: "medium",
      marker: "success-codes",
      phrase: /from 200 \(default\) to 200-499: more responses count as healthy/,
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
    expect: {
      severity: "medium",
      marker: "healthcheck-protocol",
      phrase: /only opens a connection/,
    },
  },
  {
    name: "writing the default explicitly is no change",
    before: ingress(path("/", "web"), albAnnotations("")),
    after: ingress(
      path("/", "web"),
      albAnnotations("    alb.ingress.kubernetes.io/healthcheck-path: /\n"),
    ),
    expect: null,
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
    expect: null,
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
    expect: {
      severity: "medium",
      marker: "proxy-read-timeout",
      phrase: /proxy-read-timeout of Ingress shop cut from 5 min to 30 s: .* gets a 504\.$/,
    },
  },
  {
    name: "an annotation below the 60 s default is a cut too",
    before: ingress(path("/", "web")),
    after: ingress(path("/", "web"), nginxAnnotation("proxy-send-timeout", "20")),
    expect: {
      severity: "medium",
      marker: "proxy-send-timeout",
      phrase: /cut from 60 s \(default\) to 20 s/,
    },
  },
  {
    name: "in the controller ConfigMap it applies to every Ingress: high",
    before: controllerConfig('  proxy-read-timeout: "60"\n'),
    after: controllerConfig('  proxy-read-timeout: "10"\n'),
    expect: {
      severity: "high",
      marker: "proxy-read-timeout",
      phrase: /on every Ingress this controller serves/,
    },
  },
  {
    name: "a small cut is not reported",
    before: ingress(path("/", "web"), nginxAnnotation("proxy-read-timeout", "60")),
    after: ingress(path("/", "web"), nginxAnnotation("proxy-read-timeout", "45")),
    expect: null,
  },
]);

table("kubernetes.ingress-nginx.load-balance-changed", [
  {
    name: "a global load-balance change is medium",
    before: controllerConfig('  load-balance: "round_robin"\n'),
    after: controllerConfig('  load-balance: "ewma"\n'),
    expect: {
      severity: "medium",
      marker: "load-balance",
      phrase: /load-balance of ConfigMap ingress-nginx-controller changes from round_robin to ewma/,
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
    expect: {
      severity: "medium",
      marker: "upstream-hash-by-subset",
      phrase: /from false to true: every hash key is mapped afresh/,
    },
  },
  {
    name: "subset settings without a hash key do nothing",
    before: ingress(path("/", "web")),
    after: ingress(path("/", "web"), nginxAnnotation("upstream-hash-by-subset", "true")),
    expect: null,
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
    expect: {
      severity: "high",
      marker: "type: Recreate",
      phrase: /every rollout stops all pods before the new ones start/,
    },
  },
  {
    name: "maxUnavailable raised to half the pods is medium",
    before: deployment({ replicas: "  replicas: 4" }),
    after: deployment({ replicas: "  replicas: 4" }).replace(
      "  selector:",
      "  strategy:\n    rollingUpdate:\n      maxUnavailable: 50%\n  selector:",
    ),
    expect: {
      severity: "medium",
      marker: "maxUnavailable: 50%",
      phrase: /may now take 2 of 4 pods down at once \(maxUnavailable 25% → 50%\)/,
    },
  },
  {
    name: "a raise that still rounds to one pod is not reported",
    before: deployment({ replicas: "  replicas: 4" }),
    after: deployment({ replicas: "  replicas: 4" }).replace(
      "  selector:",
      "  strategy:\n    rollingUpdate:\n      maxUnavailable: 30%\n  selector:",
    ),
    expect: null,
  },
]);

describeChecks();
