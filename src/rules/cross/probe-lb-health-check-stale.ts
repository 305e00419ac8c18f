import { at, child, itemsOf, scalarAt, type Scalar, type TreeNode } from "../../formats/tree.js";
import { firstBlock, terraformResources } from "../model/iac/terraform.js";
import { annotationsOf } from "../model/kubernetes/objects.js";
import { BATCH_KINDS, containerNamed, type Workload } from "../model/kubernetes/workloads.js";
import {
  boundTargetGroups,
  byIdentity,
  frontsOf,
  isChanged,
  KUBERNETES_DIALECTS,
  objectsAcross,
  treesOf,
  workloadsAcross,
  type Placed,
} from "../model/workspace.js";
import { defineWorkspaceRule, type WorkspaceDetection } from "../types.js";

/** A load balancer's health check as written in another file: what it requests, and how to change it. */
interface LbCheck {
  readonly file: string;
  readonly label: string;
  readonly line: number;
  readonly path: string | undefined;
  readonly port: string | undefined;
  /** The setting a reviewer edits, e.g. `alb.ingress.kubernetes.io/healthcheck-path`. */
  readonly pathSetting: string;
  readonly portSetting: string;
}

const text = (value: Scalar | undefined): string | undefined =>
  value === undefined || value === null ? undefined : String(value);

// AWS Load Balancer Controller annotations (Ingress: ALB; Service: NLB), docs/lb-facts.md §4.
const ANNOTATIONS = [
  { kind: "Ingress", prefix: "alb.ingress.kubernetes.io/healthcheck-", balancer: "ALB" },
  {
    kind: "Service",
    prefix: "service.beta.kubernetes.io/aws-load-balancer-healthcheck-",
    balancer: "NLB",
  },
] as const;

/** The health checks of the load balancers in front of a workload, in files other than its own. */
function checksInFront(
  workload: Placed<Workload>,
  objects: Parameters<typeof frontsOf>[1],
  terraform: ReturnType<typeof treesOf>,
): LbCheck[] {
  const fronts = frontsOf(workload.entity, objects);
  const out: LbCheck[] = [];
  for (const { file, entity } of [...fronts.ingresses, ...fronts.services]) {
    const scheme = ANNOTATIONS.find((candidate) => candidate.kind === entity.kind);
    if (!scheme || file.path === workload.file.path) continue;
    const annotations = annotationsOf(entity);
    const path = annotations.get(`${scheme.prefix}path`);
    const port = annotations.get(`${scheme.prefix}port`);
    if (!path && !port) continue;
    out.push({
      file: file.path,
      label: `the ${scheme.balancer} health check of ${entity.label}`,
      line: (path ?? port)!.line,
      path: path?.value,
      port: port?.value,
      pathSetting: `${scheme.prefix}path`,
      portSetting: `${scheme.prefix}port`,
    });
  }
  for (const { file, entity } of fronts.backendConfigs) {
    if (file.path === workload.file.path) continue;
    const check = child(child(entity.body, "spec"), "healthCheck");
    if (!check) continue;
    out.push({
      file: file.path,
      label: `the health check of ${entity.label}`,
      line: check.line,
      path: text(scalarAt(check, "requestPath")),
      port: text(scalarAt(check, "port")),
      pathSetting: "spec.healthCheck.requestPath",
      portSetting: "spec.healthCheck.port",
    });
  }
  // A Terraform target group names no pod: one whose check requests the probe's old path or port is
  // taken as the workload's (the workspace is the change's own directory or chart), unless a TargetGroupBinding
  // of the Service in front names the groups its pods are registered in.
  const bound = terraform.length > 0 ? boundTargetGroups(objects, fronts.services) : "any";
  for (const { file, entity: tree } of terraform) {
    for (const group of terraformResources(tree, ["aws_lb_target_group"])) {
      const check = firstBlock(group.body, "health_check");
      if (!check) continue;
      const name = scalarAt(group.body, "name");
      if (bound !== "any" && bound.size > 0 && !(typeof name === "string" && bound.has(name)))
        continue;
      out.push({
        file: file.path,
        label: `the health check of aws_lb_target_group.${group.name}`,
        line: check.line,
        path: text(scalarAt(check, "path")),
        port: text(scalarAt(check, "port")),
        pathSetting: `aws_lb_target_group.${group.name}.health_check.path`,
        portSetting: `aws_lb_target_group.${group.name}.health_check.port`,
      });
    }
  }
  return out;
}

interface ProbeTarget {
  readonly path: string | undefined;
  readonly port: string | undefined;
  /** The port as a number where the container names it (`http` → `8080`): what the probe really requests. */
  readonly portNumber: string | undefined;
  readonly pathLine: number;
  readonly portLine: number;
}

