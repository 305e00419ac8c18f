import { entriesOf, itemsOf, scalarAt, type TreeNode } from "../../formats/tree.js";
import { defineRule, type Detection } from "../types.js";
import { composeCommand, composeLabels, composeServices } from "../model/compose-traefik.js";
import { lineFix } from "../model/fix.js";
import { annotationsOf, isTemplated, objectsOf } from "../model/kubernetes/objects.js";
import { childFold, fold } from "../model/traefik/keys.js";

type Kind = "certResolver" | "options";

/** One router's reference to a certificate resolver or TLS options, by router identity and kind. */
interface Reference {
  readonly key: string;
  readonly router: string;
  readonly kind: Kind;
  readonly value: string;
  readonly line: number;
  readonly path: string;
}

const NOUN: Record<Kind, string> = { certResolver: "certificate resolver", options: "TLS options" };
const ANNOTATION: Record<Kind, string> = {
  certResolver: "traefik.ingress.kubernetes.io/router.tls.certresolver",
  options: "traefik.ingress.kubernetes.io/router.tls.options",
};

const text = (node: TreeNode | undefined): string | undefined =>
  node?.kind === "scalar" && node.value !== null && node.value !== ""
    ? String(node.value)
    : undefined;

const documents = (tree: TreeNode | null): TreeNode[] =>
  tree?.kind === "list" ? tree.items : tree ? [tree] : [];

/** References in a dynamic file (`http|tcp.routers.NAME.tls`) and in Kubernetes routes. */
function referencesOf(tree: TreeNode | null): Reference[] {
  const out: Reference[] = [];
  for (const document of documents(tree))
    for (const protocol of ["http", "tcp"]) {
      const section = childFold(document, protocol);
      const routers = childFold(section?.[1], "routers");
      if (!section || !routers) continue;
      for (const [name, body] of entriesOf(routers[1])) {
        const tls = fold(body, "tls");
        for (const kind of ["certResolver", "options"] as const) {
          const node = fold(tls, kind);
          const value = text(node);
          if (node && value)
            out.push({
              key: `${protocol}:${name}:${kind}`,
              router: `router ${name}`,
              kind,
              value,
              line: node.line,
              path: `${section[0]}.${routers[0]}.${name}.tls.${kind}`,
            });
        }
      }
    }
  for (const [service, body] of composeServices(tree))
    for (const label of composeLabels(body)) {
      const match = /^traefik\.(http|tcp)\.routers\.([^.]+)\.tls\.(certresolver|options)$/i.exec(
        label.name,
      );
      if (!match || !label.value || isTemplated(label.value)) continue;
      const kind: Kind = match[3]!.toLowerCase() === "options" ? "options" : "certResolver";
      out.push({
        key: `compose:${match[1]!.toLowerCase()}:${match[2]}:${kind}`,
        router: `router ${match[2]} (service ${service})`,
        kind,
        value: label.value,
        line: label.line,
        path: `services.${service}.labels`,
      });
    }
  for (const object of objectsOf(tree)) {
    if (object.kind === "IngressRoute" || object.kind === "IngressRouteTCP") {
      const tls = fold(object.body, "spec", "tls");
      const entries: [Kind, TreeNode | undefined][] = [
        ["certResolver", fold(tls, "certResolver")],
        ["options", fold(tls, "options", "name")],
      ];
      for (const [kind, node] of entries) {
        const value = text(node);
        if (node && value && !isTemplated(value))
          out.push({
            key: `${object.id}:${kind}`,
            router: object.label,
            kind,
            value,
            line: node.line,
            path: `${object.label}.spec.tls.${kind}`,
          });
      }
    }
    if (object.kind === "Ingress") {
      const annotations = annotationsOf(object);
      for (const kind of ["certResolver", "options"] as const) {
        const annotation = annotations.get(ANNOTATION[kind]);
        if (annotation && annotation.value && !isTemplated(annotation.value))
          out.push({
            key: `${object.id}:${kind}`,
            router: object.label,
            kind,
            value: annotation.value,
            line: annotation.line,
            path: `${object.label}.metadata.annotations.${ANNOTATION[kind]}`,
          });
      }
    }
  }
  return out;
}

