import type { Dialect } from "../../formats/dialect.js";
import { child, entriesOf, itemsOf, type TreeNode } from "../../formats/tree.js";
import { nameList } from "../message.js";
import { composeLabels, composeServices } from "../model/compose-traefik.js";
import { objectPath, objectsOf } from "../model/kubernetes/objects.js";
import { fold } from "../model/traefik/keys.js";
import { defineRule, type Detection } from "../types.js";

/** Something that routes requests by host name: a Traefik router, an Ingress, an IngressRoute, an HTTPRoute. */
interface HostRoute {
  readonly key: string;
  readonly label: string;
  readonly hosts: readonly { readonly host: string; readonly line: number }[];
  readonly path: string;
  /** How it names hosts: a Traefik rule, an Ingress rule's `host`, a Gateway API route's `hostnames`. */
  readonly syntax: "rule" | "host" | "hostnames";
  /** Also matches hosts it does not name: a rule without a host, `HostRegexp`, `*` (every host, or any it may match). */
  readonly anyHost: boolean;
  /** Routes of one class serve the same requests: Traefik http or tcp routers, one Kubernetes kind. */
  readonly scope: string;
}

/** A Traefik rule that matches hosts it does not name: no Host/HostSNI matcher at all, a HostRegexp, or `*`. */
const ruleMatchesAnyHost = (rule: string): boolean =>
  !/\bHost(?:SNI)?\s*\(/.test(rule) ||
  /\bHost(?:SNI)?Regexp\s*\(/.test(rule) ||
  ruleHosts(rule).includes("*");

/** Host names in a Traefik rule: every quoted argument of Host(...) and HostSNI(...) (Traefik routing rules). */
function ruleHosts(rule: string): string[] {
  const out: string[] = [];
  for (const call of rule.matchAll(/\bHost(?:SNI)?\s*\(([^)]*)\)/g))
    for (const quoted of call[1]!.matchAll(/[`"']([^`"']+)[`"']/g))
      out.push(quoted[1]!.toLowerCase());
  return out;
}

/** A placeholder (`{{ .Values.host }}`, `${DOMAIN}`, `$HOST`) is unknowable until rendered. */
const templated = (host: string): boolean => /[{}$]/.test(host);

function traefikRoutes(tree: TreeNode): HostRoute[] {
  const documents = tree.kind === "list" ? tree.items : [tree];
  return documents.flatMap((document) =>
    (["http", "tcp"] as const).flatMap((protocol) =>
      entriesOf(fold(document, protocol, "routers")).flatMap(([name, body]) => {
        const rule = fold(body, "rule");
        if (rule?.kind !== "scalar" || typeof rule.value !== "string") return [];
        return [
          {
            key: `${protocol}:${name}`,
            label: `${protocol === "http" ? "" : "tcp "}router ${name}`,
            hosts: ruleHosts(rule.value).map((host) => ({ host, line: rule.line })),
            path: `${protocol}.routers.${name}.rule`,
            syntax: "rule" as const,
            anyHost: ruleMatchesAnyHost(rule.value),
            scope: protocol,
          },
        ];
      }),
    ),
  );
}

/** Traefik routers declared in docker-compose labels: `traefik.http.routers.NAME.rule=Host(...)`, list or map form. */
function composeRoutes(tree: TreeNode): HostRoute[] {
  return composeServices(tree).flatMap(([service, body]) =>
    composeLabels(body).flatMap(({ name, value, line }) => {
      const match = /^traefik\.(http|tcp)\.routers\.([^.]+)\.rule$/i.exec(name);
      if (!match) return [];
      return [
        {
          key: `${match[1]!.toLowerCase()}:${match[2]!}`,
          label: `router ${match[2]!} (labels of service ${service})`,
          hosts: ruleHosts(value).map((host) => ({ host, line })),
          path: `services.${service}.labels`,
          syntax: "rule" as const,
          anyHost: ruleMatchesAnyHost(value),
          scope: match[1]!.toLowerCase(),
        },
      ];
    }),
  );
}

/** Ingress `rules[].host`, Traefik IngressRoute `routes[].match`, Gateway API `hostnames`. */
function kubernetesRoutes(tree: TreeNode): HostRoute[] {
  return objectsOf(tree).flatMap((object): HostRoute[] => {
    const spec = child(object.body, "spec");
    let hosts: { host: string; line: number }[];
    let syntax: HostRoute["syntax"] = "rule";
    let anyHost = false;
    if (object.kind === "Ingress") {
      syntax = "host";
      // A rule without `host` (or a default backend) takes requests for every host.
      anyHost =
        child(spec, "defaultBackend") !== undefined ||
        child(spec, "backend") !== undefined ||
        itemsOf(child(spec, "rules")).some((rule) => child(rule, "host") === undefined);
      hosts = itemsOf(child(spec, "rules")).flatMap((rule) => {
        const host = child(rule, "host");
        return host?.kind === "scalar" && host.value !== null
          ? [{ host: String(host.value).toLowerCase(), line: host.line }]
          : [];
      });
    } else if (/^IngressRoute(TCP)?$/.test(object.kind))
      hosts = itemsOf(child(spec, "routes")).flatMap((route) => {
        const match = child(route, "match");
        if (match?.kind === "scalar" && typeof match.value === "string") {
          anyHost ||= ruleMatchesAnyHost(match.value);
          return ruleHosts(match.value).map((host) => ({ host, line: match.line }));
        }
        return [];
      });
    else if (/^(HTTP|GRPC|TLS)Route$/.test(object.kind)) {
      syntax = "hostnames";
      hosts = itemsOf(child(spec, "hostnames")).flatMap((host) =>
        host.kind === "scalar" && host.value !== null
          ? [{ host: String(host.value).toLowerCase(), line: host.line }]
          : [],
      );
      anyHost = hosts.length === 0;
    } else return [];
    return [
      {
        key: object.id,
        label: object.label,
        hosts,
        path: objectPath(object),
        syntax,
        anyHost,
        scope: object.kind,
      },
    ];
  });
}

function routesOf(dialect: Dialect, tree: TreeNode | null): HostRoute[] {
  if (!tree) return [];
  switch (dialect) {
    case "traefik":
      return traefikRoutes(tree);
    case "compose":
      return composeRoutes(tree);
    case "kubernetes":
      return kubernetesRoutes(tree);
    default:
      return [];
  }
}

/** A router or Ingress that stops routing a host: requests for that host match nothing (404) or another route. */
export default defineRule({
  id: "lb.route-host.removed",
  family: "lb",
  title: "Host no longer routed",
  description:
    "A router, Ingress or route that stays stops matching a host it matched (Traefik `Host(...)`/`HostSNI(...)` " +
    "rules in dynamic configuration and in docker-compose labels, Ingress `rules[].host`, IngressRoute `match`, " +
    "Gateway API `hostnames`), and no other route of the file matches it now: requests for the old host get a 404 " +
    "(or another site). High. A host still routed elsewhere in the file (by name, a `*.` wildcard, or a route of the " +
    "same kind that matches any host: no host matcher, `HostRegexp`, an Ingress rule without `host`), a host added, " +
    "or a templated host does not " +
    "fire; a deleted router or Ingress is generic.lb-resource.deleted's.",
  severity: "high",
  params: {},
  dialects: ["traefik", "compose", "kubernetes"],
  check(file) {
    if (!file.before || !file.after) return [];
    const before = routesOf(file.dialect, file.before);
    const after = routesOf(file.dialect, file.after);
    const routedAfter = new Set(after.flatMap((route) => route.hosts.map((entry) => entry.host)));
    const catchAll = new Set(after.filter((route) => route.anyHost).map((route) => route.scope));
    // `*.example.com` matches one label in front of example.com (Ingress and Gateway API wildcard hosts).
    const wildcards = [...routedAfter].filter((host) => host.startsWith("*."));
    const covered = (host: string): boolean =>
      wildcards.some((wildcard) => {
        const suffix = wildcard.slice(1);
        return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes(".");
      });
    const afterByKey = new Map(after.map((route) => [route.key, route]));
    const findings: Detection[] = [];
    for (const was of before) {
      const now = afterByKey.get(was.key);
      if (!now || now.hosts.some((entry) => templated(entry.host))) continue;
      // A route of the same class that matches any host still takes the old host's requests.
      if (catchAll.has(was.scope)) continue;
      const lost = [...new Set(was.hosts.map((entry) => entry.host))].filter(
        (host) => !templated(host) && !routedAfter.has(host) && !covered(host),
      );
      if (lost.length === 0) continue;
      const added = [...new Set(now.hosts.map((entry) => entry.host))].filter(
        (host) => !was.hosts.some((entry) => entry.host === host),
      );
      findings.push({
        severity: "high",
        line: now.hosts[0]?.line ?? was.hosts[0]!.line,
        path: now.path,
        message:
          `${now.label} no longer routes ${nameList(lost)}${added.length > 0 ? ` (now ${nameList(added)})` : ""}, and nothing else in this file does: ` +
          `requests for ${lost.length === 1 ? "that host" : "those hosts"} get a 404 or another site, and DNS records and certificates for ${lost.length === 1 ? "it" : "them"} stop being served. ` +
          `Safe: route both hosts, e.g. ${
            now.syntax === "host"
              ? `a second rule with \`host: ${lost[0]!}\``
              : now.syntax === "hostnames"
                ? `\`${lost[0]!}\` kept in \`hostnames\``
                : `Host(\`${added[0] ?? lost[0]!}\`) || Host(\`${lost[0]!}\`)`
          }, until clients have moved.`,
        before: lost,
        after: added.length > 0 ? added : null,
        checklist: [`Confirm no client, DNS record or certificate still uses ${nameList(lost)}.`],
      });
    }
    return findings;
  },
});