/** A named probe port resolved through the container's own `ports` (Kubernetes resolves it the same way). */
function portNumber(container: TreeNode | undefined, port: string | undefined): string | undefined {
  if (port === undefined || /^\d+$/.test(port)) return port;
  const named = itemsOf(child(container, "ports")).find(
    (entry) => scalarAt(entry, "name") === port,
  );
  return text(scalarAt(named, "containerPort")) ?? port;
}

function readinessTarget(body: TreeNode | undefined): ProbeTarget | undefined {
  const get = at(body, "readinessProbe", "httpGet");
  if (!get) return undefined;
  const port = text(scalarAt(get, "port"));
  return {
    path: text(scalarAt(get, "path")) ?? "/",
    port,
    portNumber: portNumber(body, port),
    pathLine: child(get, "path")?.line ?? get.line,
    portLine: child(get, "port")?.line ?? get.line,
  };
}

/**
 * The load balancer decides which targets get traffic by its own health check, not by the pod's
 * readiness probe: when the app moves its health endpoint (the probe follows) and the load
 * balancer keeps requesting the old one, every target fails the load balancer's check
 * (docs/risk.md, "Healthy targets are ejected").
 */
export default defineWorkspaceRule({
  id: "cross.probe.lb-health-check-stale",
  family: "cross",
  scope: "workspace",
  title: "Readiness probe moved, the load balancer's health check in another file did not",
  description:
    "A workload's readiness probe (httpGet) changes its path or port while a load balancer health check set in another " +
    "file of the workspace still requests the old one: an AWS Load Balancer Controller annotation on the Ingress or " +
    "Service in front of it (`alb.ingress.kubernetes.io/healthcheck-path`/`-port`, " +
    "`service.beta.kubernetes.io/aws-load-balancer-healthcheck-path`/`-port`), the GKE BackendConfig its Service names " +
    "(`spec.healthCheck.requestPath`/`port`), or a Terraform `aws_lb_target_group` `health_check` (high: once the app " +
    "stops serving the old endpoint, every target fails the load balancer's check).",
  severity: "high",
  params: {},
  dialects: KUBERNETES_DIALECTS,
  check(workspace) {
    const out: WorkspaceDetection[] = [];
    const oldWorkloads = byIdentity(
      workloadsAcross(workspace, "before"),
      (workload) => workload.object.id,
    );
    const changed = workloadsAcross(workspace, "after").filter(
      ({ file, entity }) => isChanged(file) && !BATCH_KINDS.has(entity.object.kind),
    );
    if (changed.length === 0) return out;
    const objects = objectsAcross(workspace, "after");
    const terraform = treesOf(workspace, "after", ["terraform"]);
    for (const workload of changed) {
      const previous = oldWorkloads.get(workload.entity.object.id)?.entity;
      if (!previous) continue;
      let checks: LbCheck[] | undefined;
      for (const container of workload.entity.containers) {
        const now = readinessTarget(container.body);
        const was = readinessTarget(containerNamed(previous, container)?.body);
        if (!now || !was) continue;
        const pathMoved = now.path !== was.path;
        const portMoved = now.portNumber !== was.portNumber;
        if (!pathMoved && !portMoved) continue;
        checks ??= checksInFront(workload, objects, terraform);
        for (const check of checks) {
          const stalePath = pathMoved && check.path === was.path;
          const stalePort =
            portMoved &&
            check.port !== undefined &&
            (check.port === was.port || check.port === was.portNumber);
          if (!stalePath && !stalePort) continue;
          const what = stalePath ? `path ${was.path}` : `port ${was.port}`;
          const setting = stalePath
            ? `${check.pathSetting} to ${now.path}`
            : `${check.portSetting} to ${now.port}`;
          out.push({
            file: workload.file.path,
            line: stalePath ? now.pathLine : now.portLine,
            severity: "high",
            message:
              `the readiness probe of ${workload.entity.object.label} now checks ${now.path} on port ${now.port} ` +
              `(was ${was.path} on port ${was.port}), but ${check.label} (${check.file} line ${check.line}) still requests ${what}: ` +
              `once the app stops serving it, every target fails the load balancer's check and gets no traffic. ` +
              `Safe: set ${setting} in ${check.file} in the same change, or keep serving ${what}.`,
            before: stalePath ? (was.path ?? null) : (was.port ?? null),
            after: stalePath ? (now.path ?? null) : (now.port ?? null),
            figures: {
              probePath: now.path ?? "",
              probePathBefore: was.path ?? "",
              loadBalancerCheckPath: check.path ?? "",
            },
            checklist: [
              `Confirm the app still answers the ${what} of ${check.label} after this rollout, or move the load balancer's check with it.`,
            ],
          });
        }
      }
    }
    return out;
  },
});
