import type { Dialect } from "../../formats/dialect.js";
import { child, entriesOf, itemsOf, scalarAt, type TreeNode } from "../../formats/tree.js";
import { defineRule, type Detection } from "../types.js";
import { composeCommand, composeLabels, composeServices } from "../model/compose-traefik.js";
import { haproxySections } from "../model/haproxy/sections.js";
import { isTemplated, objectsOf } from "../model/kubernetes/objects.js";
import { listenersOf } from "../model/proxy-listeners.js";
import { childFold, fold } from "../model/traefik/keys.js";

/** An unauthenticated admin endpoint, by identity. */
interface Endpoint {
  readonly key: string;
  readonly what: string;
  readonly line: number;
  readonly path: string;
  readonly safe: string;
}

const documents = (tree: TreeNode | null): TreeNode[] =>
  tree?.kind === "list" ? tree.items : tree ? [tree] : [];

const truthy = (node: TreeNode | undefined): boolean =>
  node?.kind === "scalar" && (node.value === true || String(node.value).toLowerCase() === "true");

// Wildcard binds (every interface): `*:8404`, `[::]:8404`, `:8404` (normalised by proxy-listeners).
const PUBLIC_BIND = /^(\*|\[::\]):/;

/**
 * HAProxy statistics pages (`stats enable` or `stats uri`) on a frontend or listen section bound to every
 * interface, without `stats auth` or an `http-request auth` rule: the page shows every backend and server
 * (and with `stats admin`, lets anyone drain or disable servers).
 */
function haproxyEndpoints(tree: TreeNode): Endpoint[] {
  const out: Endpoint[] = [];
  const listeners = new Map(
    listenersOf("haproxy", tree).map((listener) => [listener.key, listener]),
  );
  for (const section of haproxySections(tree)) {
    if (section.kind !== "frontend" && section.kind !== "listen") continue;
    const stats = child(section.body, "stats");
    if (!stats || !(truthy(child(stats, "enable")) || child(stats, "uri"))) continue;
    if (child(stats, "auth") || child(stats, "http-request")) continue;
    const authRule = itemsOf(child(section.body, "http-request")).some((rule) =>
      /^auth\b/.test(String(scalarAt(rule) ?? "")),
    );
    if (authRule) continue;
    const listener = listeners.get(`${section.kind}:${section.name ?? ""}`);
    const bind = listener?.binds.find((candidate) => PUBLIC_BIND.test(candidate.address));
    if (!bind) continue;
    const admin = child(stats, "admin") !== undefined;
    out.push({
      // The page is what it exposes, wherever it is: moved to another section or port it was reachable before;
      // gaining admin actions exposes more.
      key: `haproxy:stats${admin ? ":admin" : ""}`,
      what: `${section.label} serves the statistics page${admin ? " with admin actions" : ""} on ${bind.address} without \`stats auth\`: anyone who reaches it sees every backend and server${admin ? " and can drain or disable them" : ""}`,
      line: (child(stats, "enable") ?? child(stats, "uri") ?? stats).line,
      path: `${section.kind} ${section.name ?? ""}.stats`,
      safe: "`stats auth admin:<password>` (or bind the section to 127.0.0.1)",
    });
  }
  return out;
}

/** Traefik's API and dashboard served without authentication: `api.insecure`, or a router to api@internal with no middleware. */
function traefikEndpoints(tree: TreeNode): Endpoint[] {
  const out: Endpoint[] = [];
  for (const document of documents(tree)) {
    const api = childFold(document, "api");
    const insecure = fold(api?.[1], "insecure");
    if (api && truthy(insecure))
      out.push({
        key: "traefik:api.insecure",
        what: "`api.insecure = true` serves Traefik's API and dashboard unauthenticated on the `traefik` entry point (port 8080 on every interface by default)",
        line: insecure!.line,
        path: `${api[0]}.insecure`,
        safe: "`insecure = false` and a router to `api@internal` behind an authentication middleware",
      });
    const http = childFold(document, "http");
    for (const [name, router] of entriesOf(fold(http?.[1], "routers"))) {
      const service = fold(router, "service");
      if (service?.kind !== "scalar" || String(service.value) !== "api@internal") continue;
      if (itemsOf(fold(router, "middlewares")).length > 0) continue;
      out.push({
        key: `traefik:router:${name}`,
        what: `router ${name} serves api@internal (the API and dashboard) without any middleware: no authentication in front of it`,
        line: service.line,
        path: `http.routers.${name}.service`,
        safe: '`middlewares = ["dashboard-auth"]` with a basicAuth or forwardAuth middleware',
      });
    }
  }
  return out;
}

