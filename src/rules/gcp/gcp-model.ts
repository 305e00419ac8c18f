// Google Cloud load-balancing resources from Terraform (terraform-provider-google), as the gcp rules
// see them. Defaults: LB-FACTS.md §5 and the provider schemas (connection_draining_timeout_sec: 300
// for google_compute_backend_service, 0 for google_compute_region_backend_service).
import { child, itemsOf, type Scalar, type TreeNode } from "../../formats/tree.js";
import { terraformResources } from "../model/terraform.js";
import {
  settingOf,
  stringOf,
  terraformArguments,
  terraformPath,
  valueOf,
  type Setting,
} from "../aws/iac-settings.js";
import { toNumber } from "../model/figures.js";

export interface BackendService {
  readonly key: string;
  readonly label: string;
  readonly path: string;
  readonly line: number;
  readonly regional: boolean;
  readonly scheme: Setting;
  readonly drainingTimeout: Setting;
  readonly localityPolicy: Setting;
  readonly sessionAffinity: Setting;
  /** Backends by the instance group or NEG they name; undefined when not all can be read. */
  readonly backends: readonly Backend[] | undefined;
}

export interface Backend {
  /** The `group` as written (a reference or a self link): its identity. */
  readonly group: string;
  readonly line: number;
  /** capacity_scaler (default 1); undefined when it is an expression. */
  readonly capacityScaler: number | undefined;
  /** Line of capacity_scaler, or of the block when it is not written. */
  readonly capacityLine: number;
}

export function backendServicesOf(tree: TreeNode | null): BackendService[] {
  if (!tree) return [];
  return terraformResources(tree, [
    "google_compute_backend_service",
    "google_compute_region_backend_service",
  ]).map((resource) => {
    const body = resource.body;
    const regional = resource.type === "google_compute_region_backend_service";
    const at = terraformArguments(resource);
    const scheme = at("load_balancing_scheme", regional ? "INTERNAL" : "EXTERNAL");
    return {
      key: `${resource.type}.${resource.name}`,
      label: `backend service "${resource.name}"`,
      path: resource.path,
      line: resource.line,
      regional,
      scheme,
      drainingTimeout: at("connection_draining_timeout_sec", regional ? 0 : 300),
      // API default: MAGLEV for regional EXTERNAL (passthrough) services, ROUND_ROBIN otherwise (S21).
      localityPolicy: at("locality_lb_policy", defaultLocalityPolicy(regional, stringOf(scheme))),
      sessionAffinity: at("session_affinity", "NONE"),
      backends: backendsOf(body),
    };
  });
}

/** Unknowable when the scheme is an expression on a regional service. */
function defaultLocalityPolicy(regional: boolean, scheme: string | undefined): string | undefined {
  if (!regional) return "ROUND_ROBIN";
  if (scheme === undefined) return undefined;
  return scheme.toUpperCase() === "EXTERNAL" ? "MAGLEV" : "ROUND_ROBIN";
}

function backendsOf(body: TreeNode): Backend[] | undefined {
  if (child(child(body, "dynamic"), "backend")) return undefined;
  const out: Backend[] = [];
  for (const block of itemsOf(child(body, "backend"))) {
    const group = child(block, "group");
    if (group?.kind !== "scalar" || typeof group.value !== "string") return undefined;
    const scaler = settingOf(block, "capacity_scaler", 1, block.line);
    out.push({
      group: group.value,
      line: block.line,
      capacityScaler: toNumber(valueOf(scaler)),
      capacityLine: scaler.line,
    });
  }
  return out;
}

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
export const DEFAULT_PORTS: Record<string, number> = {
  HTTP: 80,
  HTTPS: 443,
  HTTP2: 443,
  TCP: 80,
  SSL: 443,
};

export const PROBE_FIELDS = [
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
