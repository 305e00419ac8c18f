import { at, child, entriesOf, itemsOf, scalarAt, type TreeNode } from "./tree.js";
import { isPolicyFile } from "../shared/names.js";
import { isTerraformJsonPath } from "./terraform-json.js";
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

/** Decides the dialect from the path and the parsed tree (either side of the change). */
export function detectDialect(path: string, format: Format, tree: TreeNode | null): Dialect {
  const name = path.split("/").pop() ?? path;
  if (isPolicyFile(path) || /\/\.github\/changegate\.ya?ml$/.test(path)) return "changegate-policy";
  if (isTerraformJsonPath(path)) return "terraform";
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
      if (format === "yaml" && isPolicyShaped(tree)) return "changegate-policy";
      if (isCloudFormation(tree)) return "cloudformation";
      if (isKubernetes(tree)) return "kubernetes";
      if (isEnvoy(tree)) return "envoy";
      if (isTraefik(tree)) return "traefik";
      if (isHelmValuesPath(path)) return "helm-values";
      if (/(^|[-.])compose\.ya?ml$/.test(name) || /^docker-compose/.test(name)) return "compose";
      return "generic";
  }
}

/**
 * Helm values files by name: `values.yaml`, environment files (`values-prod.yaml`, `values.prod.yaml`,
 * `prod-values.yaml`, `prod.values.yaml`) and any YAML file in a `values/` folder. The chart's
 * `Chart.yaml` is rarely part of the change, so the path is the evidence: a YAML file under `values/`
 * that is not a chart's is analyzed as values too, which costs a listing of its changes, while
 * missing a production values file would let its changes through unjudged (docs/configuration.md).
 */
function isHelmValuesPath(path: string): boolean {
  const name = (path.split("/").pop() ?? path).toLowerCase();
  if (!/\.ya?ml$/.test(name) || name === "chart.yaml") return false;
  if (/^values([-.][\w.-]+)?\.ya?ml$/.test(name)) return true;
  if (/^[\w.-]+[-.]values\.ya?ml$/.test(name)) return true;
  return /(^|\/)values\/[^/]+$/.test(path);
}

/** A policy's top-level keys (src/config/schema.ts, `policySchema`). */
export const POLICY_KEYS: ReadonlySet<string> = new Set([
  "_extends",
  "files",
  "rules",
  "custom",
  "requirements",
  "testPlan",
  "rollbackPlan",
  "emergency",
  "approvals",
  "checklist",
  "limits",
  "timeZone",
  "freezes",
  "windows",
  "suggestions",
]);
/** Keys only a policy holds in that shape: one of them makes a file of policy keys a policy. */
const POLICY_MARKS = ["_extends", "requirements", "custom", "emergency", "rules"];

/**
 * A policy wherever it lives: `_extends: owner/repo:policies/base.yml` makes any path of another
 * repository a policy that every extending repository is judged by, so a change to it is a policy
 * change (`generic.policy.changed`) and not an ordinary YAML file. Only policy keys, one of the
 * telling ones, and `rules` a map (a list of rules is another tool's, such as Semgrep's).
 */
function isPolicyShaped(tree: TreeNode | null): boolean {
  if (tree?.kind !== "map" || tree.entries.size === 0) return false;
  const keys = [...tree.entries.keys()];
  if (!keys.every((key) => POLICY_KEYS.has(key))) return false;
  const rules = tree.entries.get("rules");
  if (rules !== undefined && rules.kind !== "map") return false;
  return keys.some((key) => POLICY_MARKS.includes(key));
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
  const envoyType = (node: TreeNode | undefined): boolean =>
    String(scalarAt(node, "@type") ?? "").includes("envoy");
  return documents(tree).some((doc) => {
    if (at(doc, "static_resources") || at(doc, "dynamic_resources") || at(doc, "admin", "address"))
      return true;
    // xDS resource files: `resources: [{ "@type": type.googleapis.com/envoy... }]`
    if (itemsOf(child(doc, "resources")).some(envoyType)) return true;
    // Admin config dumps (`configs: [{ "@type": ...ClustersConfigDump }]`) and lists of `{ cluster: {...} }`.
    return itemsOf(child(doc, "configs")).some(envoyType) || envoyType(child(doc, "cluster"));
  });
}

function isTraefik(tree: TreeNode | null): boolean {
  // Traefik's file provider matches keys case-insensitively (docs/lb-facts.md §P4 "Case-insensitive keys").
  const fold = (node: TreeNode | undefined, name: string): TreeNode | undefined =>
    entriesOf(node).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  return documents(tree).some((doc) => {
    const http = fold(doc, "http") ?? fold(doc, "tcp") ?? fold(doc, "udp");
    if (http && (fold(http, "routers") || fold(http, "services") || fold(http, "middlewares")))
      return true;
    // The v2 pre-release layout: top-level `services.NAME.loadbalancer` (and `routers`).
    if (entriesOf(fold(doc, "services")).some(([, service]) => fold(service, "loadbalancer")))
      return true;
    // A dynamic file of TLS options or stores only: option keys Traefik's TLS options define (`minVersion`, …).
    const tls = fold(doc, "tls");
    if (
      fold(fold(tls, "stores"), "default") ||
      entriesOf(fold(tls, "options")).some(([, option]) =>
        ["minVersion", "maxVersion", "cipherSuites", "sniStrict", "clientAuth"].some((name) =>
          fold(option, name),
        ),
      )
    )
      return true;
    // Traefik v1 file provider and static configuration.
    return Boolean(
      fold(doc, "backends") ||
      fold(doc, "frontends") ||
      fold(doc, "entryPoints") ||
      (fold(doc, "providers") &&
        (fold(doc, "api") || fold(doc, "log") || fold(doc, "certificatesResolvers"))),
    );
  });
}
