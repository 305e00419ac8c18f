import ingressBackendChanged from "../../../src/rules/kubernetes/ingress-backend-changed.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH, ingress, ingressPath } from "./builders.js";

/** The Ingress `shop` in an API before networking.k8s.io/v1: `serviceName`/`servicePort`, no pathType. */
const betaIngress = (api: string, apiService = "api", apiPort = "8080") => `apiVersion: ${api}
kind: Ingress
metadata:
  name: shop
spec:
  backend:
    serviceName: web
    servicePort: 80
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /api
        backend:
          serviceName: ${apiService}
          servicePort: ${apiPort}
      - path: /
        backend:
          serviceName: web
          servicePort: http
`;

/** Its networking.k8s.io/v1 twin: `defaultBackend`, `service.name`/`service.port`, a pathType. */
const v1Ingress = (
  pathType = "ImplementationSpecific",
  apiService = "api",
) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  defaultBackend:
    service:
      name: web
      port:
        number: 80
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /api
        pathType: ${pathType}
        backend:
          service:
            name: ${apiService}
            port:
              number: 8080
      - path: /
        pathType: ImplementationSpecific
        backend:
          service:
            name: web
            port:
              name: http
`;

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
          phrase: /sends shop\.example\.com\/api to api-v2:80 instead of api:80/,
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
          phrase: /no longer routes shop\.example\.com\/api \(to api:80\)/,
        },
      ],
    },
    {
      name: "moved from extensions/v1beta1 to networking.k8s.io/v1 with the same routes: no route changed",
      before: betaIngress("extensions/v1beta1"),
      after: v1Ingress(),
      expect: [],
    },
    {
      name: "moved back from networking.k8s.io/v1 to networking.k8s.io/v1beta1 with the same routes",
      before: v1Ingress(),
      after: betaIngress("networking.k8s.io/v1beta1"),
      expect: [],
    },
    {
      name: "moved to networking.k8s.io/v1 and /api sent to another Service on the way is medium",
      before: betaIngress("extensions/v1beta1"),
      after: v1Ingress("ImplementationSpecific", "api-v2"),
      expect: [
        {
          severity: "medium",
          line: "backend:",
          phrase: /sends shop\.example\.com\/api to api-v2:8080 instead of api:8080/,
        },
      ],
    },
    {
      name: "moved back to v1beta1 with /api on another Service port is medium",
      before: v1Ingress(),
      after: betaIngress("networking.k8s.io/v1beta1", "api", "9090"),
      expect: [
        {
          severity: "medium",
          line: "backend:",
          nth: 2,
          phrase: /sends shop\.example\.com\/api to api:9090 instead of api:8080/,
        },
      ],
    },
    {
      name: "moved to networking.k8s.io/v1 matching /api as Prefix (was the default) is medium",
      before: betaIngress("extensions/v1beta1"),
      after: v1Ingress("Prefix"),
      expect: [
        {
          severity: "medium",
          line: "- path: /api",
          phrase: /matches shop\.example\.com\/api as Prefix instead of ImplementationSpecific/,
        },
      ],
    },
    {
      name: "a path matched as Exact instead of Prefix is medium",
      before: ingress(ingressPath("/api", "api")),
      after: ingress(ingressPath("/api", "api").replace("Prefix", "Exact")),
      expect: [
        {
          severity: "medium",
          line: "- path: /api",
          phrase: /matches shop\.example\.com\/api as Exact instead of Prefix/,
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
