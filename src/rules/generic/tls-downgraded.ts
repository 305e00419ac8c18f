import { key } from "../../diff/path.js";
import type { Dialect } from "../../formats/dialect.js";
import { at, child, entriesOf, itemsOf, scalarAt, type TreeNode } from "../../formats/tree.js";
import { defineRule, type Detection } from "../types.js";
import {
  annotationsOf,
  isTemplated,
  keptObjects,
  type KubernetesObject,
  objectPath,
} from "../model/kubernetes/objects.js";
import { type Bind, keptListeners, listenersOf } from "../model/proxy-listeners.js";
import { childFold, fold } from "../model/traefik/keys.js";
import { safe } from "../model/advice.js";

const show = (bind: Bind): string => bind.address;

const CHECKLIST = (what: string): string[] => [
  `Confirm dropping TLS on ${what} is intended: clients now send credentials and cookies in plain text, and HTTPS clients fail to connect.`,
];

/** nginx, HAProxy, Envoy and Traefik entry points: a bind that terminated TLS no longer does. */
function listenerDowngrades(
  dialect: Dialect,
  before: TreeNode | null,
  after: TreeNode | null,
): Detection[] {
  const findings: Detection[] = [];
  const tlsAfter = new Set(
    listenersOf(dialect, after).flatMap((listener) =>
      listener.binds.filter((bind) => bind.tls).map((bind) => bind.address),
    ),
  );
  for (const [was, now] of keptListeners(dialect, before, after)) {
    let found = false;
    for (const bind of now.binds) {
      const old = was.binds.find(
        (candidate) => candidate.address === bind.address && candidate.protocol === bind.protocol,
      );
      if (!old?.tls || bind.tls) continue;
      found = true;
      // A bind whose text does not carry its TLS (an Envoy address, its transport_socket elsewhere) says so.
      const same = old.text === bind.text;
      const wasShown = same ? `${old.text} with TLS` : old.text;
      const nowShown = same ? `${bind.text} without TLS` : bind.text;
      findings.push({
        severity: "high",
        line: bind.line,
        path: now.path,
        message: `${now.label} on ${show(bind)} no longer terminates TLS (${wasShown} → ${nowShown}): the port now speaks plain text, so HTTPS clients fail and anything sent to it travels unencrypted.${safe(`keep \`${old.text}\`, and add a plain-text listener beside it if one is needed`)}`,
        before: wasShown,
        after: nowShown,
        checklist: CHECKLIST(`${now.label} ${show(bind)}`),
      });
    }
    // A positional listener (unnamed) may have been re-paired by a reorder: TLS still served elsewhere did not go.
    const hadTls = was.binds.filter(
      (bind) => bind.tls && !(was.positional === true && tlsAfter.has(bind.address)),
    );
    if (
      !found &&
      hadTls.length > 0 &&
      now.binds.length > 0 &&
      !now.binds.some((bind) => bind.tls)
    ) {
      findings.push({
        severity: "high",
        line: now.binds[0]!.line,
        path: now.path,
        message: `${now.label} no longer terminates TLS anywhere (was ${hadTls.map((bind) => bind.text).join(", ")}; now ${now.binds.map((bind) => bind.text).join(", ")}): its traffic is plain text.${safe(`keep TLS on ${hadTls.map((bind) => `\`${bind.text}\``).join(", ")}`)}`,
        before: hadTls.map((bind) => bind.text).join(", "),
        after: now.binds.map((bind) => bind.text).join(", "),
        checklist: CHECKLIST(now.label),
      });
    }
  }
  return findings;
}

