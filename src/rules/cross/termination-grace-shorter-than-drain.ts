import { child, scalarAt } from "../../formats/tree.js";
import { formatSeconds, toNumber } from "../model/figures.js";
import { lineFix } from "../model/fix.js";
import { terraformResources } from "../model/iac/terraform.js";
import { parseTargetGroupAttributes } from "../model/kubernetes/aws-load-balancer-controller.js";
import { graceOf } from "../model/kubernetes/draining.js";
import { annotationsOf, type KubernetesObject } from "../model/kubernetes/objects.js";
import { BATCH_KINDS, preStopOf, type Workload } from "../model/kubernetes/workloads.js";
import {
  boundTargetGroups,
  byIdentity,
  frontsOf,
  isChanged,
  KUBERNETES_DIALECTS,
  memoBySide,
  objectsAcross,
  treesOf,
  workloadsAcross,
  type Placed,
  type Side,
} from "../model/workspace.js";
import { defineWorkspaceRule, type Workspace, type WorkspaceDetection } from "../types.js";

interface Drain {
  readonly seconds: number;
  readonly file: string;
  readonly line: number;
  /** `the deregistration delay of aws_lb_target_group.web`. */
  readonly source: string;
  /** The setting a reviewer would lower instead. */
  readonly setting: string;
  readonly explicit: boolean;
  /** A Terraform target group's `name`, to match the TargetGroupBinding that registers pods in it. */
  readonly groupName?: string | undefined;
}

const ATTRIBUTES: Readonly<Record<string, string>> = {
  Ingress: "alb.ingress.kubernetes.io/target-group-attributes",
  Service: "service.beta.kubernetes.io/aws-load-balancer-target-group-attributes",
};
const CLASSIC = "service.beta.kubernetes.io/aws-load-balancer-connection-draining";

/** Drains set on the objects in front of the workload (explicit values only, like the per-file rule). */
function objectDrains(fronts: readonly Placed<KubernetesObject>[]): Drain[] {
  const out: Drain[] = [];
  for (const { file, entity } of fronts) {
    const annotations = annotationsOf(entity);
    const name = ATTRIBUTES[entity.kind];
    const attributes = name === undefined ? undefined : annotations.get(name);
    const delay = toNumber(
      attributes &&
        parseTargetGroupAttributes(attributes.value).get("deregistration_delay.timeout_seconds"),
    );
    if (attributes && delay !== undefined)
      out.push({
        seconds: delay,
        file: file.path,
        line: attributes.line,
        source: `the deregistration delay of ${entity.label}`,
        setting: `deregistration_delay.timeout_seconds in ${name}`,
        explicit: true,
      });
    // Classic ELB connection draining, when enabled (https://kubernetes.io/docs/reference/labels-annotations-taints/#service-beta-kubernetes-io-aws-load-balancer-connection-draining-timeout).
    const timeout = annotations.get(`${CLASSIC}-timeout`);
    const seconds = toNumber(timeout?.value);
    if (
      entity.kind === "Service" &&
      timeout &&
      seconds !== undefined &&
      annotations.get(`${CLASSIC}-enabled`)?.value === "true"
    )
      out.push({
        seconds,
        file: file.path,
        line: timeout.line,
        source: `the connection draining of ${entity.label}`,
        setting: `${CLASSIC}-timeout`,
        explicit: true,
      });
  }
  return out;
}

/** GKE BackendConfig `spec.connectionDraining.drainingTimeoutSec` (default 0: no draining). */
function backendConfigDrains(configs: readonly Placed<KubernetesObject>[]): Drain[] {
  return configs.flatMap(({ file, entity }) => {
    const node = child(
      child(child(entity.body, "spec"), "connectionDraining"),
      "drainingTimeoutSec",
    );
    const seconds = node?.kind === "scalar" ? toNumber(node.value) : undefined;
    return node && seconds !== undefined
      ? [
          {
            seconds,
            file: file.path,
            line: node.line,
            source: `the connection draining of ${entity.label}`,
            setting: "spec.connectionDraining.drainingTimeoutSec",
            explicit: true,
          },
        ]
      : [];
  });
}

