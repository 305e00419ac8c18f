import ingressNginxTimeoutsCut from "../../../src/rules/kubernetes/ingress-nginx-timeouts-cut.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH, controllerConfig, ingress, ingressPath, nginxAnnotation } from "./builders.js";

ruleTable(ingressNginxTimeoutsCut, {
  path: K8S_PATH,
  cases: [
    {
      name: "an Ingress read timeout cut from 300 s to 30 s is medium",
      before: ingress(ingressPath("/", "web"), nginxAnnotation("proxy-read-timeout", "300")),
      after: ingress(ingressPath("/", "web"), nginxAnnotation("proxy-read-timeout", "30")),
      expect: [
        {
          severity: "medium",
          line: "proxy-read-timeout",
          phrase:
            /proxy-read-timeout of Ingress shop cut from 5 min to 30 s: a backend response that pauses longer than that between two reads gets a 504\.$/,
        },
      ],
    },
    {
      name: "an annotation below the 60 s default is a cut too",
      before: ingress(ingressPath("/", "web")),
      after: ingress(ingressPath("/", "web"), nginxAnnotation("proxy-send-timeout", "20")),
      expect: [
        {
          severity: "medium",
          line: "proxy-send-timeout",
          phrase: /cut from 60 s \(default\) to 20 s/,
        },
      ],
    },
    {
      name: "in the controller ConfigMap it applies to every Ingress: high",
      before: controllerConfig('  proxy-read-timeout: "60"\n'),
      after: controllerConfig('  proxy-read-timeout: "10"\n'),
      expect: [
        {
          severity: "high",
          line: "proxy-read-timeout",
          phrase: /on every Ingress this controller serves/,
        },
      ],
    },
    {
      name: "a small cut is not reported",
      before: ingress(ingressPath("/", "web"), nginxAnnotation("proxy-read-timeout", "60")),
      after: ingress(ingressPath("/", "web"), nginxAnnotation("proxy-read-timeout", "45")),
      expect: [],
    },
  ],
});
