// Generated ~1 MB before/after pairs for the engine benchmark. The "after" side is the same config with a
// realistic handful of edits (a few intervals, a removed server, a changed cookie), so the diff is small and the
// benchmark measures what a real review of a large file costs. Deterministic: no randomness, no clock.

export type BenchFormat = "yaml" | "hcl" | "nginx" | "haproxy";

export interface BenchPair {
  readonly format: BenchFormat;
  /** The path the engine sees (format detection, dialect). */
  readonly path: string;
  readonly before: string;
  readonly after: string;
  /** What differs, for the table. */
  readonly edits: readonly string[];
}

/** Just under the engine's 1 MiB per-file limit (DEFAULT_MAX_FILE_BYTES). */
const TARGET_BYTES = 1_000_000;

type Side = "before" | "after";

/**
 * Builds a config from numbered units until the before side reaches TARGET_BYTES; `footerPerUnit` is what the
 * footer grows by per unit (HAProxy's frontend has one routing rule per backend).
 */
function pair(
  format: BenchFormat,
  path: string,
  edits: readonly string[],
  header: (side: Side) => string,
  unit: (index: number, side: Side) => string,
  footer: (count: number, side: Side) => string,
  footerPerUnit: number,
  targetBytes: number,
): BenchPair {
  const before: string[] = [header("before")];
  const after: string[] = [header("after")];
  let bytes = before[0]!.length;
  let count = 0;
  while (bytes + count * footerPerUnit < targetBytes * 0.98) {
    const text = unit(count, "before");
    before.push(text);
    after.push(unit(count, "after"));
    bytes += text.length;
    count++;
  }
  before.push(footer(count, "before"));
  after.push(footer(count, "after"));
  return { format, path, before: before.join(""), after: after.join(""), edits };
}

const id = (index: number): string => String(index + 1).padStart(4, "0");
const ip = (index: number, host: number): string =>
  `10.${Math.floor(index / 250) % 250}.${index % 250}.${host}`;

/** Kubernetes manifest: per app a Deployment (probes, env, resources) and a Service with client-IP affinity. */
export function kubernetesPair(targetBytes = TARGET_BYTES): BenchPair {
  const edited = (side: Side, index: number, at: number[]): boolean =>
    side === "after" && at.includes(index);
  return pair(
    "yaml",
    "deploy/apps.yaml",
    [
      "readinessProbe.periodSeconds 10 → 5 in 3 Deployments",
      "livenessProbe.failureThreshold 5 → 2 in 1 Deployment",
      "sessionAffinityConfig timeout 10800 → 600 in 1 Service",
      "1 Service removed",
    ],
    () => "# Generated benchmark manifest\n",
    (i, side) => {
      const name = `app-${id(i)}`;
      const period = edited(side, i, [10, 200, 400]) ? 5 : 10;
      const failures = edited(side, i, [300]) ? 2 : 5;
      const affinity = edited(side, i, [500]) ? 600 : 10800;
      const deployment = `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: team-${i % 7}
  labels:
    app: ${name}
    tier: backend
spec:
  replicas: ${2 + (i % 4)}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      terminationGracePeriodSeconds: 30
      containers:
        - name: web
          image: registry.example.com/${name}:1.${i % 9}.2
          ports:
            - name: http
              containerPort: 8080
          env:
            - name: LOG_LEVEL
              value: info
            - name: UPSTREAM_TIMEOUT
              value: "5s"
          readinessProbe:
            httpGet:
              path: /healthz
              port: 8080
            initialDelaySeconds: 5
            periodSeconds: ${period}
            timeoutSeconds: 2
            failureThreshold: 3
          livenessProbe:
            httpGet:
              path: /livez
              port: 8080
            periodSeconds: 20
            timeoutSeconds: 3
            failureThreshold: ${failures}
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 500m, memory: 256Mi }
`;
      const service = `---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: team-${i % 7}
spec:
  selector:
    app: ${name}
  sessionAffinity: ClientIP
  sessionAffinityConfig:
    clientIP:
      timeoutSeconds: ${affinity}
  ports:
    - name: http
      port: 80
      targetPort: 8080
`;
      return edited(side, i, [600]) ? deployment : deployment + service;
    },
    () => "",
    0,
    targetBytes,
  );
}

/** Terraform: per app an aws_lb_target_group (health_check, stickiness, tags) and a target attachment. */
export function terraformPair(targetBytes = TARGET_BYTES): BenchPair {
  return pair(
    "hcl",
    "infra/target-groups.tf",
    [
      "health_check.interval 15 → 5 in 3 target groups",
      "stickiness.cookie_duration 86400 → 3600 in 1 target group",
      "deregistration_delay 30 → 5 in 1 target group",
      "1 target attachment removed",
    ],
    () =>
      'variable "vpc_id" {\n  type = string\n}\n\nvariable "environment" {\n  type = string\n}\n',
    (i, side) => {
      const after = side === "after";
      const interval = after && [10, 300, 700].includes(i) ? 5 : 15;
      const cookie = after && i === 500 ? 3600 : 86400;
      const delay = after && i === 800 ? 5 : 30;
      const name = `app_${id(i)}`;
      const group = `
resource "aws_lb_target_group" "${name}" {
  name                 = "app-${id(i)}"
  port                 = 8080
  protocol             = "HTTP"
  vpc_id               = var.vpc_id
  target_type          = "ip"
  deregistration_delay = ${delay}

  health_check {
    enabled             = true
    path                = "/healthz"
    port                = "traffic-port"
    protocol            = "HTTP"
    interval            = ${interval}
    timeout             = 5
    healthy_threshold   = 3
    unhealthy_threshold = 3
    matcher             = "200-399"
  }

  stickiness {
    type            = "lb_cookie"
    cookie_duration = ${cookie}
    enabled         = true
  }

  tags = {
    Name        = "app-${id(i)}"
    Environment = var.environment
  }
}
`;
      const attachment = `
resource "aws_lb_target_group_attachment" "${name}" {
  target_group_arn = aws_lb_target_group.${name}.arn
  target_id        = "${ip(i, 10)}"
  port             = 8080
}
`;
      return after && i === 900 ? group : group + attachment;
    },
    () => "",
    0,
    targetBytes,
  );
}

