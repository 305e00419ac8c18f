import rule from "../../../src/rules/cross/probe-lb-health-check-stale.js";
import { ruleTable } from "../rule-table.js";
import { deployment, ingress, service, targetGroup } from "./builders.js";

const svc = { path: "k8s/service.yaml", text: service({ targetPort: 8080 }) };

/** The AWS Load Balancer Controller binding that registers Service web's pods in target group `group`. */
const binding = (group: string): string =>
  [
    "apiVersion: elbv2.k8s.aws/v1beta1",
    "kind: TargetGroupBinding",
    "metadata:",
    "  name: web",
    "spec:",
    "  serviceRef:",
    "    name: web",
    "    port: 80",
    `  targetGroupARN: arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${group}/73e2d6bc24d8a067`,
    "",
  ].join("\n");
const albIngress = (path: string): string =>
  ingress("web", [`alb.ingress.kubernetes.io/healthcheck-path: ${path}`]);

/** The Service naming BackendConfig web-hc, and that BackendConfig checking /healthz on `port`. */
const gkeCheck = (port: number) => [
  {
    path: "k8s/service.yaml",
    text: service({
      targetPort: 8080,
      annotations: [`cloud.google.com/backend-config: '{"default": "web-hc"}'`],
    }),
  },
  {
    path: "k8s/backendconfig.yaml",
    text: [
      "apiVersion: cloud.google.com/v1",
      "kind: BackendConfig",
      "metadata:",
      "  name: web-hc",
      "spec:",
      "  healthCheck:",
      "    requestPath: /healthz",
      `    port: ${port}`,
      "",
    ].join("\n"),
  },
];

ruleTable(rule, {
  path: "k8s/deployment.yaml",
  cases: [
    {
      name: "probe moved to /ready, the ALB health check on the Ingress in another file still requests /healthz",
      before: deployment({ probePath: "/healthz" }),
      after: deployment({ probePath: "/ready" }),
      context: [svc, { path: "k8s/ingress.yaml", text: albIngress("/healthz") }],
      expect: [
        {
          severity: "high",
          line: "path: /ready",
          phrase:
            /ALB health check of Ingress web \(k8s\/ingress.yaml line 6\) still requests path \/healthz.*Safe: set alb.ingress.kubernetes.io\/healthcheck-path to \/ready/,
        },
      ],
    },
    {
      name: "the Ingress annotation moves with the probe in the same change: judged, no finding",
      before: deployment({ probePath: "/healthz" }),
      after: deployment({ probePath: "/ready" }),
      context: [svc],
      alongside: [
        { path: "k8s/ingress.yaml", before: albIngress("/healthz"), after: albIngress("/ready") },
      ],
      expect: [],
    },
    {
      name: "an Ingress of another Service requesting /healthz is not this workload's load balancer",
      before: deployment({ probePath: "/healthz" }),
      after: deployment({ probePath: "/ready" }),
      context: [
        svc,
        {
          path: "k8s/ingress.yaml",
          text: ingress("api", ["alb.ingress.kubernetes.io/healthcheck-path: /healthz"]),
        },
      ],
      expect: [],
    },
    {
      name: "Terraform target group beside the manifests still checks /healthz",
      before: deployment({ probePath: "/healthz" }),
      after: deployment({ probePath: "/ready" }),
      context: [
        { path: "k8s/lb.tf", text: targetGroup(["health_check {", '  path = "/healthz"', "}"]) },
      ],
      expect: [
        {
          severity: "high",
          line: "path: /ready",
          phrase:
            /aws_lb_target_group.web \(k8s\/lb.tf line 6\).*set aws_lb_target_group.web.health_check.path to \/ready/,
        },
      ],
    },
    {
      name: "Terraform target group checking /healthz, but the TargetGroupBinding of the workload's Service names another group: no finding",
      before: deployment({ probePath: "/healthz" }),
      after: deployment({ probePath: "/ready" }),
      context: [
        svc,
        {
          path: "k8s/lb.tf",
          text:
            targetGroup(["health_check {", '  path = "/healthz"', "}"], "legacy") +
            targetGroup(["health_check {", '  path = "/ready"', "}"], "web"),
        },
        { path: "k8s/binding.yaml", text: binding("web") },
      ],
      expect: [],
    },
    {
      name: "Terraform target group bound to the workload's Service by a TargetGroupBinding still checks /healthz: high",
      before: deployment({ probePath: "/healthz" }),
      after: deployment({ probePath: "/ready" }),
      context: [
        svc,
        {
          path: "k8s/lb.tf",
          text: targetGroup(["health_check {", '  path = "/healthz"', "}"], "web"),
        },
        { path: "k8s/binding.yaml", text: binding("web") },
      ],
      expect: [
        {
          severity: "high",
          line: "path: /ready",
          phrase: /aws_lb_target_group\.web .* still requests path \/healthz/,
        },
      ],
    },
    {
      name: "Terraform target group checking another path: no finding",
      before: deployment({ probePath: "/healthz" }),
      after: deployment({ probePath: "/ready" }),
      context: [
        { path: "k8s/lb.tf", text: targetGroup(["health_check {", '  path = "/status"', "}"]) },
      ],
      expect: [],
    },
    {
      name: "probe port written as the container port's name (8080 → http, the same port): no finding",
      before: deployment({ probePath: "/healthz", probePort: 8080 }),
      after: deployment({ probePath: "/healthz", probePort: "http" }),
      context: [
        {
          path: "k8s/lb.tf",
          text: targetGroup(["health_check {", '  path = "/healthz"', '  port = "8080"', "}"]),
        },
      ],
      expect: [],
    },
    {
      name: "probe port moved from 8080 to the name of another container port: high",
      before: deployment({ probePath: "/healthz", probePort: 8080 }),
      after: deployment({
        probePath: "/healthz",
        probePort: "admin",
        ports: "- name: http\n  containerPort: 8080\n- name: admin\n  containerPort: 9901",
      }),
      context: [
        {
          path: "k8s/lb.tf",
          text: targetGroup(["health_check {", '  path = "/healthz"', '  port = "8080"', "}"]),
        },
      ],
      expect: [
        {
          severity: "high",
          line: "port: admin",
          phrase: /still requests port 8080/,
        },
      ],
    },
    {
      name: "probe port moved while the GKE BackendConfig its Service names still checks port 8080",
      before: deployment({ probePath: "/healthz", probePort: 8080 }),
      after: deployment({ probePath: "/healthz", probePort: 9090 }),
      context: [...gkeCheck(8080)],
      expect: [
        {
          severity: "high",
          line: "port: 9090",
          phrase:
            /BackendConfig web-hc \(k8s\/backendconfig.yaml line 6\) still requests port 8080/,
        },
      ],
    },
    {
      name: "probe port moved to the port the GKE BackendConfig already checks: no finding",
      before: deployment({ probePath: "/healthz", probePort: 8080 }),
      after: deployment({ probePath: "/healthz", probePort: 9090 }),
      context: gkeCheck(9090),
      expect: [],
    },
  ],
});
