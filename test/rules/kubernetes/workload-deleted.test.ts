import workloadDeleted from "../../../src/rules/kubernetes/workload-deleted.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH, SERVICE, deployment, pdb } from "./builders.js";

/** The Deployment as a JSON `kind: List` manifest. */
const list = (items: object[]) =>
  JSON.stringify({ apiVersion: "v1", kind: "List", items }, null, 2);
const jsonDeployment = (name: string) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name },
  spec: { replicas: 3, template: { spec: { containers: [{ name: "app", image: "shop/web:1" }] } } },
});
const jsonService = {
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "web" },
  spec: { selector: { app: "web" } },
};

const labelled = {
  ...jsonDeployment("web"),
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: { containers: [{ name: "app", image: "shop/web:1" }] },
    },
  },
};
const jsonPdb = {
  apiVersion: "policy/v1",
  kind: "PodDisruptionBudget",
  metadata: { name: "web" },
  spec: { maxUnavailable: 1, selector: { matchLabels: { app: "web" } } },
};

/** A load generator: a client Deployment whose pods no Service selects. */
const WORKER = deployment()
  .replace("name: web", "name: loadgenerator")
  .replaceAll("app: web", "app: loadgenerator");
const jsonWorker = {
  ...labelled,
  metadata: { name: "loadgenerator" },
  spec: {
    ...labelled.spec,
    selector: { matchLabels: { app: "loadgenerator" } },
    template: { ...labelled.spec.template, metadata: { labels: { app: "loadgenerator" } } },
  },
};

ruleTable(workloadDeleted, {
  path: K8S_PATH,
  cases: [
    {
      name: "a Deployment deleted while its Service stays is high",
      before: deployment() + SERVICE,
      after: SERVICE,
      expect: [
        {
          severity: "high",
          line: "apiVersion: apps/v1",
          side: "before",
          phrase: /Deployment web is deleted: its pods are deleted at once/,
        },
      ],
    },
    {
      name: "a ReplicationController deleted is high",
      before: deployment({ kind: "ReplicationController" }) + SERVICE,
      after: SERVICE,
      expect: [
        {
          severity: "high",
          line: "apiVersion: apps/v1",
          side: "before",
          phrase: /ReplicationController web is deleted/,
        },
      ],
    },
    {
      name: "a PodDisruptionBudget deleted is high",
      before: deployment() + pdb(),
      after: deployment(),
      expect: [
        {
          severity: "high",
          line: "apiVersion: policy/v1",
          side: "before",
          phrase: /may now evict every pod it protected/,
        },
      ],
    },
    {
      name: "the same deletion in a JSON List manifest",
      path: "k8s/app.json",
      before: list([jsonDeployment("web"), jsonService]),
      after: list([jsonService]),
      expect: [
        {
          severity: "high",
          line: 5,
          side: "before",
          phrase:
            /Deployment web is deleted: .*every Service that selects them loses its endpoints/,
        },
      ],
    },
    {
      name: "a Deployment deleted together with the only Service that selected it is medium (the Service's deletion is the consequence)",
      before: deployment() + SERVICE,
      after: null,
      expect: [
        {
          severity: "medium",
          line: "apiVersion: apps/v1",
          side: "before",
          phrase: /goes together with Service web/,
        },
      ],
    },
    {
      name: "a Deployment renamed is medium",
      before: deployment() + SERVICE,
      after: deployment().replace("name: web", "name: web-v2") + SERVICE,
      expect: [
        {
          severity: "medium",
          line: "apiVersion: apps/v1",
          side: "before",
          phrase: /Deployment web-v2 takes its place/,
        },
      ],
    },
    {
      name: "a Deployment turned into a StatefulSet of the same name is medium",
      before: deployment() + SERVICE,
      after: SERVICE + "---\n" + deployment({ kind: "StatefulSet" }),
      expect: [
        {
          severity: "medium",
          line: "apiVersion: apps/v1",
          side: "before",
          phrase: /StatefulSet web takes its place/,
        },
      ],
    },
    {
      name: "near: a PodDisruptionBudget deleted with the Deployment it protected is not judged again (nothing left to evict)",
      before: deployment() + SERVICE + pdb(),
      after: SERVICE,
      expect: [
        {
          severity: "high",
          line: "apiVersion: apps/v1",
          side: "before",
          phrase: /Deployment web is deleted: its pods are deleted at once/,
        },
      ],
    },
    {
      name: "near: the same in a JSON List manifest",
      path: "k8s/app.json",
      before: list([labelled, jsonService, jsonPdb]),
      after: list([jsonService]),
      expect: [{ severity: "high", line: 5, side: "before", phrase: /Deployment web is deleted/ }],
    },
    {
      name: "near: a worker Deployment that none of the file's Services selects (no load-balanced traffic) is medium",
      before: deployment() + SERVICE + "---\n" + WORKER,
      after: deployment() + SERVICE,
      expect: [
        {
          severity: "medium",
          line: 31,
          side: "before",
          phrase: /no Service in this file selects its pods/,
        },
      ],
    },
    {
      name: "near: the same in a JSON List manifest",
      path: "k8s/app.json",
      before: list([labelled, jsonService, jsonWorker]),
      after: list([labelled, jsonService]),
      expect: [
        { severity: "medium", line: 47, side: "before", phrase: /no Service in this file selects/ },
      ],
    },
    {
      name: "near: replicas changed, a Service deleted (not a workload), a JSON List reordered",
      path: "k8s/app.json",
      before: list([jsonService, jsonDeployment("web")]),
      after: list([jsonDeployment("web")]),
      expect: [],
    },
  ],
});