/**
 * Terraform target groups that register pods by IP (`target_type = "ip"`, as the AWS Load Balancer
 * Controller's TargetGroupBinding does), with their deregistration delay, 300 s by default
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#deregistration-delay).
 */
const terraformDrains = memoBySide((workspace: Workspace, side: Side): Drain[] =>
  treesOf(workspace, side, ["terraform"]).flatMap(({ file, entity: tree }) =>
    terraformResources(tree, ["aws_lb_target_group"]).flatMap((group) => {
      if (scalarAt(group.body, "target_type") !== "ip") return [];
      const node = child(group.body, "deregistration_delay");
      const written = node?.kind === "scalar" ? toNumber(node.value) : undefined;
      if (node && written === undefined) return [];
      const name = scalarAt(group.body, "name");
      return [
        {
          seconds: written ?? 300,
          file: file.path,
          line: node?.line ?? group.line,
          source: `the deregistration delay of aws_lb_target_group.${group.name}`,
          setting: `aws_lb_target_group.${group.name}.deregistration_delay`,
          explicit: written !== undefined,
          groupName: typeof name === "string" && !name.includes("${") ? name : undefined,
        },
      ];
    }),
  ),
);

/** The longest drain of a load balancer in front of the workload, set in another file. */
function longestDrain(
  workspace: Workspace,
  side: Side,
  workload: Placed<Workload>,
): Drain | undefined {
  const objects = objectsAcross(workspace, side);
  const fronts = frontsOf(workload.entity, objects);
  const groups = terraformDrains(workspace, side);
  const bound = groups.length > 0 ? boundTargetGroups(objects, fronts.services) : new Set<string>();
  const drains = [
    ...objectDrains([...fronts.services, ...fronts.ingresses]),
    ...backendConfigDrains(fronts.backendConfigs),
    ...groups.filter(
      (group) => bound === "any" || (group.groupName !== undefined && bound.has(group.groupName)),
    ),
  ].filter((drain) => drain.file !== workload.file.path);
  return drains.reduce<Drain | undefined>(
    (longest, drain) => (!longest || drain.seconds > longest.seconds ? drain : longest),
    undefined,
  );
}

/** Seconds a pod needs beyond the drain to finish and exit (judgement; docs/lb-facts.md §P7 Draining). */
const MARGIN_SECONDS = 10;

/**
 * A pod taken out of service is deregistered from the load balancer and sent SIGTERM at the same
 * time; the kubelet kills it when the grace period ends, while the load balancer may still be
 * draining connections to it (docs/lb-facts.md §P5a and §P7 Draining). The per-file rule
 * kubernetes.termination-grace.shorter-than-drain reads drains in the workload's own file; this
 * one reads the rest of the workspace.
 */
