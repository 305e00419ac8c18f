import rule from "../../../src/rules/cross/service-workload-mismatch.js";
import { ruleTable } from "../rule-table.js";
import { deployment, service } from "./builders.js";

const svc = { path: "k8s/service.yaml", text: service() };

ruleTable(rule, {
  path: "k8s/deployment.yaml",
  cases: [
    {
      name: "pods relabelled while the Service in another file still selects app=web: no endpoints, critical",
      before: deployment(),
      after: deployment({ labels: "app: web-v2" }),
      context: [svc],
      expect: [
        {
          severity: "critical",
          line: "app: web-v2",
          phrase: /no endpoints.*Safe: keep the pod labels `app=web`/,
        },
      ],
    },
    {
      name: "another workload of the workspace still matches: high",
      before: deployment(),
      after: deployment({ labels: "app: web-v2" }),
      context: [
        svc,
        { path: "k8s/canary.yaml", text: deployment({ name: "canary", labels: "app: web" }) },
      ],
      expect: [{ severity: "high", line: "app: web-v2", phrase: "stops sending them traffic" }],
    },
    {
      name: "the Service's selector moves with the pods in the same change: judged, no finding",
      before: deployment(),
      after: deployment({ labels: "app: web-v2" }),
      alongside: [
        {
          path: "k8s/service.yaml",
          before: service(),
          after: service({ selector: "app: web-v2" }),
        },
      ],
      expect: [],
    },
    {
      name: "a Service of another namespace selecting app=web is not this Deployment's",
      before: deployment({ namespace: "shop" }),
      after: deployment({ namespace: "shop", labels: "app: web-v2" }),
      context: [{ path: "k8s/service.yaml", text: service({ namespace: "blog" }) }],
      expect: [],
    },
    {
      name: "the named container port the Service targets is renamed: high",
      before: deployment(),
      after: deployment({ ports: "- name: web\n  containerPort: 8080" }),
      context: [svc],
      expect: [
        {
          severity: "high",
          line: "ports:",
          phrase: /targetPort http.*Safe: declare a container port named `http`/,
        },
      ],
    },
    {
      name: "the Service is the changed file: its targetPort moves to a name the Deployment beside it does not declare",
      path: "k8s/service.yaml",
      before: service(),
      after: service({ targetPort: "web" }),
      context: [{ path: "k8s/deployment.yaml", text: deployment() }],
      expect: [{ severity: "high", line: "targetPort: web", phrase: "targetPort web" }],
    },
    {
      name: "a numeric targetPort still declared after the rename: no finding",
      before: deployment(),
      after: deployment({ ports: "- name: web\n  containerPort: 8080" }),
      context: [{ path: "k8s/service.yaml", text: service({ targetPort: 8080 }) }],
      expect: [],
    },
    {
      name: "JSON manifest: pods relabelled while the YAML Service still selects app=web",
      path: "k8s/deployment.json",
      before: JSON.stringify(
        {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "web" },
          spec: {
            template: {
              metadata: { labels: { app: "web" } },
              spec: { containers: [{ name: "app", image: "x" }] },
            },
          },
        },
        null,
        2,
      ),
      after: JSON.stringify(
        {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "web" },
          spec: {
            template: {
              metadata: { labels: { app: "api" } },
              spec: { containers: [{ name: "app", image: "x" }] },
            },
          },
        },
        null,
        2,
      ),
      context: [svc],
      expect: [{ severity: "critical", line: '"app": "api"', phrase: "now app=api, were app=web" }],
    },
    {
      name: "the Service is the changed file: its new selector matches no pod of the Deployment beside it",
      path: "k8s/service.yaml",
      before: service(),
      after: service({ selector: "app: website" }),
      context: [{ path: "k8s/deployment.yaml", text: deployment() }],
      expect: [
        {
          severity: "critical",
          line: "app: website",
          phrase:
            "Service web (k8s/service.yaml) now selects app=website (was app=web), which the pods of Deployment web (k8s/deployment.yaml) do not carry (app=web):",
        },
      ],
    },
  ],
});
