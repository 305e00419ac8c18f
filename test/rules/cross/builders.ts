// Manifests and configs the cross-file rule tests join across files.

export interface DeploymentOptions {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: string;
  readonly ports?: string;
  readonly probePath?: string;
  readonly probePort?: string | number;
  readonly grace?: number;
  readonly preStopSeconds?: number;
}

/** A Deployment with one container `app`; `labels` as `app: web` lines. */
export function deployment(options: DeploymentOptions = {}): string {
  const name = options.name ?? "web";
  const lines = [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    `  name: ${name}`,
    ...(options.namespace ? [`  namespace: ${options.namespace}`] : []),
    "spec:",
    "  replicas: 3",
    "  selector:",
    "    matchLabels:",
    `      app: ${name}`,
    "  template:",
    "    metadata:",
    "      labels:",
    `        ${options.labels ?? `app: ${name}`}`,
    "    spec:",
    ...(options.grace !== undefined
      ? [`      terminationGracePeriodSeconds: ${options.grace}`]
      : []),
    "      containers:",
    "        - name: app",
    "          image: example/web:1.0",
    "          ports:",
    ...(options.ports ?? "- name: http\n  containerPort: 8080")
      .split("\n")
      .map((line) => `            ${line}`),
    ...(options.probePath !== undefined
      ? [
          "          readinessProbe:",
          "            httpGet:",
          `              path: ${options.probePath}`,
          `              port: ${options.probePort ?? 8080}`,
        ]
      : []),
    ...(options.preStopSeconds !== undefined
      ? [
          "          lifecycle:",
          "            preStop:",
          "              exec:",
          `                command: ["sleep", "${options.preStopSeconds}"]`,
        ]
      : []),
  ];
  return lines.join("\n") + "\n";
}

export interface ServiceOptions {
  readonly name?: string;
  readonly namespace?: string;
  readonly selector?: string;
  readonly targetPort?: string | number;
  readonly type?: string;
  readonly annotations?: readonly string[];
}

/** A Service on port 80 selecting `app: web` by default. */
export function service(options: ServiceOptions = {}): string {
  const annotations = options.annotations ?? [];
  return (
    [
      "apiVersion: v1",
      "kind: Service",
      "metadata:",
      `  name: ${options.name ?? "web"}`,
      ...(options.namespace ? [`  namespace: ${options.namespace}`] : []),
      ...(annotations.length > 0
        ? ["  annotations:", ...annotations.map((line) => `    ${line}`)]
        : []),
      "spec:",
      ...(options.type ? [`  type: ${options.type}`] : []),
      "  selector:",
      `    ${options.selector ?? "app: web"}`,
      "  ports:",
      "    - name: http",
      "      port: 80",
      `      targetPort: ${options.targetPort ?? "http"}`,
    ].join("\n") + "\n"
  );
}

/** An Ingress sending `/` to Service `service` port 80, with the given annotations. */
export function ingress(service = "web", annotations: readonly string[] = []): string {
  return (
    [
      "apiVersion: networking.k8s.io/v1",
      "kind: Ingress",
      "metadata:",
      "  name: web",
      ...(annotations.length > 0
        ? ["  annotations:", ...annotations.map((line) => `    ${line}`)]
        : []),
      "spec:",
      "  rules:",
      "    - http:",
      "        paths:",
      "          - path: /",
      "            pathType: Prefix",
      "            backend:",
      "              service:",
      `                name: ${service}`,
      "                port:",
      "                  number: 80",
    ].join("\n") + "\n"
  );
}

/** A Terraform target group with the given lines inside it. */
export function targetGroup(lines: readonly string[], name = "web"): string {
  return (
    [
      `resource "aws_lb_target_group" "${name}" {`,
      `  name     = "${name}"`,
      "  port     = 8080",
      '  protocol = "HTTP"',
      "  vpc_id   = var.vpc_id",
      ...lines.map((line) => `  ${line}`),
      "}",
    ].join("\n") + "\n"
  );
}
