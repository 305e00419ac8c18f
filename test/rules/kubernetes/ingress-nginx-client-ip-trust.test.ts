import ingressNginxClientIpTrust from "../../../src/rules/kubernetes/ingress-nginx-client-ip-trust.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH, controllerConfig, ingress, ingressPath, nginxAnnotation } from "./builders.js";

const TEMPLATE = "charts/ingress-nginx/templates/controller-configmap.yaml";
const templated = (text: string) =>
  text.replace(
    "name: ingress-nginx-controller",
    "name: {{ .Release.Name }}-ingress-nginx-controller",
  );
const ROUTE = ingressPath("/", "web");
const CHART_VALUES = (config: string) =>
  `controller:\n  replicaCount: 2\n  config:\n${config.replace(/^ {6}/gm, "    ")}  service:\n    type: LoadBalancer\n`;

ruleTable(ingressNginxClientIpTrust, {
  path: K8S_PATH,
  cases: [
    {
      name: "forwarded headers trusted with the 0.0.0.0/0 default is high",
      before: controllerConfig('  proxy-body-size: "8m"\n'),
      after: controllerConfig('  proxy-body-size: "8m"\n  use-forwarded-headers: "true"\n'),
      expect: [
        {
          severity: "high",
          line: "use-forwarded-headers",
          phrase: /trusts X-Forwarded-For from 0.0.0.0\/0 \(proxy-real-ip-cidr default\)/,
        },
      ],
    },
    {
      name: "the trusted CIDR widened to 0.0.0.0/0, in a chart template, is high",
      path: TEMPLATE,
      before: templated(
        controllerConfig('  use-forwarded-headers: "true"\n  proxy-real-ip-cidr: "10.0.0.0/8"\n'),
      ),
      after: templated(
        controllerConfig('  use-forwarded-headers: "true"\n  proxy-real-ip-cidr: "0.0.0.0/0"\n'),
      ),
      expect: [
        { severity: "high", line: "proxy-real-ip-cidr", phrase: /any client can send the header/ },
      ],
    },
    {
      name: "an Ingress allowlist removed is high",
      before: ingress(
        ROUTE,
        nginxAnnotation("whitelist-source-range", "10.0.0.0/8,192.168.0.0/16"),
      ),
      after: ingress(ROUTE),
      expect: [
        {
          severity: "high",
          line: "metadata:",
          phrase: /drops whitelist-source-range \(10.0.0.0\/8,192.168.0.0\/16\)/,
        },
      ],
    },
    {
      name: "the controller-wide allowlist widened to 0.0.0.0/0 is high",
      before: controllerConfig('  allowlist-source-range: "10.0.0.0/8"\n'),
      after: controllerConfig('  allowlist-source-range: "0.0.0.0/0"\n'),
      expect: [
        {
          severity: "high",
          line: "allowlist-source-range",
          phrase: /every Ingress this controller serves/,
        },
      ],
    },
    {
      name: "the same trust set through the chart's controller.config in Helm values",
      path: "deploy/ingress-nginx/values.yaml",
      before: CHART_VALUES('      proxy-body-size: "8m"\n'),
      after: CHART_VALUES('      proxy-body-size: "8m"\n      use-forwarded-headers: "true"\n'),
      expect: [
        {
          severity: "high",
          line: "use-forwarded-headers",
          phrase:
            /the ingress-nginx chart's controller.config trusts X-Forwarded-For from 0.0.0.0\/0/,
        },
      ],
    },
    {
      name: "near: Helm values trusting only the load balancer's range",
      path: "deploy/ingress-nginx/values.yaml",
      before: CHART_VALUES('      proxy-body-size: "8m"\n'),
      after: CHART_VALUES(
        '      use-forwarded-headers: "true"\n      proxy-real-ip-cidr: "10.0.0.0/8"\n',
      ),
      expect: [],
    },
    {
      name: "near: headers trusted from the load balancer's range only, an allowlist narrowed",
      before: controllerConfig('  allowlist-source-range: "10.0.0.0/8"\n'),
      after: controllerConfig(
        '  allowlist-source-range: "10.1.0.0/16"\n  use-forwarded-headers: "true"\n  proxy-real-ip-cidr: "10.0.0.0/8"\n',
      ),
      expect: [],
    },
    {
      name: "near: an Ingress allowlist moved to the new annotation name, in a chart template",
      path: "charts/shop/templates/ingress.yaml",
      before: ingress(ROUTE, nginxAnnotation("whitelist-source-range", "10.0.0.0/8")),
      after: ingress(ROUTE, nginxAnnotation("allowlist-source-range", "10.0.0.0/8")),
      expect: [],
    },
  ],
});