export default defineWorkspaceRule({
  id: "cross.termination-grace.shorter-than-drain",
  family: "cross",
  scope: "workspace",
  title: "Pod grace period shorter than a drain set in another file",
  description:
    "After the change, a workload's terminationGracePeriodSeconds (default 30) is shorter than the drain of a load " +
    "balancer in front of it set in another file of the workspace: a deregistration delay in the AWS Load Balancer " +
    "Controller's target-group-attributes annotation of its Service or Ingress, Classic ELB connection draining " +
    "(`service.beta.kubernetes.io/aws-load-balancer-connection-draining-timeout`), the GKE BackendConfig's " +
    '`connectionDraining.drainingTimeoutSec`, or a Terraform `aws_lb_target_group` with `target_type = "ip"` ' +
    "(`deregistration_delay`, default 300) that a TargetGroupBinding of its Service registers its pods in. High: pods are killed while the load balancer still sends them requests. " +
    "Fires only when the change creates the shortfall, cuts the grace period or lengthens the drain.",
  severity: "high",
  params: {},
  dialects: [...KUBERNETES_DIALECTS, "terraform"],
  check(workspace) {
    const out: WorkspaceDetection[] = [];
    const workloads = workloadsAcross(workspace, "after").filter(
      ({ entity }) => !BATCH_KINDS.has(entity.object.kind),
    );
    if (workloads.length === 0) return out;
    const oldWorkloads = byIdentity(
      workloadsAcross(workspace, "before"),
      (workload) => workload.object.id,
    );
    for (const workload of workloads) {
      const grace = graceOf(workload.entity);
      const drain = grace && longestDrain(workspace, "after", workload);
      if (!grace || !drain || grace.seconds >= drain.seconds) continue;
      const previous = oldWorkloads.get(workload.entity.object.id);
      const oldGrace = previous && graceOf(previous.entity);
      const oldDrain = previous && longestDrain(workspace, "before", previous);
      const was = oldGrace && oldDrain && oldGrace.seconds < oldDrain.seconds;
      const cut = oldGrace !== undefined && grace.seconds < oldGrace.seconds;
      const raised = oldDrain !== undefined && drain.seconds > oldDrain.seconds;
      if (was && !cut && !raised) continue;
      // Report in the file whose edit made the shortfall: the workload's (new, or grace cut), else the drain's.
      const drainFile = workspace.files.find((candidate) => candidate.path === drain.file);
      const drainEdited = drainFile !== undefined && isChanged(drainFile);
      const file =
        isChanged(workload.file) && (!previous || cut)
          ? workload.file.path
          : drainEdited && (raised || !oldDrain)
            ? drain.file
            : isChanged(workload.file)
              ? workload.file.path
              : drainEdited
                ? drain.file
                : undefined;
      if (!file) continue;
      // The pod must outlive the drain and its own preStop sleep, then get time to exit.
      const preStop = Math.max(
        0,
        ...workload.entity.containers.map((container) => preStopOf(container)?.seconds ?? 0),
      );
      const longest = Math.max(drain.seconds, preStop);
      const needed = longest + MARGIN_SECONDS;
      const graceText = `${formatSeconds(grace.seconds)}${grace.explicit ? "" : " (the default)"}`;
      const inWorkload = file === workload.file.path;
      const fix =
        inWorkload && grace.explicit && isChanged(workload.file)
          ? lineFix(workload.file, grace.line, [
              { keys: ["terminationGracePeriodSeconds"], value: needed },
            ])
          : undefined;
      out.push({
        file,
        line: inWorkload ? grace.line : drain.line,
        ...(fix ? { fix } : {}),
        severity: "high",
        message:
          `${workload.entity.object.label} (${workload.file.path}) gives its pods ${graceText} to terminate` +
          (cut ? ` (was ${formatSeconds(oldGrace.seconds)})` : "") +
          `, shorter than ${drain.source} in ${drain.file}, ${formatSeconds(drain.seconds)}` +
          (drain.explicit ? "" : " (the default)") +
          (raised && oldDrain ? ` (was ${formatSeconds(oldDrain.seconds)})` : "") +
          `. Pods are killed while the load balancer still drains them, so requests in flight are cut. ` +
          `Safe: set terminationGracePeriodSeconds ≥ ${needed} (${longest === drain.seconds ? "drain" : "preStop sleep"} ${longest} s + ${MARGIN_SECONDS} s)${grace.seconds > 0 ? `, or lower ${drain.setting} below ${grace.seconds}` : ""}.`,
        // What moved: the drain raised past the grace period, else the grace period.
        ...(raised && !cut && oldDrain
          ? { before: oldDrain.seconds, after: drain.seconds }
          : { before: oldGrace?.seconds ?? null, after: grace.seconds }),
        figures: {
          terminationGraceSeconds: grace.seconds,
          drainSeconds: drain.seconds,
          safeTerminationGraceSeconds: needed,
          ...(preStop > 0 ? { preStopSleepSeconds: preStop } : {}),
        },
        checklist: [
          `Confirm the pods of ${workload.entity.object.label} outlive ${drain.source} (${formatSeconds(drain.seconds)}) once taken out of the load balancer.`,
        ],
      });
    }
    return out;
  },
});
