import { at, child, entriesOf, itemsOf, scalarAt, type TreeNode } from "./tree.js";
import type { Format } from "./types.js";

/** What a parsed file configures, which decides the rules that read it. */
export type Dialect =
  | "terraform"
  | "cloudformation"
  | "kubernetes"
  | "helm-values"
  | "helm-template"
  | "envoy"
  | "traefik"
  | "nginx"
  | "haproxy"
  | "compose"
  | "changegate-policy"
  | "generic";

export const POLICY_PATH = ".github/changegate.yml";

/** Decides the dialect from the path and the parsed tree (either side of the change). */
export function detectDialect(path: string, format: Format, tree: TreeNode | null): Dialect {
  const name = path.split("/").pop() ?? path;
  if (
    path === POLICY_PATH ||
    path.endsWith(`/${POLICY_PATH}`) ||
    /^\.github\/changegate\.ya?ml$/.test(path)
  ) {
    return "changegate-policy";
  }
  switch (format) {
    case "hcl":
      return "terraform";
    case "nginx":
      return "nginx";
    case "haproxy":
      return "haproxy";
    case "text":
      return "helm-template";
    case "toml":
      return isTraefik(tree) ? "traefik" : "generic";
    case "yaml":
    case "json":
      if (isCloudFormation(tree)) return "cloudformation";
      if (isKubernetes(tree)) return "kubernetes";
      if (isEnvoy(tree)) return "envoy";
      if (isTraefik(tree)) return "traefik";
      if (/^values([-.][\w.-]+)?\.ya?ml$/.test(name)) return "helm-values";
      if (/(^|[-.])compose\.ya?ml$/.test(name) || /^docker-compose/.test(name)) return "compose";
      return "generic";
  }
}

function documents(tree: TreeNode | null): TreeNode[] {
  return tree?.kind === "list" ? tree.items : tree ? [tree] : [];
}

function isCloudFormation(tree: TreeNode | null): boolean {
  const doc = documents(tree)[0];
  if (at(doc, "AWSTemplateFormatVersion")) return true;
  return entriesOf(child(doc, "Resources")).some(([, resource]) => {
    const type = scalarAt(resource, "Type");
    return typeof type === "string" && /^(AWS|Custom|Alexa)::/.test(type);
  });
}

function isKubernetes(tree: TreeNode | null): boolean {
  return documents(tree).some(
    (doc) =>
      typeof scalarAt(doc, "apiVersion") === "string" && typeof scalarAt(doc, "kind") === "string",
  );
}

function isEnvoy(tree: TreeNode | null): boolean {
  return documents(tree).some((doc) => {
    if (at(doc, "static_resources") || at(doc, "dynamic_resources") || at(doc, "admin", "address"))
      return true;
    // xDS resource files: `resources: [{ "@type": type.googleapis.com/envoy... }]`
    return itemsOf(child(doc, "resources")).some((resource) =>
      String(scalarAt(resource, "@type") ?? "").includes("envoy"),
    );
  });
}

function isTraefik(tree: TreeNode | null): boolean {
  return documents(tree).some((doc) => {
    const http = child(doc, "http") ?? child(doc, "tcp") ?? child(doc, "udp");
    if (http && (child(http, "routers") || child(http, "services") || child(http, "middlewares")))
      return true;
    // Traefik v1 file provider and static configuration.
    return Boolean(
      child(doc, "backends") ||
      child(doc, "frontends") ||
      child(doc, "entryPoints") ||
      child(doc, "entrypoints") ||
      (child(doc, "providers") &&
        (child(doc, "api") || child(doc, "log") || child(doc, "certificatesResolvers"))),
    );
  });
}
