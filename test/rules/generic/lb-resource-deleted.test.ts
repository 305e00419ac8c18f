import { describe, expect, it } from "vitest";
import lbResourceDeleted from "../../../src/rules/generic/lb-resource-deleted.js";
import { ruleTable } from "../rule-table.js";
import {
  APP,
  CLUSTER,
  TRAEFIK_SERVICE,
  envoy,
  haproxy,
  k8sService,
  nginx,
  traefik,
} from "./builders.js";

const API = "  upstream api {\n    server 10.0.1.1:9000;\n  }\n";

ruleTable(lbResourceDeleted, {
  cases: [
    {
      name: "an nginx upstream deleted while proxy_pass still names it is high",
      path: "nginx/nginx.conf",
      before: nginx(
        APP + API,
        "    listen 80;\n    location /api { proxy_pass http://api; }\n    location / { proxy_pass http://app; }",
      ),
      after: nginx(
        APP,
        "    listen 80;\n    location /api { proxy_pass http://api; }\n    location / { proxy_pass http://app; }",
      ),
      expect: [
        {
          severity: "high",
          line: "upstream api",
          side: "before",
          phrase: /upstream api is deleted: the new version still refers to api/,
        },
      ],
    },
    {
      name: "an nginx upstream deleted with its route is high",
      path: "nginx/nginx.conf",
      before: nginx(
        APP + API,
        "    listen 80;\n    location /api { proxy_pass http://api; }\n    location / { proxy_pass http://app; }",
      ),
      after: nginx(APP, "    listen 80;\n    location / { proxy_pass http://app; }"),
      expect: [
        {
          severity: "high",
          line: "upstream api",
          side: "before",
          phrase: /upstream api is deleted: anything still sending traffic to it fails/,
        },
      ],
    },
    {
      name: "a HAProxy backend renamed with its references is low",
      path: "haproxy/haproxy.cfg",
      before: haproxy("backend web\n  server w1 10.0.0.1:80 check\n"),
      after: haproxy(
        "backend www\n  server w1 10.0.0.1:80 check\n",
        "  bind :80\n  default_backend www\n",
      ),
      expect: [
        {
          severity: "low",
          line: "backend web",
          nth: 2,
          side: "before",
          phrase: /renamed to www with the same content/,
        },
      ],
    },
    {
      name: "an Envoy cluster deleted is high",
      path: "envoy/envoy.yaml",
      before: envoy(CLUSTER("web") + CLUSTER("legacy")),
      after: envoy(CLUSTER("web")),
      expect: [
        {
          severity: "high",
          line: "- name: legacy",
          side: "before",
          phrase: /cluster legacy is deleted/,
        },
      ],
    },
    {
      name: "a Traefik service deleted is high",
      path: "traefik/dynamic.yml",
      before: traefik(TRAEFIK_SERVICE("web") + TRAEFIK_SERVICE("old")),
      after: traefik(TRAEFIK_SERVICE("web")),
      expect: [
        {
          severity: "high",
          line: "    old:",
          side: "before",
          phrase: /http service old is deleted/,
        },
      ],
    },
    {
      name: "a Kubernetes Service deleted is high, even when another takes its place",
      path: "k8s/services.yaml",
      before: `${k8sService("web")}---\n${k8sService("api")}`,
      after: `${k8sService("web")}---\n${k8sService("api-v2")}`,
      expect: [
        {
          severity: "high",
          line: "apiVersion: v1",
          nth: 2,
          side: "before",
          phrase:
            /Service api is deleted: it is replaced by Service api-v2, but clients that use the old name/,
        },
      ],
    },
    {
      name: "the only HAProxy frontend deleted is critical",
      path: "haproxy/haproxy.cfg",
      before: haproxy("backend web\n  server w1 10.0.0.1:80\n"),
      after: haproxy("backend web\n  server w1 10.0.0.1:80\n").replace(
        "frontend fe\n  bind :80\n  default_backend web\n",
        "",
      ),
      expect: [
        {
          severity: "critical",
          line: "frontend fe",
          side: "before",
          phrase: "it was the only frontend of the file, so nothing accepts connections any more",
        },
      ],
    },
    {
      name: "the only Envoy listener deleted is critical",
      path: "envoy/envoy.yaml",
      before: envoy(CLUSTER("web")),
      after: `static_resources:\n  clusters:\n${CLUSTER("web")}`,
      expect: [
        {
          severity: "critical",
          line: "- name: main",
          side: "before",
          phrase: "it was the only listener of the file",
        },
      ],
    },
    {
      name: "one of two HAProxy frontends deleted stays high",
      path: "haproxy/haproxy.cfg",
      before: haproxy(
        "frontend admin\n  bind :9000\n  default_backend web\n\nbackend web\n  server w1 10.0.0.1:80\n",
      ),
      after: haproxy("backend web\n  server w1 10.0.0.1:80\n"),
      expect: [
        {
          severity: "high",
          line: "frontend admin",
          side: "before",
          phrase: "frontend admin is deleted",
        },
      ],
    },
    {
      name: "a HAProxy listen split into frontend and backend of the same name keeps the proxy",
      path: "haproxy/haproxy.cfg",
      before: "listen stats\n  bind *:1024\n  stats enable\n",
      after: "frontend stats\n  bind *:1024\n  stats enable\n",
      expect: [],
    },
    {
      name: "Terraform deletions belong to the cloud families",
      path: "lb.tf",
      before: 'resource "aws_lb" "web" {\n  name = "web"\n}\n',
      after: 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n',
      expect: [],
    },
  ],
});

describe("generic.lb-resource.deleted dialects", () => {
  it("leaves Terraform and CloudFormation deletions to the cloud families", () => {
    expect(lbResourceDeleted.dialects).not.toContain("terraform");
    expect(lbResourceDeleted.dialects).not.toContain("cloudformation");
  });
});
