import haproxyIngressSettingsCut from "../../../src/rules/kubernetes/haproxy-ingress-settings-cut.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH, ingress, ingressPath } from "./builders.js";

const configMap = (data: string, name = "haproxy-kubernetes-ingress") => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: haproxy-controller
data:
${data}`;
const annotation = (name: string, value: string) => `    haproxy.org/${name}: "${value}"\n`;
const ROUTE = ingressPath("/", "web");

ruleTable(haproxyIngressSettingsCut, {
  path: K8S_PATH,
  cases: [
    {
      name: "timeout-server cut from the 50 s default to 5 s in the controller ConfigMap is high",
      before: configMap('  syslog-server: "address:stdout, format: raw"\n'),
      after: configMap('  syslog-server: "address:stdout, format: raw"\n  timeout-server: "5s"\n'),
      expect: [
        {
          severity: "high",
          line: "timeout-server",
          phrase:
            /timeout-server of ConfigMap haproxy-kubernetes-ingress cut from 50 s \(default\) to 5 s/,
        },
      ],
    },
    {
      name: "ssl-redirect turned off in the ConfigMap is high",
      before: configMap('  ssl-redirect: "true"\n'),
      after: configMap('  ssl-redirect: "false"\n'),
      expect: [{ severity: "high", line: "ssl-redirect", phrase: /turns ssl-redirect off/ }],
    },
    {
      name: "on one Ingress (annotations) a sharp timeout cut is medium, ssl-redirect turned off high",
      before: ingress(
        ROUTE,
        annotation("timeout-client", "10m") + annotation("ssl-redirect", "true"),
      ),
      after: ingress(
        ROUTE,
        annotation("timeout-client", "30s") + annotation("ssl-redirect", "false"),
      ),
      expect: [
        { severity: "medium", line: "timeout-client", phrase: /cut from 10 min to 30 s/ },
        { severity: "high", line: "ssl-redirect", phrase: /turns ssl-redirect off/ },
      ],
    },
    {
      name: "near: an explicit ssl-redirect annotation removed falls back to the controller's setting (medium)",
      before: ingress(ROUTE, annotation("ssl-redirect", "true")),
      after: ingress(ROUTE, annotation("ssl-backend", "false")),
      expect: [{ severity: "medium", line: "annotations:", phrase: /drops ssl-redirect/ }],
    },
    {
      name: "near: ssl-redirect removed from the ConfigMap (the controller default, docs/lb-facts §P5e) is medium",
      before: configMap('  ssl-redirect: "true"\n  timeout-client: "50s"\n'),
      after: configMap('  timeout-client: "50s"\n'),
      expect: [{ severity: "medium", line: 6, phrase: /drops ssl-redirect/ }],
    },
    {
      name: "near: timeouts written in milliseconds and seconds alike, raised, and another ConfigMap",
      before:
        configMap('  timeout-client: "50000"\n  timeout-connect: "5s"\n') +
        "---\n" +
        configMap('  timeout-server: "50s"\n', "haproxy-tcp"),
      after:
        configMap('  timeout-client: "50s"\n  timeout-connect: "10s"\n') +
        "---\n" +
        configMap('  timeout-server: "1s"\n', "haproxy-tcp"),
      expect: [],
    },
  ],
});
