import evaluationOrderChanged from "../../../src/rules/kubernetes/evaluation-order-changed.js";
import { ruleTable } from "../rule-table.js";
import { deployment, K8S_PATH } from "./builders.js";

/** A VirtualService `shop` whose http routes match the given URI prefixes, in order. */
const virtualService = (prefixes: string[]): string => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
spec:
  hosts: [shop.example.com]
  http:
${prefixes
  .map(
    (prefix) =>
      `  - match: [{ uri: { prefix: ${prefix} } }]\n    route: [{ destination: { host: ${prefix === "/" ? "web" : prefix.slice(1)} } }]`,
  )
  .join("\n")}
`;

/** A Traefik IngressRoute whose route uses the given middlewares, and the Middleware `auth` (forwardAuth). */
const ingressRoute = (middlewares: string[]): string => `apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata:
  name: shop
spec:
  routes:
  - match: Host(\`shop.example.com\`)
    kind: Rule
    services: [{ name: shop, port: 80 }]
    middlewares:
${middlewares.map((name) => `    - name: ${name}`).join("\n")}
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata:
  name: auth
spec:
  forwardAuth:
    address: http://sso.example.com/verify
`;

ruleTable(evaluationOrderChanged, {
  path: K8S_PATH,
  cases: [
    {
      name: "the /usrv route moved ahead of /usrv-expand: its requests never reach usrv-expand",
      before: virtualService(["/usrv-expand", "/usrv"]),
      after: virtualService(["/usrv", "/usrv-expand"]),
      expect: [
        {
          severity: "high",
          line: "prefix: /usrv }",
          phrase:
            /spec\.http: route "prefix \/usrv" \(line 8\) now comes before "prefix \/usrv-expand"/,
        },
      ],
    },
    {
      name: "a Traefik IngressRoute's strip middleware moved ahead of forwardAuth: high",
      before: ingressRoute(["auth", "strip"]),
      after: ingressRoute(["strip", "auth"]),
      expect: [
        {
          severity: "high",
          line: "- name: strip",
          phrase: /middleware "strip" .*now runs before "auth".*guards access/,
        },
      ],
    },
    {
      name: "container args and env reordered: a change, no routing or access finding",
      before: deployment({
        container:
          '      args: ["--a", "--b"]\n      env:\n      - { name: A, value: "1" }\n      - { name: B, value: "2" }\n',
      }),
      after: deployment({
        container:
          '      args: ["--b", "--a"]\n      env:\n      - { name: B, value: "2" }\n      - { name: A, value: "1" }\n',
      }),
      expect: [],
    },
    {
      name: "a new route placed first is an addition, not a reorder",
      before: virtualService(["/usrv-expand", "/usrv"]),
      after: virtualService(["/health", "/usrv-expand", "/usrv"]),
      expect: [],
    },
  ],
});