/** Traefik routers (`http.routers.NAME.tls`, `tcp.routers.NAME.tls`): without it a router serves plain HTTP (T). */
function traefikRouterDowngrades(before: TreeNode | null, after: TreeNode | null): Detection[] {
  const findings: Detection[] = [];
  const documents = (tree: TreeNode | null) =>
    tree?.kind === "list" ? tree.items : tree ? [tree] : [];
  const routers = (tree: TreeNode | null) => {
    const out = new Map<string, { tls: TreeNode | undefined; body: TreeNode; path: string }>();
    for (const document of documents(tree))
      for (const protocol of ["http", "tcp"]) {
        const section = childFold(document, protocol);
        const routerMap = childFold(section?.[1], "routers");
        if (!section || !routerMap) continue;
        for (const [name, body] of entriesOf(routerMap[1]))
          out.set(`${protocol}:${name}`, {
            tls: fold(body, "tls"),
            body,
            path: `${section[0]}.${routerMap[0]}.${name}`,
          });
      }
    return out;
  };
  const old = routers(before);
  for (const [id, router] of routers(after)) {
    const was = old.get(id);
    if (!was?.tls || router.tls) continue;
    findings.push({
      severity: "high",
      line: router.body.line,
      path: router.path,
      message: `router ${id.split(":")[1]} loses its tls section: it now matches only plain-text requests on its entry points, so HTTPS requests to it get a 404 or are served unencrypted elsewhere.${safe(`keep the \`tls\` section of router "${id.split(":")[1]}"`)}`,
      before: "tls",
      after: null,
      checklist: CHECKLIST(`router ${id.split(":")[1]}`),
    });
  }
  return findings;
}

function tlsHosts(ingress: KubernetesObject): Map<string, number> {
  const hosts = new Map<string, number>();
  for (const entry of itemsOf(at(ingress.body, "spec", "tls"))) {
    const names = itemsOf(child(entry, "hosts"));
    if (names.length === 0) hosts.set("(all hosts)", entry.line);
    for (const host of names)
      if (host.kind === "scalar" && host.value !== null) hosts.set(String(host.value), host.line);
  }
  return hosts;
}

/** `[{"HTTP": 80}, {"HTTPS": 443}]` → does it open an HTTPS listener? undefined when unreadable. */
function albHttps(value: string | undefined): boolean | undefined {
  if (value === undefined) return false;
  try {
    const parsed: unknown = JSON.parse(value);
    return (
      Array.isArray(parsed) &&
      parsed.some((entry) => typeof entry === "object" && entry !== null && "HTTPS" in entry)
    );
  } catch {
    return undefined;
  }
}

const ALB_LISTEN_PORTS = "alb.ingress.kubernetes.io/listen-ports";
const NLB_SSL_CERT = "service.beta.kubernetes.io/aws-load-balancer-ssl-cert";

/** Ingress `spec.tls`, Traefik IngressRoute `spec.tls`, Gateway listener protocols, AWS LBC TLS annotations. */
function kubernetesDowngrades(before: TreeNode | null, after: TreeNode | null): Detection[] {
  const findings: Detection[] = [];
  for (const [was, now] of keptObjects(before, after)) {
    if (now.kind === "Ingress") {
      const nowHosts = tlsHosts(now);
      for (const [host, line] of tlsHosts(was)) {
        if (nowHosts.has(host) || isTemplated(host) || [...nowHosts.keys()].some(isTemplated))
          continue;
        findings.push({
          severity: "high",
          line: child(child(now.body, "spec"), "tls")?.line ?? line,
          path: objectPath(now, key("spec"), key("tls")),
          message: `${now.label} no longer terminates TLS for ${host}: the controller serves it over plain HTTP only, so HTTPS clients fail or get the default certificate.${safe(`keep ${host} under \`spec.tls\` with its secret`)}`,
          before: host,
          after: null,
          checklist: CHECKLIST(`${host} (${now.label})`),
        });
      }
      const wasHttps = albHttps(annotationsOf(was).get(ALB_LISTEN_PORTS)?.value);
      const nowPorts = annotationsOf(now).get(ALB_LISTEN_PORTS);
      const nowHttps = albHttps(nowPorts?.value);
      if (wasHttps === true && nowHttps === false && !isTemplated(nowPorts?.value)) {
        findings.push({
          severity: "high",
          line: nowPorts?.line ?? now.line,
          path: objectPath(now, key("metadata"), key("annotations"), key(ALB_LISTEN_PORTS)),
          message: `${now.label} no longer opens an HTTPS listener on its ALB (${ALB_LISTEN_PORTS}): HTTPS clients fail to connect, and what remains is plain HTTP.${safe(`keep ${ALB_LISTEN_PORTS}: ${JSON.stringify(annotationsOf(was).get(ALB_LISTEN_PORTS)?.value ?? null)}`)}`,
          before: annotationsOf(was).get(ALB_LISTEN_PORTS)?.value ?? null,
          after: nowPorts?.value ?? null,
          checklist: CHECKLIST(now.label),
        });
      }
    }
    if (now.kind === "IngressRoute" || now.kind === "IngressRouteTCP") {
      if (child(child(was.body, "spec"), "tls") && !child(child(now.body, "spec"), "tls")) {
        findings.push({
          severity: "high",
          line: child(now.body, "spec")?.line ?? now.line,
          path: objectPath(now, key("spec"), key("tls")),
          message: `${now.label} loses its tls section: Traefik serves its routes without TLS.${safe("keep the `tls` section of its spec")}`,
          before: "tls",
          after: null,
          checklist: CHECKLIST(now.label),
        });
      }
    }
    if (now.kind === "Gateway") {
      const protocols = (object: KubernetesObject) =>
        new Map(
          itemsOf(at(object.body, "spec", "listeners")).map((listener) => [
            String(scalarAt(listener, "name") ?? ""),
            {
              protocol: String(scalarAt(listener, "protocol") ?? ""),
              line: child(listener, "protocol")?.line ?? listener.line,
            },
          ]),
        );
      const old = protocols(was);
      for (const [name, listener] of protocols(now)) {
        const previous = old.get(name);
        if (
          !previous ||
          !/^(HTTPS|TLS)$/.test(previous.protocol) ||
          /^(HTTPS|TLS)$/.test(listener.protocol)
        )
          continue;
        findings.push({
          severity: "high",
          line: listener.line,
          path: objectPath(now, key("spec"), key("listeners")),
          message: `${now.label} listener ${name} switches from ${previous.protocol} to ${listener.protocol}: it no longer terminates or passes TLS.`,
          before: previous.protocol,
          after: listener.protocol,
          checklist: CHECKLIST(`${now.label} listener ${name}`),
        });
      }
    }
    if (now.kind === "Service") {
      const cert = annotationsOf(was).get(NLB_SSL_CERT);
      if (cert && !annotationsOf(now).has(NLB_SSL_CERT)) {
        findings.push({
          severity: "high",
          line: cert.line,
          path: objectPath(now, key("metadata"), key("annotations"), key(NLB_SSL_CERT)),
          message: `${now.label} loses ${NLB_SSL_CERT}: its AWS load balancer listeners stop terminating TLS and pass plain TCP.`,
          before: cert.value,
          after: null,
          checklist: CHECKLIST(now.label),
        });
      }
    }
  }
  return findings;
}

/**
 * TLS turned off where clients connect: a high finding in every format that terminates TLS (security,
 * docs/lb-facts.md §P7 TLS).
 */
export default defineRule({
  id: "generic.tls.downgraded",
  family: "generic",
  title: "TLS turned off on a listener",
  description:
    "A listener that terminated TLS no longer does: nginx `listen 443 ssl` → `listen 443`, HAProxy `bind … ssl crt` " +
    "without `ssl`, an Envoy listener's transport_socket removed, a Traefik entryPoint or router losing `tls`, a " +
    "Kubernetes Ingress `tls` host, an IngressRoute `tls`, a Gateway HTTPS/TLS listener, the ALB HTTPS listen port or the " +
    "NLB certificate annotation. HTTPS clients fail, and what is left is plain text (high).",
  severity: "high",
  params: {},
  dialects: ["nginx", "haproxy", "envoy", "traefik", "kubernetes"],
  check(file) {
    if (file.dialect === "kubernetes") return kubernetesDowngrades(file.before, file.after);
    return [
      ...listenerDowngrades(file.dialect, file.before, file.after),
      ...(file.dialect === "traefik" ? traefikRouterDowngrades(file.before, file.after) : []),
    ];
  },
});
