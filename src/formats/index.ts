import { detectDialect, type Dialect } from "./dialect.js";
import { hiddenActionLines, looksLikeTemplate, neutraliseTemplate } from "./helm-template.js";
import { parseHaproxy } from "./haproxy.js";
import { parseHcl } from "./hcl.js";
import { parseJson } from "./json.js";
import { parseNginx } from "./nginx.js";
import { isTerraformJsonPath, terraformJsonTree } from "./terraform-json.js";
import { parseToml } from "./toml.js";
import type { TreeNode } from "./tree.js";
import type { Format, Parser, Problem } from "./types.js";
import { parseYaml } from "./yaml.js";

export type { Format } from "./types.js";

const PARSERS: Record<Exclude<Format, "text">, Parser> = {
  yaml: parseYaml,
  json: parseJson,
  hcl: parseHcl,
  toml: parseToml,
  nginx: parseNginx,
  haproxy: parseHaproxy,
};

const NGINX_CONTENT =
  /^\s*(?:(?:http|events|stream|server|upstream|location)\b[^;{}]*\{|(?:proxy_pass|listen|server_name|worker_processes)\s)/m;
/** A template action where a YAML value or item starts (not inside a quoted string). */
const UNQUOTED_ACTION = /^\s*(?:-\s+|[^'"#\s][^:#]*:\s+)?\{\{/m;

/** Whether parseSource reads YAML `source` as a Helm template first (an unquoted action in it). */
export function readsAsTemplateFirst(source: string): boolean {
  return UNQUOTED_ACTION.test(source);
}

const NGINX_DIRECTIVE = /^\s*[a-z_][a-z0-9_]*(\s+[^;{}\n]+)?;\s*(#.*)?$/m;
const HAPROXY_CONTENT = /^\s*(?:frontend|backend|listen)\s+\S+|^\s*defaults\b|^\s*global\s*$/m;

/**
 * The format a file is written in, from its name first and its content second;
 * undefined when it is not a configuration file Changegate reads.
 */
export function detectFormat(path: string, content: string | null): Format | undefined {
  const name = (path.split("/").pop() ?? path).toLowerCase();
  const text = content ?? "";
  // Go templates only (Helm's `_helpers.tpl`): text, reported when they change, never parsed.
  if (/\.tpl$/.test(name)) return "text";
  if (/\.tf\.json$/.test(name)) return "json";
  if (/\.(tf|tfvars|hcl)$/.test(name)) return "hcl";
  if (/\.ya?ml$/.test(name)) return "yaml";
  if (/\.json$/.test(name)) return "json";
  if (/\.toml$/.test(name)) return "toml";
  if (/haproxy.*\.cfg$|\.haproxy$/.test(name)) return "haproxy";
  if (/nginx.*\.conf$|\.nginx$|\.nginxconf$/.test(name)) return "nginx";
  if (/\.cfg$/.test(name) && HAPROXY_CONTENT.test(text)) return "haproxy";
  if (/\.conf$/.test(name) && NGINX_CONTENT.test(text)) return "nginx";
  if (/\.conf$/.test(name) && HAPROXY_CONTENT.test(text)) return "haproxy";
  // An nginx fragment (e.g. an `include`d TLS policy): directives ending in `;`.
  if (/\.conf$/.test(name) && NGINX_DIRECTIVE.test(text)) return "nginx";
  return undefined;
}

/** One side of a file, parsed: a tree, or the problems that kept it from parsing. */
export type ParsedSide =
  | {
      readonly ok: true;
      readonly tree: TreeNode;
      readonly format: Format;
      readonly template: boolean;
      readonly warnings: Problem[];
    }
  | {
      readonly ok: false;
      readonly format: Format;
      readonly template: boolean;
      readonly problems: Problem[];
    };

/**
 * Parses one side of a file. `path`, when given, lets the syntax carry a dialect's shape: Terraform
 * JSON (`*.tf.json`, `*.tfvars.json`) yields the tree its native-syntax twin would.
 */
export function parseSource(format: Format, source: string, path?: string): ParsedSide {
  if (format === "json" && path !== undefined && isTerraformJsonPath(path)) {
    const result = parseJson(source);
    if (!result.ok) return { ok: false, format, template: false, problems: result.problems };
    // HCL's JSON syntax keeps every definition of a repeated property
    // (https://github.com/hashicorp/hcl/blob/main/json/spec.md#blocks); the tree holds one, so
    // the others could change unjudged: the file cannot be read whole.
    const duplicates = result.warnings.filter((warning) => warning.code === "parse.duplicate-key");
    if (duplicates.length > 0)
      return {
        ok: false,
        format,
        template: false,
        problems: duplicates.map((warning) => ({
          code: "parse.unsupported",
          line: warning.line,
          message: `${warning.message.replace(/:.*$/, "")}: Terraform reads every definition, Changegate only one (write the blocks in one object, or in an array)`,
        })),
      };
    const values = /\.tfvars\.json$/i.test(path);
    return {
      ok: true,
      tree: terraformJsonTree(result.tree, values),
      format,
      template: false,
      warnings: result.warnings,
    };
  }
  if (format === "text") return { ok: false, format, template: true, problems: [] };
  // An unquoted action (`name: {{ .Release.Name }}`) can parse as a YAML flow map: neutralise
  // template actions first, so both sides of a change read them the same way.
  if (format === "yaml" && readsAsTemplateFirst(source)) {
    const neutralised = parseYaml(neutraliseTemplate(source));
    if (neutralised.ok)
      return { ok: true, tree: neutralised.tree, format, template: true, warnings: [] };
  }
  const result = PARSERS[format](source);
  if (result.ok)
    return { ok: true, tree: result.tree, format, template: false, warnings: result.warnings };
  // Helm templates: YAML with `{{ }}` actions. Never a parse failure of an infra file.
  if (format === "yaml" && looksLikeTemplate(source)) {
    const neutralised = parseYaml(neutraliseTemplate(source));
    if (neutralised.ok)
      return { ok: true, tree: neutralised.tree, format, template: true, warnings: [] };
    return { ok: false, format: "text", template: true, problems: [] };
  }
  // Other templated configs (consul-template nginx, Go-templated TOML) are text until rendered.
  if (looksLikeTemplate(source) && /\{\{-?\s*(range|if|with|end|template|define)\b/.test(source)) {
    return { ok: false, format: "text", template: true, problems: [] };
  }
  return { ok: false, format, template: false, problems: result.problems };
}

export { detectDialect, type Dialect };
export { hiddenActionLines, isTerraformJsonPath };
