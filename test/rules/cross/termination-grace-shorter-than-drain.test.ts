import rule from "../../../src/rules/cross/termination-grace-shorter-than-drain.js";
import { ruleTable } from "../rule-table.js";
import { deployment, service, targetGroup } from "./builders.js";

/** The Service `web` and the AWS Load Balancer Controller binding that registers its pods in target group `group`. */
const binding = (group = "web", serviceName = "web"): string =>
  service({ targetPort: 8080 }) +
  [
    "---",
    "apiVersion: elbv2.k8s.aws/v1beta1",
    "kind: TargetGroupBinding",
    "metadata:",
    "  name: web",
    "spec:",
    "  targetType: ip",
    "  serviceRef:",
    `    name: ${serviceName}`,
    "    port: 80",
    `  targetGroupARN: arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${group}/73e2d6bc24d8a067`,
  ].join("\n") +
  "\n";

const ipGroup = (lines: readonly string[] = []): string =>
  targetGroup(['target_type = "ip"', ...lines]);
const nlbService = (delay: number): string =>
  service({
    type: "LoadBalancer",
    targetPort: 8080,
    annotations: [
      "service.beta.kubernetes.io/aws-load-balancer-type: external",
      `service.beta.kubernetes.io/aws-load-balancer-target-group-attributes: deregistration_delay.timeout_seconds=${delay}`,
    ],
  });

ruleTable(rule, {
  path: "k8s/deployment.yaml",
  cases: [
    {
      name: "grace cut to 30 s while the IP target group beside it drains for its 300 s default",
      before: deployment({ grace: 120 }),
      after: deployment({ grace: 30 }),
      context: [
        { path: "k8s/lb.tf", text: ipGroup() },
        { path: "k8s/binding.yaml", text: binding() },
      ],
      expect: [
        {
          severity: "high",
          line: "terminationGracePeriodSeconds: 30",
          phrase:
            /gives its pods 30 s to terminate \(was 2 min\), shorter than the deregistration delay of aws_lb_target_group.web in k8s\/lb.tf, 5 min \(the default\).*Safe: set terminationGracePeriodSeconds ≥ 310 \(drain 300 s \+ 10 s\)/,
        },
      ],
    },
    {
      name: "a preStop sleep longer than the drain sets the safe grace period",
      before: deployment({ grace: 400, preStopSeconds: 320 }),
      after: deployment({ grace: 290, preStopSeconds: 320 }),
      context: [
        { path: "k8s/lb.tf", text: ipGroup() },
        { path: "k8s/binding.yaml", text: binding() },
      ],
      expect: [
        {
          severity: "high",
          line: "terminationGracePeriodSeconds: 290",
          phrase: "Safe: set terminationGracePeriodSeconds ≥ 330 (preStop sleep 320 s + 10 s)",
        },
      ],
    },
    {
      name: "grace cut but still longer than the drain: no finding",
      before: deployment({ grace: 400 }),
      after: deployment({ grace: 330 }),
      context: [
        { path: "k8s/lb.tf", text: ipGroup() },
        { path: "k8s/binding.yaml", text: binding() },
      ],
      expect: [],
    },
    {
      name: "an instance target group does not register the pods: no finding",
      before: deployment({ grace: 120 }),
      after: deployment({ grace: 30 }),
      context: [{ path: "k8s/lb.tf", text: targetGroup(['target_type = "instance"']) }],
      expect: [],
    },
    {
      name: "a shortfall the change did not make (the image moved) is not reported",
      before: deployment(),
      after: deployment().replace("example/web:1.0", "example/web:1.1"),
      context: [
        { path: "k8s/lb.tf", text: ipGroup() },
        { path: "k8s/binding.yaml", text: binding() },
      ],
      expect: [],
    },
    {
      name: "Terraform is the changed file: the drain raised past the default grace of the Deployment beside it",
      path: "k8s/lb.tf",
      before: ipGroup(["deregistration_delay = 10"]),
      after: ipGroup(["deregistration_delay = 120"]),
      context: [
        { path: "k8s/deployment.yaml", text: deployment() },
        { path: "k8s/binding.yaml", text: binding() },
      ],
      expect: [
        {
          severity: "high",
          line: "deregistration_delay = 120",
          phrase: /30 s \(the default\) to terminate, shorter than .*, 2 min \(was 10 s\).*≥ 130/,
        },
      ],
    },
    {
      name: "Terraform is the changed file: the drain raised but still shorter than the grace beside it: no finding",
      path: "k8s/lb.tf",
      before: ipGroup(["deregistration_delay = 10"]),
      after: ipGroup(["deregistration_delay = 20"]),
      context: [
        { path: "k8s/deployment.yaml", text: deployment() },
        { path: "k8s/binding.yaml", text: binding() },
      ],
      expect: [],
    },
    {
      name: "a new Deployment beside an IP target group that nothing binds to its pods (an ECS service's): no finding",
      before: null,
      after: deployment(),
      context: [{ path: "k8s/lb.tf", text: ipGroup() }],
      expect: [],
    },
    {
      name: "an IP target group bound to another Service's pods does not drain this workload: no finding",
      before: deployment({ grace: 120 }),
      after: deployment({ grace: 30 }),
      context: [
        { path: "k8s/lb.tf", text: ipGroup() },
        { path: "k8s/binding.yaml", text: binding("web", "api") },
      ],
      expect: [],
    },
    {
      name: "a binding naming another target group: the IP target group beside it is not this workload's",
      before: deployment({ grace: 120 }),
      after: deployment({ grace: 30 }),
      context: [
        { path: "k8s/lb.tf", text: ipGroup() },
        { path: "k8s/binding.yaml", text: binding("payments") },
      ],
      expect: [],
    },
    {
      name: "NLB Service annotation in another file: its delay raised past the grace period",
      path: "k8s/service.yaml",
      before: nlbService(20),
      after: nlbService(120),
      context: [{ path: "k8s/deployment.yaml", text: deployment({ grace: 60 }) }],
      expect: [
        {
          severity: "high",
          line: "target-group-attributes",
          phrase:
            "shorter than the deregistration delay of Service web in k8s/service.yaml, 2 min (was 20 s)",
        },
      ],
    },
    {
      name: "Classic ELB connection draining of the Service in another file outlasts the cut grace period",
      before: deployment({ grace: 90 }),
      after: deployment({ grace: 30 }),
      context: [
        {
          path: "k8s/service.yaml",
          text: service({
            type: "LoadBalancer",
            targetPort: 8080,
            annotations: [
              'service.beta.kubernetes.io/aws-load-balancer-connection-draining-enabled: "true"',
              'service.beta.kubernetes.io/aws-load-balancer-connection-draining-timeout: "60"',
            ],
          }),
        },
      ],
      expect: [
        {
          severity: "high",
          line: "terminationGracePeriodSeconds: 30",
          phrase: "shorter than the connection draining of Service web",
        },
      ],
    },
  ],
});
