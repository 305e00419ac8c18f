// Probe figures read the way the kubelet applies them: defaults for missing fields, unknowable for Helm placeholders.
import { child, type TreeNode } from "../../formats/tree.js";
import { toNumber } from "../model/figures.js";
import { isTemplated } from "./workloads.js";

// Probe defaults: periodSeconds 10, timeoutSeconds 1, failureThreshold 3, initialDelaySeconds 0
// (kubernetes/api core/v1 types.go; LB-FACTS.md "5. Kubernetes").
export const PROBE_DEFAULTS = {
  periodSeconds: 10,
  timeoutSeconds: 1,
  failureThreshold: 3,
  initialDelaySeconds: 0,
} as const;

export type ProbeField = keyof typeof PROBE_DEFAULTS;

export interface ProbeValue {
  readonly value: number;
  readonly line: number;
  readonly explicit: boolean;
}

/** A probe field, its default when absent, undefined when written as something that is not a number. */
export function probeField(probe: TreeNode, field: ProbeField): ProbeValue | undefined {
  const node = child(probe, field);
  if (!node) return { value: PROBE_DEFAULTS[field], line: probe.line, explicit: false };
  if (node.kind !== "scalar" || isTemplated(node.value)) return undefined;
  const value = toNumber(node.value);
  return value === undefined ? undefined : { value, line: node.line, explicit: true };
}

/** failureThreshold × periodSeconds: how long a probe may fail before the kubelet acts. */
export function failureBudget(probe: TreeNode | undefined): number | undefined {
  if (probe?.kind !== "map") return undefined;
  const period = probeField(probe, "periodSeconds");
  const failures = probeField(probe, "failureThreshold");
  return period && failures ? period.value * failures.value : undefined;
}

/** The line of the first field whose value the change altered, for pointing at the edit; else the probe's line. */
export function changedFieldLine(
  probe: TreeNode,
  oldProbe: TreeNode | undefined,
  fields: readonly ProbeField[],
): number {
  for (const field of fields) {
    const now = probeField(probe, field);
    const was = oldProbe?.kind === "map" ? probeField(oldProbe, field) : undefined;
    if (now?.explicit && now.value !== was?.value) return now.line;
  }
  return probe.line;
}
