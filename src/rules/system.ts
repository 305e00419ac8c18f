import { defineRule } from "./types.js";

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
    "The pull request changes more configuration than one evaluation analyzes (`limits.maxTotalBytes`); the files beyond the budget were not analyzed and need a manual review.",
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

export const SYSTEM_RULES = [
  parseFailed,
  duplicateKey,
  fileTooLarge,
  budgetExceeded,
  fileEncoding,
  templateUnreadable,
];
