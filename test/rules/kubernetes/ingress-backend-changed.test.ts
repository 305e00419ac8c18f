import ingressBackendChanged from "../../../src/rules/kubernetes/ingress-backend-changed.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH, ingress, ingressPath } from "./builders.js";

ruleTable(ingressBackendChanged, {
  path: K8S_PATH,
  cases: [
    {
      name: "a path sent to another Service is medium",
      before: ingress(ingressPath("/api", "api") + ingressPath("/", "web")),
      after: ingress(ingressPath("/api", "api-v2") + ingressPath("/", "web")),
      expect: [
        {
          severity: "medium",
          line: "backend:",
          phrase: /sends shop\.example\.com\/api \(Prefix\) to api-v2:80 instead of api:80/,
        },
      ],
    },
    {
      name: "a removed path is medium",
      before: ingress(ingressPath("/api", "api") + ingressPath("/", "web")),
      after: ingress(ingressPath("/", "web")),
      expect: [
        {
          severity: "medium",
          line: "- path: /api",
          side: "before",
          phrase: /no longer routes shop\.example\.com\/api \(Prefix\)/,
        },
      ],
    },
    {
      name: "an added path is not reported",
      before: ingress(ingressPath("/", "web")),
      after: ingress(ingressPath("/api", "api") + ingressPath("/", "web")),
      expect: [],
    },
  ],
});
