// Lists a dialect evaluates in order (first match wins, or a pipeline): a reorder there is a change;
// everywhere else it stays no change.
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/engine/analyze.js";
import { diffTrees } from "../../src/diff/semantic-diff.js";
import { tree } from "../helpers.js";

const changesOf = (path: string, before: string, after: string) =>
  analyzeFile({ path, before, after }).changes;

const HAPROXY = (rules: string): string =>
  `frontend web\n  bind :80\n  acl admin path_beg /admin\n  acl office src 10.0.0.0/8\n${rules}  default_backend app\nbackend app\n  server a 10.0.0.1:80 check\n  server b 10.0.0.2:80 check\n`;

describe("ordered lists", () => {
  it("reports a reorder of HAProxy http-request rules at the list, with the rule that moved ahead", () => {
    const before = HAPROXY("  http-request allow if admin office\n  http-request deny if admin\n");
    const after = HAPROXY("  http-request deny if admin\n  http-request allow if admin office\n");
    expect(changesOf("haproxy.cfg", before, after)).toMatchObject([
      {
        kind: "modified",
        path: "frontend.web.http-request",
        before: ["allow if admin office", "deny if admin"],
        after: ["deny if admin", "allow if admin office"],
        afterLine: 5,
        order: {
          list: "haproxy.rules",
          moved: {
            item: { label: "deny if admin", beforeLine: 6, afterLine: 5 },
            overtook: { label: "allow if admin office", afterLine: 6 },
          },
        },
      },
    ]);
  });

  it("reports a use_backend reorder; servers and acl lines reordered stay no change", () => {
    const base = "frontend web\n  bind :80\n  acl api path_beg /api\n  acl v2 path_beg /api/v2\n";
    const before = `${base}  use_backend v2 if v2\n  use_backend api if api\nbackend api\n  server a 10.0.0.1:80\n  server b 10.0.0.2:80\n`;
    const after = `${base}  use_backend api if api\n  use_backend v2 if v2\nbackend api\n  server b 10.0.0.2:80\n  server a 10.0.0.1:80\n`;
    expect(changesOf("haproxy.cfg", before, after).map((c) => c.path)).toEqual([
      "frontend.web.use_backend",
    ]);
    const acls =
      "frontend web\n  bind :80\n  acl b path_beg /b\n  acl a path_beg /a\n  use_backend x if a\n";
    const swapped =
      "frontend web\n  bind :80\n  acl a path_beg /a\n  acl b path_beg /b\n  use_backend x if a\n";
    expect(changesOf("haproxy.cfg", acls, swapped)).toEqual([]);
  });

  it("orders HAProxy 1.x header filters across their keywords, requests and responses apart", () => {
    const legacy = (lines: string[]): string =>
      `frontend web\n  bind :80\n${lines.map((line) => `  ${line}\n`).join("")}  default_backend app\n`;
    const lines = ["reqirep ^Host:\\ old Host:\\ new", "reqideny ^Host:\\ new"];
    expect(changesOf("haproxy.cfg", legacy(lines), legacy([...lines].reverse()))).toMatchObject([
      {
        path: "frontend.web",
        after: ["reqideny ^Host: new", "reqirep ^Host: old Host: new"],
        order: { list: "haproxy.rules", sequence: true },
      },
    ]);
    const mixed = ["reqadd X-A:\\ 1", "rspadd X-B:\\ 2"];
    expect(changesOf("haproxy.cfg", legacy(mixed), legacy([...mixed].reverse()))).toEqual([]);
  });

  it("orders tcp-request rules only within their rule set (connection, content, inspect-delay)", () => {
    const section = (lines: string[]): string =>
      `frontend tls\n  bind :443\n${lines.map((line) => `  tcp-request ${line}\n`).join("")}  default_backend app\n`;
    const connection = "connection reject if { src -f /etc/deny.lst }";
    const delay = "inspect-delay 5s";
    const content = "content accept if { req_ssl_hello_type 1 }";
    expect(
      changesOf(
        "haproxy.cfg",
        section([connection, delay, content]),
        section([delay, content, connection]),
      ),
    ).toEqual([]);
    const contentReject = "content reject";
    expect(
      changesOf(
        "haproxy.cfg",
        section([delay, content, contentReject]),
        section([delay, contentReject, content]),
      ),
    ).toMatchObject([{ path: "frontend.tls.tcp-request", order: { list: "haproxy.rules" } }]);
  });

  it("sees a new rule inserted at the top by its position, with no order change of its own", () => {
    const before = HAPROXY("  http-request deny if admin\n");
    const top = HAPROXY("  http-request allow if office\n  http-request deny if admin\n");
    const bottom = HAPROXY("  http-request deny if admin\n  http-request allow if office\n");
    expect(changesOf("haproxy.cfg", before, top).map((c) => `${c.kind} ${c.path}`)).toEqual([
      "added frontend.web.http-request[0]",
    ]);
    expect(changesOf("haproxy.cfg", before, bottom).map((c) => `${c.kind} ${c.path}`)).toEqual([
      "added frontend.web.http-request[1]",
    ]);
  });

  it("reports nginx regex locations reordered, not prefix locations", () => {
    const server = (locations: string[]): string =>
      `http {\n  server {\n    listen 80;\n${locations.map((l) => `    location ${l} { return 200; }\n`).join("")}  }\n}\n`;
    const php = "~ \\.php$";
    const admin = "~* ^/admin";
    expect(
      changesOf("nginx.conf", server(["/a", "/b", php, admin]), server(["/b", "/a", php, admin])),
    ).toEqual([]);
    expect(
      changesOf("nginx.conf", server(["/a", php, admin]), server([admin, "/a", php])),
    ).toMatchObject([
      {
        path: "http.server.location",
        before: [php, admin],
        after: [admin, php],
        afterLine: 4,
        order: { list: "nginx.regex-locations", moved: { item: { label: admin } } },
      },
    ]);
  });

  it("reports the rewrite module's directives of a block in a new sequence, across their names", () => {
    const block = (lines: string[]): string =>
      `server {\n  listen 80;\n${lines.map((line) => `  ${line}\n`).join("")}}\n`;
    const rewrites = ["rewrite ^/a /x last;", "rewrite ^/(.*) /y last;"];
    expect(changesOf("nginx.conf", block(rewrites), block([...rewrites].reverse()))).toMatchObject([
      {
        path: "server",
        before: ["rewrite ^/a /x last", "rewrite ^/(.*) /y last"],
        after: ["rewrite ^/(.*) /y last", "rewrite ^/a /x last"],
        order: { list: "nginx.rewrite" },
      },
    ]);
    // An if block and a return swapped: the if no longer runs at all.
    const guarded = ["if ($bad) { return 403; }", "return 301 https://$host$request_uri;"];
    expect(changesOf("nginx.conf", block(guarded), block([...guarded].reverse()))).toMatchObject([
      {
        path: "server",
        before: ["if ($bad)", "return 301 https://$host$request_uri"],
        after: ["return 301 https://$host$request_uri", "if ($bad)"],
        afterLine: 3,
      },
    ]);
    // Other directives moving around the sequence change nothing.
    expect(
      changesOf(
        "nginx.conf",
        block(["root /srv;", ...rewrites]),
        block([...rewrites, "root /srv;"]),
      ),
    ).toEqual([]);
  });

  it("reports Envoy routes reordered (unnamed, by position) and http_filters reordered; endpoints stay unordered", () => {
    const envoy = (routes: string[], filters: string[], endpoints: string[]): string =>
      [
        "static_resources:",
        "  listeners:",
        "    - name: main",
        "      filter_chains:",
        "        - filters:",
        "            - name: envoy.filters.network.http_connection_manager",
        "              typed_config:",
        "                route_config:",
        "                  virtual_hosts:",
        "                    - name: all",
        "                      domains: ['*']",
        "                      routes:",
        ...routes.map(
          (prefix) =>
            `                        - { match: { prefix: "${prefix}" }, route: { cluster: app } }`,
        ),
        "                http_filters:",
        ...filters.map((name) => `                  - name: ${name}`),
        "  clusters:",
        "    - name: app",
        "      load_assignment:",
        "        cluster_name: app",
        "        endpoints:",
        "          - lb_endpoints:",
        ...endpoints.map(
          (ip) =>
            `              - endpoint: { address: { socket_address: { address: ${ip}, port_value: 80 } } }`,
        ),
        "",
      ].join("\n");
    const filters = ["envoy.filters.http.rbac", "envoy.filters.http.router"];
    const swappedFilters = [...filters].reverse();
    expect(
      changesOf(
        "envoy.yaml",
        envoy(["/api", "/"], filters, ["10.0.0.1", "10.0.0.2"]),
        envoy(["/api", "/"], filters, ["10.0.0.2", "10.0.0.1"]),
      ),
    ).toEqual([]);
    const routes = changesOf(
      "envoy.yaml",
      envoy(["/api", "/"], filters, ["10.0.0.1"]),
      envoy(["/", "/api"], filters, ["10.0.0.1"]),
    );
    expect(routes).toMatchObject([
      { before: ["#1", "#2"], after: ["#2", "#1"], afterLine: 13, order: { list: "envoy.routes" } },
    ]);
    expect(routes[0]!.path).toMatch(/virtual_hosts\[name=all\]\.routes$/);
    expect(
      changesOf(
        "envoy.yaml",
        envoy(["/"], filters, ["10.0.0.1"]),
        envoy(["/"], swappedFilters, ["10.0.0.1"]),
      ),
    ).toMatchObject([
      {
        after: ["name=envoy.filters.http.router", "name=envoy.filters.http.rbac"],
        order: { list: "envoy.http-filters" },
      },
    ]);
  });

  it("reports a named item added ahead of kept ones, whose path does not show where it went", () => {
    const routes = (names: string[]): string =>
      `static_resources:\n  listeners: []\nroute_config:\n  virtual_hosts:\n    - name: all\n      routes:\n${names.map((n) => `        - { name: ${n}, match: { prefix: "/${n}" }, route: { cluster: ${n} } }\n`).join("")}`;
    const first = diffTrees(
      tree("yaml", routes(["api", "web"])),
      tree("yaml", routes(["debug", "api", "web"])),
      "envoy",
    );
    expect(first.map((c) => `${c.kind} ${c.path}`)).toEqual([
      "modified route_config.virtual_hosts[name=all].routes",
      "added route_config.virtual_hosts[name=all].routes[name=debug]",
    ]);
    expect(first[0]!.order).toEqual({ list: "envoy.routes", insertedAhead: ["name=debug"] });
    const last = diffTrees(
      tree("yaml", routes(["api", "web"])),
      tree("yaml", routes(["api", "web", "debug"])),
      "envoy",
    );
    expect(last.map((c) => c.kind)).toEqual(["added"]);
  });

  it("reports Traefik middlewares reordered, in the file provider and in Kubernetes CRDs", () => {
    const dynamic = (middlewares: string[]): string =>
      `http:\n  routers:\n    web:\n      rule: Host(\`a\`)\n      service: app\n      middlewares: [${middlewares.join(", ")}]\n  services:\n    app:\n      loadBalancer:\n        servers:\n          - url: http://10.0.0.1\n`;
    expect(
      changesOf("traefik/dynamic.yml", dynamic(["auth", "strip"]), dynamic(["strip", "auth"])),
    ).toMatchObject([
      { path: "http.routers.web.middlewares", order: { list: "traefik.middlewares" } },
    ]);
    const route = (middlewares: string[]): string =>
      `apiVersion: traefik.io/v1alpha1\nkind: IngressRoute\nmetadata: { name: web }\nspec:\n  routes:\n    - match: Host(\`a\`)\n      kind: Rule\n      services: [{ name: app, port: 80 }]\n      middlewares:\n${middlewares.map((m) => `        - name: ${m}\n`).join("")}`;
    expect(
      changesOf("k8s/route.yaml", route(["auth", "strip"]), route(["strip", "auth"])),
    ).toMatchObject([
      { path: "spec.routes[0].middlewares", order: { list: "traefik.middlewares" } },
    ]);
  });

  it("reports Kubernetes args, initContainers and Istio routes reordered; env and ports stay unordered", () => {
    const deployment = (args: string[], env: string[], init: string[]): string =>
      [
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata: { name: web }",
        "spec:",
        "  template:",
        "    spec:",
        "      initContainers:",
        ...init.map((name) => `        - { name: ${name}, image: busybox }`),
        "      containers:",
        "        - name: web",
        "          image: web:1",
        `          args: [${args.join(", ")}]`,
        "          env:",
        ...env.map((name) => `            - { name: ${name}, value: "1" }`),
        "          ports:",
        "            - { containerPort: 80 }",
        "            - { containerPort: 443 }",
        "",
      ].join("\n");
    expect(
      changesOf(
        "k8s/web.yaml",
        deployment(["--a", "--b"], ["A", "B"], ["migrate", "warm"]),
        deployment(["--a", "--b"], ["B", "A"], ["migrate", "warm"]).replace(
          "80 }\n            - { containerPort: 443",
          "443 }\n            - { containerPort: 80",
        ),
      ),
    ).toEqual([]);
    expect(
      changesOf(
        "k8s/web.yaml",
        deployment(["--a", "--b"], ["A"], ["migrate", "warm"]),
        deployment(["--b", "--a"], ["A"], ["warm", "migrate"]),
      ).map((c) => c.order?.list),
    ).toEqual(["init-containers", "argv"]);
    const vs = (prefixes: string[]): string =>
      `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: web }\nspec:\n  hosts: [web]\n  http:\n${prefixes.map((p) => `    - match: [{ uri: { prefix: ${p} } }]\n      route: [{ destination: { host: ${p.slice(1) || "root"} } }]\n`).join("")}`;
    expect(
      changesOf("k8s/vs.yaml", vs(["/usrv-expand", "/usrv"]), vs(["/usrv", "/usrv-expand"])),
    ).toMatchObject([{ path: "spec.http", order: { list: "istio.routes" } }]);
  });

  it("keeps generic files and unordered dialect lists as before: a reorder is no change", () => {
    expect(diffTrees(tree("yaml", "routes: [a, b]\n"), tree("yaml", "routes: [b, a]\n"))).toEqual(
      [],
    );
    expect(
      diffTrees(tree("yaml", "args: [a, b]\n"), tree("yaml", "args: [b, a]\n"), "helm-values"),
    ).toEqual([]);
  });
});
