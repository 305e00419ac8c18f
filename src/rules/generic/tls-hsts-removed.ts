import type { Dialect } from "../../formats/dialect.js";
import { child, entriesOf, itemsOf, type TreeNode } from "../../formats/tree.js";
import { defineRule, type Detection } from "../types.js";
import { haproxySections } from "../model/haproxy/sections.js";
import { nginxSettings } from "../model/kubernetes/ingress-nginx.js";
import { objectsOf } from "../model/kubernetes/objects.js";
import { blockPairs } from "../model/nginx/blocks.js";
import { toNumber } from "../model/figures.js";
import { childFold, fold } from "../model/traefik/keys.js";

/** Where HSTS is sent, by identity: its owner, a label, and the max-age when it is sent. */
interface Hsts {
  readonly key: string;
  readonly label: string;
  readonly line: number;
  readonly path: string;
  /** max-age in seconds; 0 (or absent from the map) means not sent. */
  readonly maxAge: number;
  readonly text: string;
}

const HEADER = /strict-transport-security\s+"?'?max-age=(\d+)/i;

const maxAgeOf = (text: string): number | undefined => {
  const match = HEADER.exec(text);
  return match ? Number(match[1]) : undefined;
};

const scalarText = (node: TreeNode): string =>
  node.kind === "scalar" && node.value !== null ? String(node.value) : "";

/**
 * nginx `add_header Strict-Transport-Security "max-age=…"`: a block's add_header directives replace every
 * inherited one (ngx_http_headers_module), so the header in force is the nearest block's that has any. Keyed by
 * the directive that sets it, so a loss in `http {}` is reported once, not once per server and location.
 */
function nginxLosses(before: TreeNode | null, after: TreeNode | null): Detection[] {
  const findings: Detection[] = [];
  const reported = new Set<number>();
  const inForce = (bodies: readonly TreeNode[]): TreeNode | undefined => {
    for (const body of bodies) {
      const headers = itemsOf(child(body, "add_header"));
      if (headers.length > 0)
        return headers.find((header) => (maxAgeOf(scalarText(header)) ?? 0) > 0);
    }
    return undefined;
  };
  for (const [was, now, fresh] of blockPairs(before, after)) {
    if (!was || fresh) continue;
    const old = inForce([was.body, ...was.ancestors]);
    if (!old || reported.has(old.line)) continue;
    if (inForce([now.body, ...now.ancestors])) continue;
    // A file newly included where the header was may set it now: the change cannot see that file.
    const wasIncluded = new Set(includesOf([was.body, ...was.ancestors]));
    if (includesOf([now.body, ...now.ancestors]).some((file) => !wasIncluded.has(file))) continue;
    // Only blocks that answer requests: the http block itself serves nothing.
    if (now.key === "" || now.label.startsWith("http")) continue;
    reported.add(old.line);
    findings.push(
      finding(now.body.line, now.label, scalarText(old), `add_header ${quoted(scalarText(old))};`),
    );
  }
  return findings;
}

/** The files the blocks include (`include snippets/headers.conf;`). */
const includesOf = (bodies: readonly TreeNode[]): string[] =>
  bodies.flatMap((body) => itemsOf(child(body, "include")).map(scalarText));

/** `Name value words [always]` as nginx needs it written: the value quoted. */
function quoted(text: string): string {
  const words = text.split(/\s+/);
  const always = words.at(-1) === "always" ? words.pop() : undefined;
  const [name = "", ...value] = words;
  return `${name} "${value.join(" ")}"${always ? " always" : ""}`;
}

function finding(line: number, label: string, was: string, safe: string, path?: string): Detection {
  return {
    severity: "high",
    line,
    ...(path ? { path } : {}),
    message:
      `${label} no longer sends Strict-Transport-Security (was ${was}): browsers stop forcing HTTPS once the old ` +
      `max-age runs out, so a first plain-HTTP request can be intercepted or downgraded. Safe: keep \`${safe}\`.`,
    before: was,
    after: null,
    checklist: [
      `Confirm dropping HSTS for ${label} is intended (for instance, the site leaves HTTPS).`,
    ],
  };
}

function haproxyHsts(tree: TreeNode): Hsts[] {
  return haproxySections(tree).flatMap((section) => {
    const rules = [
      ...itemsOf(child(section.body, "http-response")),
      ...itemsOf(child(section.body, "http-after-response")),
    ];
    const header = rules.find((rule) =>
      /^(set|add)-header\s+strict-transport-security\b/i.test(scalarText(rule)),
    );
    const maxAge = header ? (maxAgeOf(scalarText(header).replace(/^\S+\s+/, "")) ?? 1) : 0;
    return [
      {
        key: section.key,
        label: section.label,
        line: header?.line ?? section.body.line,
        path: `${section.kind} ${section.name ?? ""}`,
        maxAge,
        text: header ? `http-response ${scalarText(header)}` : "",
      },
    ];
  });
}