/** Kubernetes: the Traefik container's `--api.insecure` flag, and IngressRoutes to api@internal without middlewares. */
function kubernetesEndpoints(tree: TreeNode): Endpoint[] {
  const out: Endpoint[] = [];
  for (const object of objectsOf(tree)) {
    for (const container of itemsOf(fold(object.body, "spec", "template", "spec", "containers")))
      for (const list of ["args", "command"])
        for (const argument of itemsOf(fold(container, list))) {
          const text = String(scalarAt(argument) ?? "");
          if (isTemplated(text) || !/^--api\.insecure(=true)?$/i.test(text)) continue;
          out.push({
            key: `${object.id}:api.insecure`,
            what: `${object.label} runs Traefik with \`${text}\`: the API and dashboard are served unauthenticated on the \`traefik\` entry point`,
            line: argument.line,
            path: `${object.label}.containers.${list}`,
            safe: "drop `--api.insecure` and route `api@internal` through an IngressRoute with an authentication middleware",
          });
        }
    if (object.kind !== "IngressRoute") continue;
    itemsOf(fold(object.body, "spec", "routes")).forEach((route, index) => {
      const api = itemsOf(fold(route, "services")).find(
        (service) => String(scalarAt(service, "name") ?? "") === "api@internal",
      );
      if (!api || itemsOf(fold(route, "middlewares")).length > 0) return;
      out.push({
        key: `${object.id}:route#${index}`,
        what: `${object.label} routes to api@internal (the API and dashboard) without any middleware: no authentication in front of it`,
        line: api.line,
        path: `${object.label}.spec.routes[${index}]`,
        safe: "`middlewares: [{ name: dashboard-auth }]` with a basicAuth or forwardAuth Middleware",
      });
    });
  }
  return out;
}

/** docker-compose: a Traefik service's `--api.insecure` command flag, and router labels to api@internal without middlewares. */
function composeEndpoints(tree: TreeNode): Endpoint[] {
  const out: Endpoint[] = [];
  for (const [service, body] of composeServices(tree)) {
    const flag = composeCommand(body).find((argument) =>
      /^--api\.insecure(=true)?$/i.test(argument),
    );
    if (flag)
      out.push({
        key: `compose:${service}:api.insecure`,
        what: `service ${service} runs Traefik with \`${flag}\`: the API and dashboard are served unauthenticated on the \`traefik\` entry point`,
        line: child(body, "command")?.line ?? body.line,
        path: `services.${service}.command`,
        safe: "drop `--api.insecure` and route `api@internal` through a router with an authentication middleware",
      });
    const labels = composeLabels(body);
    for (const label of labels) {
      const match = /^traefik\.http\.routers\.([^.]+)\.service$/i.exec(label.name);
      if (!match || label.value !== "api@internal") continue;
      const guarded = labels.some(
        (other) =>
          other.name.toLowerCase() ===
            `traefik.http.routers.${match[1]!.toLowerCase()}.middlewares` && other.value !== "",
      );
      if (guarded) continue;
      out.push({
        key: `compose:${service}:router:${match[1]}`,
        what: `router ${match[1]} (service ${service}) serves api@internal (the API and dashboard) without any middleware: no authentication in front of it`,
        line: label.line,
        path: `services.${service}.labels`,
        safe: `\`traefik.http.routers.${match[1]}.middlewares=dashboard-auth\` with a basicAuth middleware`,
      });
    }
  }
  return out;
}

function endpointsOf(dialect: Dialect, tree: TreeNode | null): Endpoint[] {
  if (!tree) return [];
  if (dialect === "compose") return composeEndpoints(tree);
  if (dialect === "haproxy") return haproxyEndpoints(tree);
  if (dialect === "traefik") return traefikEndpoints(tree);
  if (dialect === "kubernetes") return kubernetesEndpoints(tree);
  return [];
}

/**
 * Admin and status endpoints without authentication, newly reachable: a security exposure (docs/risk.md,
 * Exposure). Envoy's admin interface is envoy.admin.exposed's.
 */
export default defineRule({
  id: "generic.admin-endpoint.exposed",
  family: "generic",
  title: "Admin endpoint served without authentication",
  description:
    "A proxy's admin or status endpoint becomes reachable without authentication: HAProxy `stats enable`/`stats uri` " +
    "on a frontend or listen section bound to every interface with no `stats auth` (or `http-request auth`); " +
    "Traefik `api.insecure = true` (file, or the `--api.insecure` flag in Kubernetes or docker-compose) or a router, " +
    "compose label or IngressRoute to `api@internal` " +
    "with no middleware. High when new or when its authentication is removed.",
  severity: "high",
  params: {},
  dialects: ["haproxy", "traefik", "kubernetes", "compose"],
  check(file) {
    // An admin page before covers the plain page after: dropping admin actions exposes less.
    const before = new Set(
      endpointsOf(file.dialect, file.before).flatMap((endpoint) => [
        endpoint.key,
        endpoint.key.replace(/:admin$/, ""),
      ]),
    );
    const findings: Detection[] = [];
    for (const endpoint of endpointsOf(file.dialect, file.after)) {
      if (before.has(endpoint.key)) continue;
      findings.push({
        severity: "high",
        line: endpoint.line,
        path: endpoint.path,
        message: `${endpoint.what}. Safe: ${endpoint.safe}.`,
        before: null,
        after: "unauthenticated",
        checklist: [
          "Confirm no untrusted network can reach this endpoint, or put authentication in front of it.",
        ],
      });
    }
    return findings;
  },
});
