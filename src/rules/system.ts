import { entriesOf, fingerprint, toPlain, type TreeNode } from "../formats/tree.js";
import { showValueForMessage } from "./message.js";
import { defineRule, type Detection } from "./types.js";

/**
 * Findings the engine itself raises about a file (it could not be read safely). They are in the
 * catalog so they can be documented, re-rated and listed like any rule; their check is the engine's.
 */
export const parseFailed = defineRule({
  id: "parse.failed",
  family: "generic",
  title: "Configuration file does not parse",
  description:
    "The new version of an infrastructure file is not valid for its format, so nothing in it can be judged: fail closed. " +
    "One finding a file, at the first problem's line, with the others counted. " +
    "Medium when the base version failed the same way (the change did not break it, but it cannot be judged: a reviewer reads it). " +
    "(A base version that does not parse is reported at medium: the change is judged against an empty file.)",
  severity: "high",
  params: {},
  dialects: "any",
  check: () => [],
});

export const duplicateKey = defineRule({
  id: "parse.duplicate-key",
  family: "generic",
  title: "Duplicate key in a configuration file",
  description:
    "A key appears twice in one map. Tools disagree on which value wins, so the reviewed value may not be the applied one.",
  severity: "medium",
  params: {},
  dialects: "any",
  check: () => [],
});

export const fileTooLarge = defineRule({
  id: "file.too-large",
  family: "generic",
  title: "Configuration file too large to analyze",
  description:
    "The file is larger than the policy's `limits.maxFileBytes`; it was not analyzed, so it must be reviewed by hand.",
  severity: "high",
  params: {},
  dialects: "any",
  check: () => [],
});

export const budgetExceeded = defineRule({
  id: "evaluation.budget",
  family: "generic",
  title: "Evaluation budget exhausted",
  description:
    "The pull request changes more configuration than one evaluation analyzes (`limits.maxTotalBytes`); the files beyond the budget were not analyzed and need a manual review. " +
    "Also raised for a changed config embedded in a file (a ConfigMap's `nginx.conf`) that was not read because the file carries more embedded configs than one evaluation reads (200 a side, and no more text than the file's own).",
  severity: "high",
  params: {},
  dialects: "any",
  check: () => [],
});

export const fileEncoding = defineRule({
  id: "file.encoding",
  family: "generic",
  title: "Configuration file is binary or not valid UTF-8",
  description:
    "The file holds NUL bytes (binary: not analyzed, high) or bytes that are not valid UTF-8 (shown as U+FFFD; analyzed as decoded, medium). Tools may read such a file differently from the reviewer.",
  severity: "high",
  params: {},
  dialects: "any",
  check: () => [],
});

export const templateUnreadable = defineRule({
  id: "template.unreadable",
  family: "generic",
  title: "Template the engine cannot read",
  description:
    "A templated file (a Helm template, a Go-templated proxy config) changed, and once its template actions are set aside it still does not parse, so nothing in it can be judged. " +
    "High when this change made a readable template unreadable; medium when the engine could not read it before either (or the file is added or removed): it needs a review by hand.",
  severity: "high",
  params: {},
  dialects: "any",
  check: () => [],
});

export const templateActionChanged = defineRule({
  id: "template.action-changed",
  family: "generic",
  title: "Template action changed",
  description:
    "A template action the engine sets aside changed: a line of actions only (`{{- if .Values.enabled }}`, `{{ include … | nindent 4 }}`, `{{- toYaml .Values.resources }}`) or an action inside a key or a quoted string. " +
    "Changegate judges the literal structure of a template, not what its actions render, so such a change (a condition that drops a whole object, values rendered from another key) is reported at medium for a review by hand, never passed as no change.",
  severity: "medium",
  params: {},
  dialects: "any",
  check: () => [],
});

/** Terraform variable-values files: `*.tfvars`, `*.auto.tfvars`, `*.tfvars.json`. */
const VARIABLE_VALUES = /\.tfvars(\.json)?$/i;

/**
 * A `.tfvars` value is read by modules this file does not show: the engine cannot follow it to the
 * resources it sets, so each changed value is reported for a reviewer to follow by hand.
 */
export const variableValueChanged = defineRule({
  id: "terraform.variable-value.changed",
  family: "generic",
  title: "Terraform variable value changed",
  description:
    "A value in a Terraform variable-values file (`*.tfvars`, `*.tfvars.json`) was changed, added or removed. " +
    "Modules and resources elsewhere read it, and Changegate does not follow it to them, so every changed value is reported " +
    "at medium: a reviewer checks what uses it (a health-check interval, a capacity, a CIDR) before it applies.",
  severity: "medium",
  params: {},
  dialects: ["terraform"],
  check(file) {
    if (!VARIABLE_VALUES.test(file.path)) return [];
    const before = new Map(entriesOf(file.before));
    const after = new Map(entriesOf(file.after));
    const detections: Detection[] = [];
    const changed = (was: TreeNode | undefined, now: TreeNode | undefined): boolean =>
      !was || !now || fingerprint(was) !== fingerprint(now);
    for (const name of new Set([...after.keys(), ...before.keys()])) {
      const was = before.get(name);
      const now = after.get(name);
      if (!changed(was, now)) continue;
      const what = !was
        ? `is now set to ${showValueForMessage(toPlain(now!))}`
        : !now
          ? `is no longer set (was ${showValueForMessage(toPlain(was))}): the variable's default applies`
          : `changes from ${showValueForMessage(toPlain(was))} to ${showValueForMessage(toPlain(now))}`;
      detections.push({
        severity: "medium",
        line: (now ?? was)!.line,
        path: name,
        message: `var.${name} ${what}. Modules and resources that read it change with it; Changegate does not follow the value to them.`,
        ...(was ? { before: toPlain(was) } : {}),
        ...(now ? { after: toPlain(now) } : {}),
        checklist: [`Check every module and resource that reads var.${name} with the new value.`],
      });
    }
    return detections;
  },
});

export const SYSTEM_RULES = [
  parseFailed,
  duplicateKey,
  fileTooLarge,
  budgetExceeded,
  fileEncoding,
  templateUnreadable,
  templateActionChanged,
  variableValueChanged,
];