/**
 * Resolvers and TLS options this file defines: a static file's `certificatesResolvers`, a dynamic file's
 * `tls.options`, TLSOption objects, and `--certificatesresolvers.NAME.…` arguments of a Traefik container (Kubernetes or docker-compose).
 */
function definedIn(tree: TreeNode | null): Record<Kind, Set<string>> {
  const found: Record<Kind, Set<string>> = { certResolver: new Set(), options: new Set() };
  for (const document of documents(tree)) {
    for (const [name] of entriesOf(fold(document, "certificatesResolvers")))
      found.certResolver.add(name);
    for (const [name] of entriesOf(fold(document, "tls", "options"))) found.options.add(name);
  }
  for (const [, body] of composeServices(tree))
    for (const argument of composeCommand(body)) {
      const match = /^--certificatesresolvers\.([^.=]+)\./i.exec(argument);
      if (match) found.certResolver.add(match[1]!);
    }
  for (const object of objectsOf(tree)) {
    if (object.kind === "TLSOption") {
      found.options.add(object.name);
      found.options.add(`${object.namespace}-${object.name}@kubernetescrd`);
    }
    const containers = itemsOf(fold(object.body, "spec", "template", "spec", "containers"));
    for (const container of containers)
      for (const list of ["args", "command"])
        for (const argument of itemsOf(fold(container, list))) {
          const match = /^--certificatesresolvers\.([^.=]+)\./i.exec(
            String(scalarAt(argument) ?? ""),
          );
          if (match) found.certResolver.add(match[1]!);
        }
  }
  return found;
}

/** Where a reference resolves: cross-provider suffixes (`name@file`) name the same definition. */
const bare = (value: string): string => value.replace(/@[\w-]+$/, "");

/**
 * A router's certificate resolver or TLS options reference changes to a name this change does not define: if
 * the name does not exist where Traefik reads it, the router falls back to the default certificate (clients see
 * a certificate error) or the default TLS options.
 */
export default defineRule({
  id: "traefik.tls-reference.changed",
  family: "traefik",
  title: "Router's certificate resolver or TLS options renamed",
  description:
    "A router's `tls.certResolver` or `tls.options` (IngressRoute `spec.tls`, Ingress " +
    "`router.tls.certresolver`/`router.tls.options` annotations, docker-compose `traefik.http.routers.NAME.tls.*` " +
    "labels) now names another resolver or options set " +
    "that the change does not define: where it does not exist, Traefik serves its " +
    "default certificate (clients get a certificate error) or its default TLS options. A rename whose " +
    "definition changes in the same file is consistent and not reported.",
  severity: "high",
  params: {},
  dialects: ["traefik", "kubernetes", "compose"],
  check(file) {
    const findings: Detection[] = [];
    const before = new Map(referencesOf(file.before).map((ref) => [ref.key, ref]));
    const after = new Map(referencesOf(file.after).map((ref) => [ref.key, ref]));
    const definedBefore = definedIn(file.before);
    const definedAfter = definedIn(file.after);
    for (const [id, was] of before) {
      // A reference removed with its router's tls is generic.tls.downgraded's; one removed alone keeps the tls
      // section and Traefik's defaults (not judged here).
      const now = after.get(id);
      if (!now || bare(now.value) === bare(was.value)) continue;
      if (definedAfter[now.kind].has(bare(now.value))) continue;
      const noun = NOUN[was.kind];
      const fix = lineFix(file, now.line, [
        { keys: [was.kind, "certresolver", "name", ANNOTATION[was.kind]], value: was.value },
      ]);
      const consequence =
        was.kind === "certResolver"
          ? "clients get Traefik's default (self-signed) certificate and fail verification"
          : "the router gets Traefik's default TLS options (protocols and ciphers)";
      findings.push({
        severity: "high",
        line: now.line,
        path: now.path,
        message: `${now.router} now uses ${noun} ${now.value} instead of ${was.value}, which this change does not define${definedBefore[was.kind].has(bare(was.value)) ? "" : " (both are defined outside this file)"}: if ${now.value} does not exist where Traefik reads it, ${consequence}. Safe: keep \`${was.value}\` until ${now.value} is defined in the static or dynamic configuration.`,
        before: was.value,
        after: now.value,
        checklist: [
          `Check that ${noun} ${now.value} exists in the Traefik configuration this router is served by.`,
        ],
        ...(fix ? { fix } : {}),
      });
    }
    return findings;
  },
});
