import awsLbcHealthcheckPathChanged from "../../../src/rules/kubernetes/aws-lbc-healthcheck-path-changed.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH, ingress, ingressPath, service } from "./builders.js";

/** An internet-facing ALB scheme annotation followed by `lines`. */
const albAnnotations = (lines: string) =>
  `    alb.ingress.kubernetes.io/scheme: internet-facing\n${lines}`;

ruleTable(awsLbcHealthcheckPathChanged, {
  path: K8S_PATH,
  cases: [
    {
      name: "a new health-check path is high",
      before: ingress(
        ingressPath("/", "web"),
        albAnnotations("    alb.ingress.kubernetes.io/healthcheck-path: /healthz\n"),
      ),
      after: ingress(
        ingressPath("/", "web"),
        albAnnotations("    alb.ingress.kubernetes.io/healthcheck-path: /ready\n"),
      ),
      expect: [
        {
          severity: "high",
          line: "healthcheck-path",
          phrase: /health-check path changes from \/healthz to \/ready: .* fails open/,
        },
      ],
    },
    {
      name: "success codes narrowed are high",
      before: ingress(
        ingressPath("/", "web"),
        albAnnotations("    alb.ingress.kubernetes.io/success-codes: 200-399\n"),
      ),
      after: ingress(
        ingressPath("/", "web"),
        albAnnotations('    alb.ingress.kubernetes.io/success-codes: "200"\n'),
      ),
      expect: [
        {
          severity: "high",
          line: "success-codes",
          phrase: /success codes change from 200-399 to 200: responses that passed before now fail/,
        },
      ],
    },
    {
      name: "success codes widened from the default are medium",
      before: ingress(ingressPath("/", "web"), albAnnotations("")),
      after: ingress(
        ingressPath("/", "web"),
        albAnnotations("    alb.ingress.kubernetes.io/success-codes: 200-499\n"),
      ),
      expect: [
        {
          severity: "medium",
          line: "success-codes",
          phrase: /from 200 \(default\) to 200-499: more responses count as healthy/,
        },
      ],
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
      expect: [
        {
          severity: "medium",
          line: "healthcheck-protocol",
          phrase: /only opens a connection/,
        },
      ],
    },
    {
      name: "writing the default explicitly is no change",
      before: ingress(ingressPath("/", "web"), albAnnotations("")),
      after: ingress(
        ingressPath("/", "web"),
        albAnnotations("    alb.ingress.kubernetes.io/healthcheck-path: /\n"),
      ),
      expect: [],
    },
    {
      name: "check timing is lb.health-check's, not this rule's",
      before: ingress(
        ingressPath("/", "web"),
        albAnnotations('    alb.ingress.kubernetes.io/healthcheck-interval-seconds: "15"\n'),
      ),
      after: ingress(
        ingressPath("/", "web"),
        albAnnotations('    alb.ingress.kubernetes.io/healthcheck-interval-seconds: "30"\n'),
      ),
      expect: [],
    },
  ],
});
