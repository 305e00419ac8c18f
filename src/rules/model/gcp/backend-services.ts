// Google Cloud backend services from Terraform (terraform-provider-google), as the gcp rules see them.
// Defaults: docs/lb-facts.md §5 and the provider schemas (connection_draining_timeout_sec: 300
// for google_compute_backend_service, 0 for google_compute_region_backend_service).
import { child, itemsOf, type TreeNode } from "../../../formats/tree.js";
import { toNumber } from "../figures.js";
import { settingOf, stringOf, valueOf, type Setting } from "../iac/settings.js";
import { terraformArguments, terraformResources } from "../iac/terraform.js";
import { memoByNode } from "../memo.js";

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
  return tree ? backendServicesOfTree(tree) : [];
}

/** Extracted once per tree (several rules read it). */
const backendServicesOfTree = memoByNode((tree: TreeNode): BackendService[] =>
  terraformResources(tree, [
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
      // API default: MAGLEV for regional EXTERNAL (passthrough) services, ROUND_ROBIN otherwise (docs/lb-facts.md §5b).
      localityPolicy: at("locality_lb_policy", defaultLocalityPolicy(regional, stringOf(scheme))),
      sessionAffinity: at("session_affinity", "NONE"),
      backends: backendsOf(body),
    };
  }),
);

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
