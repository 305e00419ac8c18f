import { child, itemsOf, type TreeNode } from "../../formats/tree.js";
import { haproxySections } from "../model/haproxy/sections.js";
import { nginxBlocks, passedUpstream } from "../model/nginx/blocks.js";
import { upstreamsOf } from "../model/nginx/upstreams.js";
import { isChanged, treesOf, type Side } from "../model/workspace.js";
import { defineWorkspaceRule, type Workspace, type WorkspaceDetection } from "../types.js";

/** A named pool (`upstream NAME`, `backend NAME`) and where it is defined. */
interface Definition {
  readonly file: string;
  readonly line: number;
}

/** A place that sends traffic to a pool by name. */
interface Reference {
  readonly file: string;
  readonly line: number;
  /** `proxy_pass http://app`, `use_backend api`. */
  readonly text: string;
  readonly name: string;
  /** The namespace of names: nginx http, nginx stream, HAProxy. */
  readonly scope: string;
}

const PASS_DIRECTIVES = ["proxy_pass", "grpc_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass"];

const nameKey = (scope: string, name: string): string => `${scope}\u0000${name}`;

function definitions(workspace: Workspace, side: Side): Map<string, Definition[]> {
  const out = new Map<string, Definition[]>();
  const add = (scope: string, name: string, definition: Definition): void => {
    const list = out.get(nameKey(scope, name));
    if (list) list.push(definition);
    else out.set(nameKey(scope, name), [definition]);
  };
  for (const { file, entity: tree } of treesOf(workspace, side, ["nginx"]))
    for (const upstream of upstreamsOf(tree))
      add(upstream.stream ? "nginx stream" : "nginx", upstream.name, {
        file: file.path,
        line: upstream.line,
      });
  for (const { file, entity: tree } of treesOf(workspace, side, ["haproxy"]))
    for (const section of haproxySections(tree))
      if ((section.kind === "backend" || section.kind === "listen") && section.name)
        add("haproxy", section.name, { file: file.path, line: section.line });
  return out;
}

// HAProxy switching rules: `use_backend NAME [if|unless COND]`, `default_backend NAME`; a name built
// from a sample (`%[...]`) is decided at run time (https://docs.haproxy.org/2.8/configuration.html#4.2-use_backend).
function haproxyReferences(file: string, body: TreeNode): Reference[] {
  const out: Reference[] = [];
  for (const keyword of ["use_backend", "default_backend"]) {
    for (const node of itemsOf(child(body, keyword))) {
      if (node.kind !== "scalar" || typeof node.value !== "string") continue;
      const name = node.value.trim().split(/\s+/)[0] ?? "";
      if (name === "" || name.includes("%[")) continue;
      out.push({
        file,
        line: node.line,
        text: `${keyword} ${name}`,
        name,
        scope: "haproxy",
      });
    }
  }
  return out;
}

function references(workspace: Workspace): Reference[] {
  const out: Reference[] = [];
  for (const { file, entity: tree } of treesOf(workspace, "after", ["nginx"]))
    for (const block of nginxBlocks(tree)) {
      const name = passedUpstream(block.body);
      if (name === undefined) continue;
      const directive = PASS_DIRECTIVES.find((candidate) => child(block.body, candidate));
      const node = directive === undefined ? undefined : child(block.body, directive);
      out.push({
        file: file.path,
        line: node?.line ?? block.body.line,
        text: node?.kind === "scalar" ? `${directive} ${String(node.value)}` : name,
        name,
        scope: block.stream ? "nginx stream" : "nginx",
      });
    }
  for (const { file, entity: tree } of treesOf(workspace, "after", ["haproxy"]))
    for (const section of haproxySections(tree))
      if (section.kind !== "backend") out.push(...haproxyReferences(file.path, section.body));
  return out;
}

/**
 * nginx reads `proxy_pass http://NAME` as an upstream group when one is defined, else as a host
 * name it must resolve when it loads (https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_pass);
 * HAProxy refuses a configuration whose switching rule names a backend that does not exist. The
 * per-file rules see a pool removed in its own file; this one sees the users in other files.
 */
export default defineWorkspaceRule({
  id: "cross.upstream.reference-broken",
  family: "cross",
  scope: "workspace",
  title: "A pool removed or renamed while another file still sends traffic to it",
  description:
    "After the change, an nginx `proxy_pass` (or `grpc_pass`, `fastcgi_pass` …) names an `upstream` that the workspace " +
    "defined before the change and no longer defines, or an HAProxy `use_backend` / `default_backend` names a backend " +
    "that no longer exists, and the reference and the definition sit in different files (high: HAProxy refuses the " +
    "configuration; nginx takes the name for a host name and fails to load when it does not resolve, or sends the " +
    "traffic wherever it does).",
  severity: "high",
  params: {},
  dialects: ["nginx", "haproxy"],
  check(workspace) {
    const out: WorkspaceDetection[] = [];
    const before = definitions(workspace, "before");
    if (before.size === 0) return out;
    const after = definitions(workspace, "after");
    const changed = new Set(workspace.files.filter(isChanged).map((file) => file.path));
    for (const reference of references(workspace)) {
      const key = nameKey(reference.scope, reference.name);
      const old = before.get(key);
      if (after.has(key) || !old) continue;
      // Removed from the file that uses it: the per-file rules' finding.
      if (old.some((definition) => definition.file === reference.file)) continue;
      const removedFrom = old.find((definition) => changed.has(definition.file));
      const where = changed.has(reference.file)
        ? { file: reference.file, line: reference.line }
        : removedFrom
          ? { file: removedFrom.file, line: removedFrom.line }
          : undefined;
      if (!where) continue;
      const haproxy = reference.scope === "haproxy";
      const pool = haproxy ? `backend ${reference.name}` : `upstream ${reference.name}`;
      const definedIn = [...new Set(old.map((definition) => definition.file))].join(", ");
      out.push({
        ...where,
        severity: "high",
        message:
          `${reference.text} (${reference.file} line ${reference.line}) names ${pool}, which ${definedIn} defined before this change and no file of the workspace defines after it: ` +
          (haproxy
            ? "HAProxy refuses the configuration (no such backend), so the reload fails or, on a fresh start, nothing is served."
            : `nginx then takes ${reference.name} for a host name: it fails to load when the name does not resolve, and sends the traffic wherever it does.`) +
          ` Safe: keep \`${pool}\` (or rename it) in the same change as every ${haproxy ? "use_backend/default_backend" : "proxy_pass"} that names it.`,
        before: reference.name,
        after: null,
        figures: { pool: reference.name },
        checklist: [
          `Confirm every place that sends traffic to ${pool} was updated (search the whole configuration, includes too).`,
        ],
      });
    }
    return out;
  },
});
