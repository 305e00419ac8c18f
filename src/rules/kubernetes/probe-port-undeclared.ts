import { key } from "../../diff/path.js";
import { child, type TreeNode } from "../../formats/tree.js";
import { lineFix } from "../model/fix.js";
import { isTemplated, objectsOf } from "../model/kubernetes/objects.js";
import {
  BATCH_KINDS,
  type Container,
  containerNamed,
  containerPorts,
  portResolves,
  type Workload,
  workloadPath,
  workloadsOf,
} from "../model/kubernetes/workloads.js";
import { pairBy } from "../model/pairs.js";
import { defineRule, type Detection } from "../types.js";

const PROBES = ["readinessProbe", "livenessProbe", "startupProbe"] as const;
type ProbeName = (typeof PROBES)[number];

const CONSEQUENCE: Record<ProbeName, string> = {
  readinessProbe: "the pod never becomes Ready, so its Services send it no traffic",
  livenessProbe: "every check fails, so the kubelet restarts the container over and over",
  startupProbe: "the container never passes startup and is killed when the startup budget runs out",
};

interface ProbePort {
  readonly value: string;
  readonly line: number;
  readonly handler: "httpGet" | "tcpSocket" | "grpc";
}

/** The port a probe connects to (httpGet, tcpSocket or grpc), undefined for exec probes and placeholders. */
function probePort(probe: TreeNode | undefined): ProbePort | undefined {
  for (const handler of ["httpGet", "tcpSocket", "grpc"] as const) {
    const node = child(child(probe, handler), "port");
    if (node?.kind !== "scalar" || node.value === null) continue;
    const value = String(node.value);
    if (isTemplated(value) || value === "") return undefined;
    return { value, line: node.line, handler };
  }
  return undefined;
}

/**
 * Does the pod declare the probe's port? A name is looked up in the probe's own container (as the kubelet
 * resolves it); a number may be served by any container of the pod (they share its network). Undefined when
 * the pod declares no port at all: a number then cannot be judged (declaring ports is optional).
 */
function declared(port: string, container: Container, workload: Workload): boolean | undefined {
  const ports = containerPorts(workload);
  if (/^\d+$/.test(port)) return portResolves(port, ports);
  // A name that the container does not declare always fails, even in a pod that declares no port.
  const own = ports.filter((declared) => declared.container === container.name);
  return own.length === 0 ? false : portResolves(port, own);
}

/** "80, 443 (https)" — the ports the pod declares, for the message. */
function declaredList(workload: Workload): string {
  return containerPorts(workload)
    .map((port) => `${port.number ?? "?"}${port.name ? ` (${port.name})` : ""}`)
    .join(", ");
}

/**
 * A probe that connects to a port the pod does not declare (docs/risk.md "Traffic goes nowhere": a probe port
 * that no container declares): a named port the container does not have always fails; a number that no
 * container declares, in a pod that declares its ports, is a port the image most likely does not serve.
 */
export default defineRule({
  id: "kubernetes.probe.port-undeclared",
  family: "kubernetes",
  title: "Probe on a port no container declares",
  description:
    "A readiness, liveness or startup probe (httpGet, tcpSocket, grpc) now connects to a port the pod does not " +
    "declare: a port name its container does not have (the probe always fails), or a number that no container of " +
    "the pod declares while the pod declares its ports. Readiness never passes (no traffic), liveness and startup " +
    "restart the container. High for a new probe or a probe port changed by the change, and when the change removes " +
    "the declared port a probe uses; a pod that declares no port at all is not judged for numbers.",
  severity: "high",
  params: {},
  dialects: ["kubernetes"],
  check(file) {
    const findings: Detection[] = [];
    const beforeWorkloads = workloadsOf(objectsOf(file.before));
    for (const [old, workload] of pairBy(
      beforeWorkloads,
      workloadsOf(objectsOf(file.after)),
      (w) => w.object.id,
    )) {
      if (!workload || BATCH_KINDS.has(workload.object.kind)) continue;
      for (const container of workload.containers) {
        const oldContainer = old ? containerNamed(old, container) : undefined;
        // One finding per port of a container: its probes on that port fail together.
        const byPort = new Map<
          string,
          {
            names: ProbeName[];
            at: ProbeName;
            port: ProbePort;
            oldPort?: ProbePort;
            wasDeclared: boolean;
          }
        >();
        for (const name of PROBES) {
          const port = probePort(child(container.body, name));
          if (!port) continue;
          if (declared(port.value, container, workload) !== false) continue;
          // Not introduced by this change: the same probe port was already undeclared before.
          const oldPort = oldContainer ? probePort(child(oldContainer.body, name)) : undefined;
          if (
            old &&
            oldContainer &&
            oldPort?.value === port.value &&
            declared(oldPort.value, oldContainer, old) === false
          )
            continue;
          const wasDeclared =
            !!old &&
            !!oldContainer &&
            !!oldPort &&
            declared(oldPort.value, oldContainer, old) === true;
          const entry = byPort.get(port.value);
          if (entry) {
            entry.names.push(name);
            // Point at the first of them in the file.
            if (port.line < entry.port.line) Object.assign(entry, { port, at: name });
          } else
            byPort.set(port.value, {
              names: [name],
              at: name,
              port,
              ...(oldPort ? { oldPort } : {}),
              wasDeclared,
            });
        }
        for (const { names, at: name, port, oldPort, wasDeclared } of byPort.values()) {
          const probes =
            names.length === 1 ? name : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
          const where = `${probes} of container "${container.name}" in ${workload.object.label}`;
          const named = !/^\d+$/.test(port.value);
          const list = declaredList(workload);
          const restore = wasDeclared && oldPort !== undefined && oldPort.value !== port.value;
          const fix = restore
            ? lineFix(file, port.line, [{ keys: ["port"], value: oldPort.value }])
            : undefined;
          findings.push({
            severity: "high",
            line: port.line,
            path: workloadPath(
              workload,
              ...container.segments,
              key(name),
              key(port.handler),
              key("port"),
            ),
            message:
              `${oldPort ? "" : "new "}${where} connect${names.length === 1 ? "s" : ""} to ${named ? `port "${port.value}"` : `port ${port.value}`}, which ` +
              (named
                ? `container "${container.name}" does not declare`
                : "no container of the pod declares") +
              `${list ? ` (it declares ${list})` : ""}: ${names.map((n) => CONSEQUENCE[n]).join("; ")}.` +
              ` Safe: ${restore ? `keep port ${oldPort.value}, ` : ""}` +
              `probe a declared port${list ? ` (${list})` : ""}, or declare ${named ? `a container port named ${port.value}` : `containerPort ${port.value}`} on "${container.name}".`,
            // The same port, no longer declared: say so rather than show it unchanged.
            ...(oldPort?.value === port.value
              ? { before: `${port.value} (declared)`, after: `${port.value} (not declared)` }
              : { before: oldPort?.value ?? null, after: port.value }),
            checklist: [
              `Confirm the image of "${container.name}" serves its ${names.map((n) => n.replace("Probe", "")).join("/")} checks on ${port.value}.`,
            ],
            ...(fix ? { fix } : {}),
          });
        }
      }
    }
    return findings;
  },
});