function traefikHeaders(
  body: TreeNode | undefined,
  key: string,
  label: string,
  path: string,
): Hsts {
  const seconds = fold(body, "headers", "stsSeconds");
  // Not a headers middleware (any more): a renamed or renumbered entry, not HSTS turned off.
  if (!fold(body, "headers"))
    return { key, label, line: body?.line ?? 1, path, maxAge: -1, text: "" };
  return {
    key,
    label,
    line: seconds?.line ?? body?.line ?? 1,
    path,
    maxAge: toNumber(seconds?.kind === "scalar" ? seconds.value : undefined) ?? 0,
    text: seconds?.kind === "scalar" ? `stsSeconds ${String(seconds.value)}` : "",
  };
}

function traefikHsts(tree: TreeNode): Hsts[] {
  const documents = tree.kind === "list" ? tree.items : [tree];
  return documents.flatMap((document) => {
    const http = childFold(document, "http");
    return entriesOf(fold(http?.[1], "middlewares")).map(([name, body]) =>
      traefikHeaders(body, `middleware:${name}`, `middleware ${name}`, `http.middlewares.${name}`),
    );
  });
}

function kubernetesHsts(tree: TreeNode): Hsts[] {
  return objectsOf(tree).flatMap((object) => {
    if (object.kind === "Middleware")
      return [
        traefikHeaders(
          child(object.body, "spec"),
          object.id,
          object.label,
          `${object.label}.spec.headers`,
        ),
      ];
    if (object.kind !== "ConfigMap") return [];
    const settings = nginxSettings(object);
    if (!settings) return [];
    // ingress-nginx sends HSTS by default (hsts "true", hsts-max-age 31536000; docs/lb-facts.md §P5b).
    const on = settings.get("hsts");
    const age = settings.get("hsts-max-age");
    const enabled = (on?.value ?? "true").toLowerCase() !== "false";
    const maxAge = enabled ? (toNumber(age?.value) ?? 31536000) : 0;
    return [
      {
        key: object.id,
        label: object.label,
        line: (enabled ? age : on)?.line ?? object.line,
        path: `${object.label}.data`,
        maxAge,
        text: `hsts: "true", hsts-max-age: "${maxAge}"`,
      },
    ];
  });
}

function hstsOf(dialect: Dialect, tree: TreeNode | null): Hsts[] {
  if (!tree) return [];
  if (dialect === "haproxy") return haproxyHsts(tree);
  if (dialect === "traefik") return traefikHsts(tree);
  if (dialect === "kubernetes") return kubernetesHsts(tree);
  return [];
}

/** HSTS turned off where it was sent: hardening removed (docs/risk.md, TLS). */
export default defineRule({
  id: "generic.tls.hsts-removed",
  family: "generic",
  title: "HSTS header removed",
  description:
    "A site that sent `Strict-Transport-Security` with a positive max-age no longer does: nginx `add_header` " +
    "(the nearest block's add_header set replaces inherited ones), HAProxy `http-response set-header`, a Traefik " +
    'headers middleware\'s `stsSeconds` (file or Middleware CRD), ingress-nginx `hsts: "false"` or `hsts-max-age: ' +
    '"0"`. High: hardening removed, browsers stop forcing HTTPS. An nginx header replaced by a newly added `include` ' +
    "(which may set it) is not judged.",
  severity: "high",
  params: {},
  dialects: ["nginx", "haproxy", "traefik", "kubernetes"],
  check(file) {
    if (file.dialect === "nginx") return nginxLosses(file.before, file.after);
    const old = new Map(hstsOf(file.dialect, file.before).map((entry) => [entry.key, entry]));
    const entries = hstsOf(file.dialect, file.after);
    const findings: Detection[] = [];
    for (const now of entries) {
      const was = old.get(now.key);
      if (!was || was.maxAge <= 0 || now.maxAge !== 0) continue;
      // The same HSTS now sent by another entry (a middleware renamed, a section moved) is not removed.
      if (entries.some((other) => other.maxAge === was.maxAge)) continue;
      findings.push(finding(now.line, now.label, was.text, was.text, now.path));
    }
    return findings;
  },
});