/** nginx: per app an upstream (servers with parameters, sticky cookie) and a server block with locations. */
export function nginxPair(targetBytes = TARGET_BYTES): BenchPair {
  return pair(
    "nginx",
    "nginx/nginx.conf",
    [
      "fail_timeout 10s → 30s on 2 upstream servers",
      "1 upstream server removed",
      "proxy_read_timeout 30s → 5s in 1 location",
      "sticky cookie expires 1h → 5m in 1 upstream",
    ],
    () =>
      "user nginx;\nworker_processes auto;\nevents {\n    worker_connections 4096;\n}\nhttp {\n",
    (i, side) => {
      const after = side === "after";
      const failTimeout = (host: number): string =>
        after && ((i === 100 && host === 1) || (i === 600 && host === 2)) ? "30s" : "10s";
      const servers = [1, 2, 3]
        .filter((host) => !(after && i === 300 && host === 3))
        .map(
          (host) =>
            `        server ${ip(i, host)}:8080 max_fails=3 fail_timeout=${failTimeout(host)}${host === 3 ? " backup" : " weight=5"};\n`,
        )
        .join("");
      const readTimeout = after && i === 450 ? "5s" : "30s";
      const expires = after && i === 700 ? "5m" : "1h";
      return `
    upstream app_${id(i)} {
        zone app_${id(i)} 64k;
        least_conn;
${servers}        keepalive 32;
        sticky cookie srv_id expires=${expires} path=/;
    }

    server {
        listen 80;
        server_name app-${id(i)}.example.com;
        location / {
            proxy_pass http://app_${id(i)};
            proxy_connect_timeout 5s;
            proxy_read_timeout ${readTimeout};
            proxy_next_upstream error timeout;
            proxy_set_header Host $host;
            proxy_set_header X-Real-IP $remote_addr;
        }
        location /api/ {
            proxy_pass http://app_${id(i)};
            proxy_read_timeout 60s;
        }
        location = /health {
            return 200 "ok";
        }
    }
`;
    },
    () => "}\n",
    0,
    targetBytes,
  );
}

/** HAProxy: per app a backend (health check, cookie, default-server, three servers) and a frontend rule. */
export function haproxyPair(targetBytes = TARGET_BYTES): BenchPair {
  const rule = (i: number): string =>
    `    acl host_${id(i)} hdr(host) -i app-${id(i)}.example.com\n    use_backend be_${id(i)} if host_${id(i)}\n`;
  return pair(
    "haproxy",
    "haproxy/haproxy.cfg",
    [
      "default-server inter 3s → 1s in 2 backends",
      "1 server removed",
      "server cookie s1 → a1 in 1 backend",
      "timeout server 30s → 5s in 1 backend",
    ],
    () => `global
    maxconn 50000
    log /dev/log local0
    stats socket /var/run/haproxy.sock mode 660 level admin

defaults
    mode http
    log global
    option httplog
    option redispatch
    retries 3
    timeout connect 5s
    timeout client 30s
    timeout server 30s
`,
    (i, side) => {
      const after = side === "after";
      const inter = after && [50, 900].includes(i) ? "1s" : "3s";
      const cookie = after && i === 400 ? "a1" : "s1";
      const timeout = after && i === 1200 ? "5s" : "30s";
      const servers = [
        `    server s1 ${ip(i, 1)}:8080 check cookie ${cookie} weight 10\n`,
        after && i === 700 ? "" : `    server s2 ${ip(i, 2)}:8080 check cookie s2 weight 10\n`,
        `    server s3 ${ip(i, 3)}:8080 check cookie s3 weight 10 backup\n`,
      ].join("");
      return `
backend be_${id(i)}
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    cookie SRV insert indirect nocache
    default-server inter ${inter} fall 3 rise 2
    timeout server ${timeout}
${servers}`;
    },
    (count) =>
      `\nfrontend www\n    bind :80\n${Array.from({ length: count }, (_, i) => rule(i)).join("")}    default_backend be_0001\n`,
    rule(0).length,
    targetBytes,
  );
}

export const PAIRS: Record<BenchFormat, (targetBytes?: number) => BenchPair> = {
  yaml: kubernetesPair,
  hcl: terraformPair,
  nginx: nginxPair,
  haproxy: haproxyPair,
};
