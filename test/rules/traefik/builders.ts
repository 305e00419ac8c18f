// Builders shared by the traefik rule tests: a v3 YAML dynamic configuration with a service `shop`.

/** The path traefik cases are analysed under. */
export const TRAEFIK_PATH = "dynamic.yaml";

/** A v3 YAML dynamic configuration with service `shop` (its `loadBalancer` lines start at line 8). */
export const dynamic = (balancer: string, services = ""): string => `http:
  routers:
    shop:
      rule: Host(\`shop.example.com\`)
      service: shop
  services:
    shop:
${balancer}${services}`;

/** A `loadBalancer` over `servers` (URLs), with `extra` lines after them. */
export const balancer = (servers: readonly string[], extra = ""): string =>
  `      loadBalancer:
        servers:
${servers.map((url) => `        - url: ${url}`).join("\n")}
${extra}`;

/** Three servers http://10.0.0.1..3:80. */
export const THREE = ["http://10.0.0.1:80", "http://10.0.0.2:80", "http://10.0.0.3:80"];

/** A load balancer's health check of `path`. */
export const check = (path: string, interval = "10s"): string =>
  `        healthCheck:\n          path: ${path}\n          interval: ${interval}\n`;

/** A Kubernetes Deployment `traefik` running Traefik v3 with `args` (one flag each), as its own document. */
export const traefikDeployment = (...args: string[]): string => `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: traefik
spec:
  template:
    spec:
      containers:
        - name: traefik
          image: traefik:v3.1
          args:
${args.map((arg) => `            - ${arg}\n`).join("")}`;

/** A dynamic configuration whose pool of THREE checks /health with `lines` (`interval: 1s`, …) under healthCheck. */
export const checkedPool = (...lines: string[]): string =>
  dynamic(
    balancer(
      THREE,
      `        healthCheck:\n          path: /health\n${lines.map((line) => `          ${line}\n`).join("")}`,
    ),
  );
