// Google Cloud health checks from Terraform (terraform-provider-google): what each one probes, as the gcp
// rules see it (Compute API health-check docs, docs/lb-facts.md §5a).
import { child, itemsOf, type Scalar, type TreeNode } from "../../../formats/tree.js";
import { settingOf, type Setting } from "../iac/settings.js";
import { terraformPath, terraformResources } from "../iac/terraform.js";

/** The probe of a health check: its type block and what it asks. */
export interface HealthProbe {
  readonly key: string;
  readonly label: string;
  readonly path: string;
  readonly line: number;
  /** HTTP, HTTPS, HTTP2, TCP, SSL, GRPC, GRPC_TLS; undefined when not readable. */
  readonly type: string | undefined;
  readonly typeLine: number;
  readonly fields: ReadonlyMap<string, Setting>;
}

const TYPE_BLOCKS: Record<string, string> = {
  http_health_check: "HTTP",
  https_health_check: "HTTPS",
  http2_health_check: "HTTP2",
  tcp_health_check: "TCP",
  ssl_health_check: "SSL",
  grpc_health_check: "GRPC",
  grpc_tls_health_check: "GRPC_TLS",
};

/** Port a check uses when none is set (Compute API health-check docs). */
const DEFAULT_PORTS: Record<string, number> = {
  HTTP: 80,
  HTTPS: 443,
  HTTP2: 443,
  TCP: 80,
  SSL: 443,
};

const PROBE_FIELDS = [
  "port",
  "port_name",
  "port_specification",
  "request_path",
  "host",
  "response",
  "grpc_service_name",
] as const;

export function healthProbesOf(tree: TreeNode | null): HealthProbe[] {
  if (!tree) return [];
  const modern = terraformResources(tree, [
    "google_compute_health_check",
    "google_compute_region_health_check",
  ]).map((resource) => {
    const present = Object.entries(TYPE_BLOCKS).filter(([block]) => child(resource.body, block));
    const [blockName, type] = present.length === 1 ? present[0]! : [undefined, undefined];
    const block = blockName ? itemsOf(child(resource.body, blockName))[0] : undefined;
    const fields = new Map<string, Setting>();
    for (const field of PROBE_FIELDS) {
      const path = blockName
        ? terraformPath(resource.type, resource.name, blockName, field)
        : resource.path;
      fields.set(
        field,
        settingOf(block, field, defaultFor(field, type), block?.line ?? resource.line, path),
      );
    }
    return {
      key: `${resource.type}.${resource.name}`,
      label: `health check "${resource.name}"`,
      path: resource.path,
      line: resource.line,
      type,
      typeLine: block?.line ?? resource.line,
      fields,
    };
  });
  const legacy = terraformResources(tree, [
    "google_compute_http_health_check",
    "google_compute_https_health_check",
  ]).map((resource) => {
    const type = resource.type === "google_compute_http_health_check" ? "HTTP" : "HTTPS";
    const fields = new Map<string, Setting>();
    for (const field of ["port", "request_path", "host"]) {
      fields.set(
        field,
        settingOf(
          resource.body,
          field,
          defaultFor(field, type),
          resource.line,
          terraformPath(resource.type, resource.name, field),
        ),
      );
    }
    return {
      key: `${resource.type}.${resource.name}`,
      label: `health check "${resource.name}"`,
      path: resource.path,
      line: resource.line,
      type,
      typeLine: resource.line,
      fields,
    };
  });
  return [...modern, ...legacy];
}

function defaultFor(field: string, type: string | undefined): Scalar | undefined {
  switch (field) {
    case "port":
      return type ? DEFAULT_PORTS[type] : undefined;
    case "request_path":
      return type?.startsWith("HTTP") ? "/" : undefined;
    case "host":
    case "response":
    case "port_name":
    case "grpc_service_name":
      return "";
    default:
      return undefined;
  }
}
