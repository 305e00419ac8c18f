// Builders shared by the kubernetes rule tests: manifests of a Deployment `web`, its Service,
// Ingresses and the ingress-nginx controller's ConfigMap.

/** The path kubernetes cases are analysed under, unless a case names its own. */
export const K8S_PATH = "k8s/app.yaml";

export interface DeploymentOptions {
  readonly kind?: string;
  readonly replicas?: string;
  readonly labels?: string;
  readonly podSpec?: string;
  readonly container?: string;
  readonly extra?: string;
}

/** A Deployment `web` whose pods carry `app: web`; `container` is indented under the container `app`. */
export function deployment(options: DeploymentOptions = {}): string {
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

/** A readinessProbe of /healthz every 5 s. */
export const READINESS = probe("readinessProbe", "          periodSeconds: 5\n");

/** A livenessProbe of /healthz. */
export const LIVENESS = (period: number, failures: number, timeout?: number) =>
  probe(
    "livenessProbe",
    `          periodSeconds: ${period}\n          failureThreshold: ${failures}\n` +
      (timeout !== undefined ? `          timeoutSeconds: ${timeout}\n` : ""),
  );

/** A startupProbe of /healthz. */
export const STARTUP = (period: number, failures: number) =>
  probe(
    "startupProbe",
    `          periodSeconds: ${period}\n          failureThreshold: ${failures}\n`,
  );

/** A named container port `http` (8080), under the container `app`. */
export const PORTS = "        ports:\n        - name: http\n          containerPort: 8080\n";

/** A preStop hook that sleeps `seconds`, under the container `app`. */
export const preStop = (seconds: number) =>
  `        lifecycle:\n          preStop:\n            exec:\n              command: ["sh", "-c", "sleep ${seconds}"]\n`;

/** A Service `web` selecting `app: web`, port 80 to the named container port `http`. */
export const SERVICE = `---
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

/** A Service `web` with its `ports` entries, spec lines in `extra` and a `selector` body. */
export const service = (ports: string, extra = "", selector = "    app: web") => `---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
${extra}  selector:
${selector}
  ports:
${ports}`;

/** An internet-facing ALB Ingress `web` to Service web:80 with the given target-group attributes. */
export const albIngress = (attributes: string) => `---
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

/** An Ingress `shop` for shop.example.com with its `paths` entries and `annotations` lines. */
export const ingress = (paths: string, annotations = "") => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
${annotations ? `  annotations:\n${annotations}` : ""}spec:
  rules:
  - host: shop.example.com
    http:
      paths:
${paths}`;

/** A Prefix path of an Ingress rule, sent to `serviceName:port`. */
export const ingressPath = (value: string, serviceName: string, port = 80) =>
  `      - path: ${value}\n        pathType: Prefix\n        backend:\n          service:\n            name: ${serviceName}\n            port:\n              number: ${port}\n`;

/** An ingress-nginx annotation line of an Ingress. */
export const nginxAnnotation = (name: string, value: string) =>
  `    nginx.ingress.kubernetes.io/${name}: "${value}"\n`;

/** The ingress-nginx controller's ConfigMap with its `data` lines. */
export const controllerConfig = (data: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
data:
${data}`;

/** A PodDisruptionBudget `web` over `app: web` with its `limit` line, as its own YAML document. */
export const pdb = (limit = "maxUnavailable: 1") => `---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  ${limit}
  selector:
    matchLabels:
      app: web
`;

/** An autoscaler `web` of Deployment web with `spec` lines (`minReplicas: 2`, …), as its own document. */
export const hpa = (...spec: string[]) => `---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
${spec.map((line) => `  ${line}\n`).join("")}`;
