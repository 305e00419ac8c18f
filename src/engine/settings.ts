import type { Format } from "../formats/types.js";
import type { Severity } from "../rules/severity.js";
import type { AnyRule, ParamValue } from "../rules/types.js";

/** How the policy tunes one rule. */
export interface RuleSetting {
  readonly enabled?: boolean;
  readonly severity?: Severity;
  readonly params?: Readonly<Record<string, ParamValue>>;
}

/** What the engine needs from the policy: plain data, no I/O. */
export interface EngineSettings {
  readonly rules: Readonly<Record<string, RuleSetting>>;
  /** Extra rules (custom rules compiled from the policy). */
  readonly extraRules: readonly AnyRule[];
  readonly maxFileBytes: number;
  /** Bytes one evaluation analyzes in all (both sides of every file). */
  readonly maxTotalBytes: number;
  /** A forced format for a path (policy `files.formats`), or undefined. */
  readonly formatOverride: (path: string) => Format | undefined;
  /**
   * Files at least this large (either side) are judged on their unit view (units.ts); default
   * UNIT_VIEW_MIN_BYTES. Tests set 0 (every file) or Infinity (none) to show the view changes no finding.
   */
  readonly unitViewMinBytes?: number;
}

/** 1 MiB: real configs are far smaller; larger files are refused, not half-analyzed. */
export const DEFAULT_MAX_FILE_BYTES = 1_048_576;

/** 16 MiB per evaluation: a 3,000-file PR of ordinary configs stays well inside it. */
export const DEFAULT_MAX_TOTAL_BYTES = 16_777_216;

export const DEFAULT_SETTINGS: EngineSettings = {
  rules: {},
  extraRules: [],
  maxFileBytes: DEFAULT_MAX_FILE_BYTES,
  maxTotalBytes: DEFAULT_MAX_TOTAL_BYTES,
  formatOverride: () => undefined,
};
