import picomatch from "picomatch";
import { detectDialect, detectFormat, isTerraformJsonPath, parseSource } from "../formats/index.js";
import { isPolicyFile } from "../shared/names.js";
import type { Format } from "../formats/types.js";

export interface FileSelection {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly formatOverride: (path: string) => Format | undefined;
}

/**
 * Whether a changed file is infrastructure configuration Changegate must judge.
 * Terraform (native and JSON syntax, variable values included), nginx and HAProxy files and Helm
 * named templates always are; YAML/JSON/TOML only when their content is (Kubernetes,
 * CloudFormation, Envoy, Traefik, Helm values and templates, compose, a Changegate policy) or the
 * policy includes them.
 */
export function isInfraFile(
  path: string,
  content: string | null,
  selection: FileSelection,
): boolean {
  const matches = (globs: readonly string[]): boolean =>
    globs.length > 0 && picomatch([...globs], { dot: true })(path);
  if (matches(selection.exclude)) return false;
  if (isPolicyFile(path)) return true;
  if (matches(selection.include) || selection.formatOverride(path)) return true;
  if (isTerraformJsonPath(path)) return true;
  // Helm named templates (`templates/_helpers.tpl`): every manifest that includes one renders
  // what it defines (https://helm.sh/docs/chart_template_guide/named_templates/).
  if (/(^|\/)templates\/(?:[^/]+\/)*[^/]+\.tpl$/.test(path)) return true;
  const format = detectFormat(path, content);
  if (!format) return false;
  if (format === "hcl" || format === "nginx" || format === "haproxy") return true;
  if (/(^|\/)\.github\/workflows\//.test(path)) return false;
  // Helm templates, in `templates/` or a folder of it (every file there is rendered: https://helm.sh/docs/chart_template_guide/getting_started).
  if (/(^|\/)templates\/(?:[^/]+\/)*[^/]+\.ya?ml$/.test(path) && content?.includes("{{"))
    return true;
  if (content === null) return false;
  return classify(path, format, content);
}

/** The extensions of the formats whose text tells whether a file is infrastructure. */
const CONFIG_EXTENSION = /\.(ya?ml|json|toml|cfg|conf)$/i;

/** JSON that is never infrastructure: package manifests and compiler settings. */
const NEVER_CONFIG = /(^|\/)(package(-lock)?|tsconfig|composer)\.json$/;

/**
 * Whether a file may be infrastructure by its name alone, before its text is read (the App's
 * loaders and the CLI pick candidates and context with it, so both read the same files):
 * `isInfraFile` by path, or a config extension whose content decides. A file that cannot costs no read.
 */
export function couldBeInfraFile(path: string, selection: FileSelection): boolean {
  if (isInfraFile(path, null, selection)) return true;
  if (selection.exclude.length > 0 && picomatch([...selection.exclude], { dot: true })(path))
    return false;
  return CONFIG_EXTENSION.test(path) && !NEVER_CONFIG.test(path);
}

/**
 * `couldBeInfraFile` for a changed file: a rename by either name (renamed away from
 * infrastructure is a removal), so the App's loaders and the CLI read the same changes.
 */
export function couldBeInfraChange(
  path: string,
  previousPath: string | undefined,
  selection: FileSelection,
): boolean {
  return (
    couldBeInfraFile(path, selection) ||
    (previousPath !== undefined &&
      previousPath !== path &&
      couldBeInfraFile(previousPath, selection))
  );
}

/** Byte budget for sniffing content: big files are classified by their first part. */
const SNIFF_BYTES = 64 * 1024;

function classify(path: string, format: Format, content: string): boolean {
  const parsed = parseSource(
    format,
    content.length > SNIFF_BYTES * 4 ? content.slice(0, SNIFF_BYTES * 4) : content,
    path,
  );
  if (!parsed.ok)
    return (
      format === "yaml" &&
      /apiVersion:|AWSTemplateFormatVersion|static_resources|loadBalancer/.test(content)
    );
  return detectDialect(path, parsed.format, parsed.tree) !== "generic";
}
